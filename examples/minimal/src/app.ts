/**
 * @module
 * The root README's quick start, line for line between the markers: an existing app with a password
 * login (one user, in memory) and the lines that add two-factor authentication. `main.ts` starts it.
 */
// readme:start
import { secondFactor } from '@secondfactor/express';
import { createPolicy, selfService } from '@secondfactor/policy';
import { createTwoFactor } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';
import express from 'express';
import session from 'express-session';

// Your password check, as it is.
const checkPassword = async (email: unknown, password: unknown) =>
  email === 'ada@example.com' && password === 'correct horse' ? { id: 'u1', roles: [] } : null;

const key = () => crypto.getRandomValues(new Uint8Array(32)); // in production: from your secret store
const twoFactor = createTwoFactor({
  store: new MemoryStore(), // in production: PostgresStore or RedisStore
  secretBox: new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' }),
  backupCodeKey: key(),
  policy: createPolicy(selfService),
  issuer: 'Example',
});
const twoFactorRoutes = secondFactor({ twoFactor });

const app = express();
app.use(express.json(), session({ secret: 'change me', resave: false, saveUninitialized: false }));
app.use('/2fa', twoFactorRoutes.router); // the second step, set-up, backup codes, devices, admin

app.post('/login', async (req, res) => {
  const user = await checkPassword(req.body?.email, req.body?.password);
  if (user === null) return void res.status(401).json({ error: 'wrong e-mail or password' });
  res.json(await twoFactorRoutes.startSecondFactor(req, user)); // done, challenge, enroll or denied
});
app.get('/account', twoFactorRoutes.requireSecondFactor(), (_req, res) => {
  res.json({ userId: res.locals.secondFactor.user.id }); // only after the second factor
});
// readme:end

/** The quick start's app, which `main.ts` starts and the tests serve on a loopback port. */
export const quickStartApp: typeof app = app;
