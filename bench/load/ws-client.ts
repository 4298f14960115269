import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A WebSocket client (RFC 6455) on a raw socket, lean the way the bench's HTTP client is: the load
 * generator opens one socket per login, and `ws`'s client (an `http.request` upgrade, its
 * receiver and sender streams) cost it more CPU than the handshake itself, CPU the server under
 * test then lacks on a two-core machine. It speaks exactly what the bench needs: text frames both
 * ways (masked from here, as a browser's are), ping → pong, the close handshake. A fragmented or
 * binary message from the server is reported as an error, never read wrongly.
 */
export interface WsClientEvents {
  open(): void;
  message(text: string): void;
  /**
   * The socket is gone; `code` is the server's close code, or 1006 if none came, and `reason` the
   * refusal's status line if the server did not upgrade. Called once.
   */
  close(code: number, reason: string): void;
}

const KEY = randomBytes(16).toString('base64');
// The server's answer to KEY, computed once (RFC 6455 §4.2.2).
const ACCEPT = createHash('sha1').update(`${KEY}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
const HEADER_END = Buffer.from('\r\n\r\n');

enum Op {
  Text = 0x1,
  Close = 0x8,
  Ping = 0x9,
  Pong = 0xa,
}

export class WsClient {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readyState: number = WsClient.CONNECTING;
  readonly #socket: net.Socket;
  readonly #on: WsClientEvents;
  #buffer: Buffer = Buffer.alloc(0);
  #closeCode = 1006;
  #closeReason = '';

  /** Connects to `ws://127.0.0.1:<port><path>` with the given `Origin`. */
  constructor(port: number, path: string, origin: string, on: WsClientEvents) {
    this.#on = on;
    this.#socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => {
      this.#socket.write(
        `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: Upgrade\r\nupgrade: websocket\r\n` +
          `sec-websocket-version: 13\r\nsec-websocket-key: ${KEY}\r\norigin: ${origin}\r\n\r\n`,
      );
    });
    this.#socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on('error', () => this.#socket.destroy());
    this.#socket.on('close', () => this.#closed());
  }

  /** Sends a text message. */
  send(text: string): void {
    if (this.readyState === WsClient.OPEN) this.#socket.write(frame(Op.Text, Buffer.from(text)));
  }

  /** Starts the close handshake; the socket ends when the server answers. */
  close(code = 1000): void {
    if (this.readyState !== WsClient.OPEN) {
      if (this.readyState === WsClient.CONNECTING) this.terminate();
      return;
    }
    this.readyState = WsClient.CLOSING;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.#socket.write(frame(Op.Close, payload));
  }

  /** Drops the connection without a close handshake. */
  terminate(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (this.readyState === WsClient.CONNECTING) {
      const end = this.#buffer.indexOf(HEADER_END);
      if (end < 0) return;
      const head = this.#buffer.toString('latin1', 0, end);
      this.#buffer = this.#buffer.subarray(end + HEADER_END.length);
      if (!head.startsWith('HTTP/1.1 101') || !head.includes(ACCEPT)) {
        this.#closeReason = head.slice(0, head.indexOf('\r\n') >>> 0);
        this.terminate();
        return;
      }
      this.readyState = WsClient.OPEN;
      this.#on.open();
    }
    this.#readFrames();
  }

  #readFrames(): void {
    for (;;) {
      const buf = this.#buffer;
      if (buf.length < 2) return;
      const first = buf[0] as number;
      const second = buf[1] as number;
      let length = second & 0x7f;
      let at = 2;
      if (length === 126) {
        if (buf.length < 4) return;
        length = buf.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (buf.length < 10) return;
        length = Number(buf.readBigUInt64BE(2));
        at = 10;
      }
      if (buf.length < at + length) return;
      const payload = buf.subarray(at, at + length);
      this.#buffer = buf.subarray(at + length);
      const op = first & 0x0f;
      if ((first & 0x80) === 0 || second & 0x80 || (op !== Op.Text && op < Op.Close)) {
        // Fragmented, masked by the server, or binary: nothing the servers under test send.
        this.terminate();
        return;
      }
      if (op === Op.Text) this.#on.message(payload.toString('utf8'));
      else if (op === Op.Ping) this.#socket.write(frame(Op.Pong, payload));
      else if (op === Op.Close) {
        this.#closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        // Answer a close the server started; ours was already sent. The server then ends the TCP connection.
        if (this.readyState === WsClient.OPEN) this.#socket.write(frame(Op.Close, payload.subarray(0, 2)));
        this.readyState = WsClient.CLOSING;
        this.#socket.end();
        return;
      }
    }
  }

  #closed(): void {
    if (this.readyState === WsClient.CLOSED) return;
    this.readyState = WsClient.CLOSED;
    this.#on.close(this.#closeCode, this.#closeReason);
  }
}

// Masks come from a pool refilled 4 KiB at a time: one randomBytes call per thousand frames.
let maskPool = randomBytes(4096);
let maskAt = 0;

/** One masked client frame (FIN set). */
function frame(op: Op, payload: Buffer): Buffer {
  if (maskAt + 4 > maskPool.length) {
    maskPool = randomBytes(4096);
    maskAt = 0;
  }
  const length = payload.length;
  const headerLength = length < 126 ? 6 : length < 65536 ? 8 : 14;
  const out = Buffer.allocUnsafe(headerLength + length);
  out[0] = 0x80 | op;
  if (length < 126) out[1] = 0x80 | length;
  else if (length < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  const maskAtOut = headerLength - 4;
  maskPool.copy(out, maskAtOut, maskAt, maskAt + 4);
  maskAt += 4;
  for (let i = 0; i < length; i++)
    out[headerLength + i] = (payload[i] as number) ^ (out[maskAtOut + (i & 3)] as number);
  return out;
}
