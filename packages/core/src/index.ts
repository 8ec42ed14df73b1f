export { timingSafeEqual } from './compare';
export {
  ERROR_STATUS,
  isSecondFactorError,
  SecondFactorError,
  type SecondFactorErrorCode,
  type SecondFactorErrorOptions,
} from './errors';
