import { readLimited } from './read-limited.js';
import type { CoreRequest, CoreResponse } from './types.js';

/** Connection facts a Web `Request` does not carry; runtimes expose them in their own ways. */
export interface FetchInfo {
  /** The client socket's address, e.g. Hono's `getConnInfo(c).remote.address`. */
  remoteAddress?: string | undefined;
}

/** Wraps a Web `Request` as a {@link CoreRequest}. */
export function fromWebRequest(request: Request, info: FetchInfo = {}): CoreRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    header: (name) => request.headers.get(name) ?? undefined,
    remoteAddress: info.remoteAddress,
    readBody: (limit) =>
      request.body
        ? readLimited(
            request.body as unknown as AsyncIterable<Uint8Array>,
            limit,
            request.headers.get('content-length'),
          )
        : Promise.resolve(''),
    toRequest: () => request,
    signal: request.signal,
  };
}

/** Turns a {@link CoreResponse} into a Web `Response`. */
export function toWebResponse(response: CoreResponse): Response {
  return new Response(response.status === 204 ? null : response.body, {
    status: response.status,
    headers: response.headers,
  });
}
