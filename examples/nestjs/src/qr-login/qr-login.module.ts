import type { Server } from 'node:http';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationBootstrap,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { createQrLogin, type QrLogin, type QrLoginOptions } from '@qrlogin/server';
import { QR_LOGIN } from './qr-login.token.js';
import { QrLoginErrorFilter } from './qr-login-error.filter.js';

/**
 * qrlogin as a NestJS module (Express platform). `forRoot(options)` provides one `QrLogin` instance
 * app-wide under {@link QR_LOGIN}, serves its HTTP routes under `/qrlogin` as middleware, attaches
 * its WebSocket to Nest's own HTTP server once the app has started, and closes it (1001 to every
 * socket, held polls answered) when the app shuts down. The host's redeem route stays the host's:
 * inject `QR_LOGIN` and call `qr.redeem()`.
 *
 * Nest's JSON body parser runs before any middleware; qrlogin then judges the parsed body against
 * its own size limit, as it does behind `express.json()`.
 *
 * @example
 * // in the imports of your AppModule:
 * QrLoginModule.forRoot({ origin: 'https://example.com', authenticate: (request) => whoIs(request) })
 */
@Module({})
export class QrLoginModule implements NestModule, OnApplicationBootstrap, BeforeApplicationShutdown {
  static forRoot(options: QrLoginOptions): DynamicModule {
    return {
      module: QrLoginModule,
      global: true,
      providers: [
        { provide: QR_LOGIN, useFactory: () => createQrLogin(options) },
        { provide: APP_FILTER, useClass: QrLoginErrorFilter },
      ],
      exports: [QR_LOGIN],
    };
  }

  constructor(
    @Inject(QR_LOGIN) private readonly qr: QrLogin,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    // qr.node answers its own paths (404 NOT_FOUND for unknown ones under the base path).
    consumer.apply(this.qr.node).forRoutes({ path: `${this.qr.basePath.slice(1)}/*path`, method: RequestMethod.ALL });
  }

  onApplicationBootstrap(): void {
    // The same server that `app.listen()` starts; upgrades outside `/qrlogin/ws` are left to others.
    this.qr.attach(this.adapterHost.httpAdapter.getHttpServer() as Server);
  }

  // Before Nest closes its HTTP server: `server.close()` waits for every connection, open
  // WebSockets included, so they must be closed first.
  async beforeApplicationShutdown(): Promise<void> {
    await this.qr.close();
  }
}
