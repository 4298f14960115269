/**
 * Injection token of the `QrLogin` instance that {@link QrLoginModule} provides.
 *
 * @example
 * constructor(@Inject(QR_LOGIN) private readonly qr: QrLogin) {}
 */
export const QR_LOGIN = Symbol('QR_LOGIN');
