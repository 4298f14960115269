/**
 * The client address for qrlogin's rate limits and requester context. A route handler sees no socket,
 * only headers: the nearest proxy's `X-Forwarded-For` entry (the rightmost) is the peer it saw. The
 * custom server (`server.ts`) overwrites the header with the socket's address, so there it is exact;
 * on a platform (Vercel, a load balancer) the platform's proxy writes it. Plain `next start` with no
 * proxy in front passes a client-sent header through (Next only sets it when absent), so do not run
 * it that way on the open internet.
 *
 * @example
 * qr.fetch(request, { remoteAddress: clientAddress(request) });
 */
export function clientAddress(request: Request): string | undefined {
  return request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || undefined;
}
