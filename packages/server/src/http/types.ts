/** A request as every adapter hands it to the core: framework-free and cheap to build. */
export interface CoreRequest {
  method: string;
  /** The URL path, e.g. `/qrlogin/sessions`. */
  path: string;
  /** The query string without `?`. */
  query: string;
  /** A header by lower-case name. */
  header(name: string): string | undefined;
  /** The socket peer's address. */
  remoteAddress: string | undefined;
  /** Reads the body as text; throws `PAYLOAD_TOO_LARGE` past `limit` bytes. */
  readBody(limit: number): Promise<string>;
  /** The request as a Web `Request`, built only when a host hook needs it. */
  toRequest(): Request;
  /** Aborted when the client goes away (ends held long-polls early). */
  signal?: AbortSignal | undefined;
}

/** What the core answers. */
export interface CoreResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
