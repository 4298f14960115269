import type { IncomingMessage, ServerResponse } from 'node:http';
import { readLimited, tooLarge } from './read-limited.js';
import type { CoreRequest, CoreResponse } from './types.js';

/** A request that a body parser (e.g. `express.json()`) may already have read. */
type NodeRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

/** Wraps a node:http request as a {@link CoreRequest}. */
export function fromNodeRequest(req: NodeRequest, res: ServerResponse): CoreRequest {
  return new NodeCoreRequest(req, res);
}

/**
 * One object per request, its methods on the prototype: closures per request would be six
 * allocations on the hottest path of the server.
 */
class NodeCoreRequest implements CoreRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly remoteAddress: string | undefined;
  readonly #req: NodeRequest;
  readonly #res: ServerResponse;
  readonly #url: string;
  #controller: AbortController | undefined;

  constructor(req: NodeRequest, res: ServerResponse) {
    // Express rewrites `req.url` under `app.use(path, …)`; the original URL is the real one.
    const url = req.originalUrl ?? req.url ?? '/';
    const queryAt = url.indexOf('?');
    this.method = req.method ?? 'GET';
    this.path = queryAt === -1 ? url : url.slice(0, queryAt);
    this.query = queryAt === -1 ? '' : url.slice(queryAt + 1);
    this.remoteAddress = req.socket.remoteAddress;
    this.#req = req;
    this.#res = res;
    this.#url = url;
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  readBody(limit: number): Promise<string> {
    const req = this.#req;
    if (req.readableEnded && req.body !== undefined) {
      // Already parsed upstream: judge it in its JSON form against the same limit.
      const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      return readLimited([Buffer.from(text)], limit);
    }
    return readNodeBody(req, limit);
  }

  toRequest(): Request {
    const req = this.#req;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return new Request(`http://${req.headers.host ?? 'localhost'}${this.#url}`, {
      method: req.method ?? 'GET',
      headers,
    });
  }

  /** Built on first use: only a held long-poll needs to know the client left. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      const created = new AbortController();
      this.#controller = created;
      const res = this.#res;
      res.once('close', () => {
        if (!res.writableFinished) created.abort();
      });
    }
    return this.#controller.signal;
  }
}

/**
 * Reads a body with plain `data` / `end` events (cheaper than an async iterator on a hot path),
 * failing with `PAYLOAD_TOO_LARGE` as soon as it passes `limit` bytes.
 */
function readNodeBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        // Stop buffering; the rest of the body is drained and dropped.
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      parts.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () =>
      resolve(parts.length === 1 ? (parts[0] as Buffer).toString('utf8') : Buffer.concat(parts).toString('utf8')),
    );
    req.once('error', reject);
  });
}

/**
 * Writes a {@link CoreResponse} with its length declared. Without it `writeHead` commits to chunked
 * framing: more bytes on the wire for every response, and HTTP/1.0 clients and some proxies get a
 * body they must read to the close. (A 204 has no body and must not declare one.)
 */
export function sendNodeResponse(res: ServerResponse, response: CoreResponse): void {
  if (res.headersSent) return;
  const { headers } = response;
  if (response.status !== 204) headers['content-length'] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, headers);
  res.end(response.body);
}
