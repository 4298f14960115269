import type { IncomingMessage, ServerResponse } from 'node:http';
import { readLimited } from './read-limited.js';
import type { CoreRequest, CoreResponse } from './types.js';

/** A request that a body parser (e.g. `express.json()`) may already have read. */
type NodeRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

/** Wraps a node:http request as a {@link CoreRequest}. */
export function fromNodeRequest(req: NodeRequest, res: ServerResponse): CoreRequest {
  // Express rewrites `req.url` under `app.use(path, …)`; the original URL is the real one.
  const url = req.originalUrl ?? req.url ?? '/';
  const queryAt = url.indexOf('?');
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return {
    method: req.method ?? 'GET',
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    query: queryAt === -1 ? '' : url.slice(queryAt + 1),
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    remoteAddress: req.socket.remoteAddress,
    readBody: async (limit) => {
      if (req.readableEnded && req.body !== undefined) {
        // Already parsed upstream: judge it in its JSON form against the same limit.
        const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
        return readLimited([Buffer.from(text)], limit);
      }
      return readLimited(req, limit, req.headers['content-length']);
    },
    toRequest: () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      return new Request(`http://${req.headers.host ?? 'localhost'}${url}`, { method: req.method ?? 'GET', headers });
    },
    signal: controller.signal,
  };
}

/** Writes a {@link CoreResponse}. */
export function sendNodeResponse(res: ServerResponse, response: CoreResponse): void {
  if (res.headersSent) return;
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
