import { type DynamicModule, Module } from '@nestjs/common';
import { HostSessions } from './host-sessions.js';
import { LoginController } from './login.controller.js';
import { QrLoginModule } from './qr-login/qr-login.module.js';

// The host's own accounts; a real app keeps these in its database.
const APP_TOKENS = new Map([['demo-app-token', 'alice']]); // what the signed-in mobile app sends

/**
 * The host app: qrlogin for `origin`, plus the host's own login routes.
 *
 * @example
 * const app = await NestFactory.create(AppModule.forOrigin('https://example.com'));
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest module is a class; a static factory is Nest's dynamic-module idiom
export class AppModule {
  static forOrigin(origin: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        QrLoginModule.forRoot({
          origin,
          // Device registration: the phone proves who it is with the host's own auth (here a bearer token).
          authenticate: (request) => {
            const userId = APP_TOKENS.get(request.headers.get('authorization')?.slice('Bearer '.length) ?? '');
            return userId ? { userId } : null;
          },
        }),
      ],
      controllers: [LoginController],
      providers: [HostSessions],
    };
  }
}
