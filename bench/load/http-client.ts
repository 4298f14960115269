import net from 'node:net';

/**
 * A keep-alive HTTP/1.1 client for one loopback port, written on raw sockets the way load tools
 * such as wrk and autocannon are: a request is one string written once, and a response is parsed
 * from the bytes with no `IncomingMessage`, stream or agent bookkeeping. The load generator shares
 * the machine's two cores with the server it measures, so every microsecond it spends in
 * `node:http` is taken from the server (for both qrlogin and its baselines alike).
 *
 * It understands what the bench servers answer: `Content-Length` or chunked bodies, and
 * `Connection: close`. One request per connection at a time (no pipelining).
 */
export interface HttpClient {
  request(
    method: string,
    path: string,
    body?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; text: string }>;
  destroy(): void;
}

interface Pending {
  head: string;
  body: string | undefined;
  resolve: (res: { status: number; text: string }) => void;
  reject: (err: Error) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Creates a client with a pool of at most `maxSockets` keep-alive connections. */
export function httpClient(port: number, maxSockets = 256): HttpClient {
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const queue: Pending[] = [];
  let destroyed = false;

  const release = (conn: Connection) => {
    const next = queue.shift();
    if (next) conn.send(next);
    else idle.push(conn);
  };
  const forget = (conn: Connection) => {
    all.delete(conn);
    const i = idle.indexOf(conn);
    if (i >= 0) idle.splice(i, 1);
    // A request that waited for a free connection gets a new one in this one's place.
    const next = queue.shift();
    if (next) open().send(next);
  };
  const open = () => {
    const conn = new Connection(port, release, forget);
    all.add(conn);
    return conn;
  };

  return {
    request(method, path, body, headers = {}) {
      return new Promise((resolve, reject) => {
        if (destroyed) {
          reject(new Error('http client destroyed'));
          return;
        }
        let head = `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`;
        for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
        if (body !== undefined) {
          if (!('content-type' in headers)) head += 'content-type: application/json\r\n';
          head += `content-length: ${Buffer.byteLength(body)}\r\n`;
        }
        const pending: Pending = { head: `${head}\r\n`, body, resolve, reject };
        const conn = idle.pop();
        if (conn) conn.send(pending);
        else if (all.size < maxSockets) open().send(pending);
        else queue.push(pending);
      });
    },
    destroy() {
      destroyed = true;
      for (const p of queue.splice(0)) p.reject(new Error('http client destroyed'));
      for (const conn of all) conn.close();
    },
  };
}

/** One keep-alive connection: writes a request, parses its response, hands itself back. */
class Connection {
  readonly #socket: net.Socket;
  #pending: Pending | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #closed = false;

  constructor(
    port: number,
    private readonly release: (conn: Connection) => void,
    private readonly forget: (conn: Connection) => void,
  ) {
    this.#socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on('error', (err) => this.#fail(err));
    this.#socket.on('close', () => this.#fail(new Error('connection closed before the response')));
  }

  send(pending: Pending): void {
    this.#pending = pending;
    this.#socket.write(pending.body === undefined ? pending.head : pending.head + pending.body);
  }

  close(): void {
    this.#fail(new Error('http client destroyed'));
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const pending = this.#pending;
    if (!pending) {
      this.#fail(new Error('bytes from the server with no request in flight'));
      return;
    }
    let parsed: ParsedResponse | null;
    try {
      parsed = parseResponse(this.#buffer);
    } catch (err) {
      this.#fail(err as Error);
      return;
    }
    if (!parsed) return;
    this.#pending = undefined;
    this.#buffer = Buffer.alloc(0);
    if (parsed.close) this.#fail(new Error('server closed the connection'));
    pending.resolve({ status: parsed.status, text: parsed.text });
    if (!parsed.close) this.release(this);
  }

  #fail(err: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(err);
    this.forget(this);
  }
}

interface ParsedResponse {
  status: number;
  text: string;
  close: boolean;
}

/** Parses one complete response from the start of `buf`, or returns null if more bytes are needed. */
export function parseResponse(buf: Buffer): ParsedResponse | null {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return null;
  const lines = buf.toString('latin1', 0, headerEnd).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!status) throw new Error(`not an HTTP/1.1 status line: ${JSON.stringify(lines[0])}`);
  let length = -1;
  let chunked = false;
  let close = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === 'content-length') length = Number(value);
    else if (name === 'transfer-encoding') chunked = value === 'chunked';
    else if (name === 'connection') close = value === 'close';
  }
  const bodyStart = headerEnd + HEADER_END.length;
  const code = Number(status[1]);
  if (code === 204 || code === 304) return { status: code, text: '', close };
  if (chunked) {
    const body = dechunk(buf, bodyStart);
    return body === null ? null : { status: code, text: body, close };
  }
  if (length < 0) throw new Error('response has neither content-length nor chunked encoding');
  if (buf.length < bodyStart + length) return null;
  return { status: code, text: buf.toString('utf8', bodyStart, bodyStart + length), close };
}

/** Decodes a chunked body starting at `start`, or returns null if its last chunk has not arrived. */
function dechunk(buf: Buffer, start: number): string | null {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = Number.parseInt(buf.toString('latin1', at, lineEnd), 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    const dataStart = lineEnd + 2;
    if (buf.length < dataStart + size + 2) return null;
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    parts.push(buf.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}
