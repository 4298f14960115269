import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { QrLoginError } from '@qrlogin/server';
import type { Response } from 'express';

/**
 * Answers a `QrLoginError` thrown by a route (e.g. `qr.redeem()` in the host's redeem route) with
 * qrlogin's own error body and status — `409 { error: { code: 'ALREADY_REDEEMED', … } }` — instead
 * of Nest's generic 500. {@link QrLoginModule} installs it app-wide.
 *
 * @example
 * app.useGlobalFilters(new QrLoginErrorFilter());
 */
@Catch(QrLoginError)
export class QrLoginErrorFilter implements ExceptionFilter<QrLoginError> {
  catch(err: QrLoginError, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(err.status).json(err.toJSON());
  }
}
