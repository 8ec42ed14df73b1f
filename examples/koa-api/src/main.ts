/**
 * @module
 * `npm start -w @secondfactor/example-koa-api`: the API on http://localhost:3001 (`PORT`), with keys
 * made for this run (the memory store keeps nothing across runs), printing who can sign in.
 */
import { randomBytes } from 'node:crypto';
import { createApi } from './app';
import { SEED_USERS } from './users';

const port = Number(process.env.PORT ?? 3001);
const app = createApi({
  secretKey: crypto.getRandomValues(new Uint8Array(32)),
  backupCodeKey: crypto.getRandomValues(new Uint8Array(32)),
  cookieKeys: [randomBytes(32).toString('base64')],
});
const server = app.listen(port, () => {
  console.log(`secondfactor koa-api on http://localhost:${port} (routes: examples/koa-api/README.md)`);
  for (const user of SEED_USERS) {
    console.log(`  ${user.id.padEnd(6)} ${user.password.padEnd(16)} ${user.roles.join(',') || '-'}`);
  }
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
