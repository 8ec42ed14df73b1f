/**
 * @module
 * `npm run demo`: reads the settings from the environment, opens the store, seeds the product's users
 * and starts the app on http://localhost:3000 (`PORT`), printing who can sign in.
 */
import { isSecondFactorError } from '@secondfactor/core';
import { createDemoApp } from './app';
import { type DemoConfig, readConfig } from './config';
import { productOf } from './products';
import { openStore } from './store';

function banner(config: DemoConfig, url: string, storeDescription: string): string {
  const product = productOf(config.product);
  const rows = product.users.map(
    (user) =>
      `  ${user.id.padEnd(14)} ${user.password.padEnd(20)} ${(user.roles.join(',') || '-').padEnd(8)} ${user.tenantId ?? '-'}`,
  );
  return [
    '',
    `secondfactor demo — ${product.name}: ${product.summary}`,
    `  store: ${storeDescription}${config.keysGenerated ? ' · keys made for this run' : ''}`,
    '',
    `  ${'user'.padEnd(14)} ${'password'.padEnd(20)} ${'roles'.padEnd(8)} tenant`,
    ...rows,
    '',
    `Open ${url} · messages "sent" by e-mail, SMS and calls: ${url}/dev/outbox`,
    'PRESET=selfService|accountAdmin|partnerPortal|multiMethod|exclusiveMethod chooses the product.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const opened = await openStore(config);
  const demo = createDemoApp({
    product: productOf(config.product),
    store: opened.store,
    secretKey: config.secretKey,
    backupCodeKey: config.backupCodeKey,
    sessionSecret: config.sessionSecret,
    telegram: config.telegram,
  });
  await demo.seed();
  const server = demo.app.listen(config.port, () => {
    const url = `http://localhost:${config.port}`;
    console.log(banner(config, url, opened.description));
  });
  const stop = () => {
    server.close(() => {
      opened.close().finally(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(isSecondFactorError(error) ? `Cannot start: ${error.message}` : error);
  process.exit(1);
});
