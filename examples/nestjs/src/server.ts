/**
 * qrlogin on NestJS (Express platform): `QrLoginModule.forRoot()` serves qrlogin's routes and
 * WebSocket on Nest's own HTTP server; `LoginController` is the host's redeem route.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

/**
 * Starts the example on `port` (0 picks a free one).
 *
 * @example
 * const { url, close } = await start(3000);
 */
export async function start(port = 3000, origin = `http://localhost:${port}`) {
  const app = await NestFactory.create(AppModule.forOrigin(origin), { logger: ['error', 'warn'] });
  await app.listen(port);
  const url = `http://localhost:${new URL(await app.getUrl()).port}`;
  return {
    url,
    close: () => app.close(),
  };
}
