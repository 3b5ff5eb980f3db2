/**
 * `guardedFetch()`: the one outbound HTTP call for requests made on behalf of
 * plugins, downloads and (later) channels. SSRF rules, DNS pinning, no
 * redirects, a timeout and body caps in both directions.
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import { pinnedRequest } from "./pinned_request.ts";
import { resolvePinned, type SsrfOptions } from "./ssrf_guard.ts";

/** The default and largest body size, in bytes (10 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The default timeout of one exchange (30 s). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Headers a caller may not set: the transport owns them. */
const HOP_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
]);

/** One outbound request. */
export interface GuardedRequest {
  method: string;
  url: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Uint8Array | undefined;
}

/** Options of {@linkcode guardedFetch}; SSRF options plus limits. */
export interface GuardedFetchOptions extends SsrfOptions {
  /** Whole exchange (connect, send, read) in ms; default 30 000. */
  timeoutMs?: number;
  /** Largest request body; default 10 MiB. */
  maxRequestBytes?: number;
  /** Largest response body; default 10 MiB. */
  maxResponseBytes?: number;
  /** Called as body bytes arrive (`total` from Content-Length when known). */
  onProgress?: (received: number, total: number | null) => void;
  /** Extra PEM roots to trust. */
  caCerts?: readonly string[];
  signal?: AbortSignal;
}

/** A complete response; 3xx responses come back as they are. */
export interface GuardedResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** An outbound request failed after the SSRF checks passed. */
export class FetchError extends CaraError {
  constructor(
    code: "fetch_timeout" | "fetch_too_large" | "fetch_failed",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = "FetchError";
  }
}

/**
 * Performs one request through the SSRF guard with the connection pinned to
 * a validated address.
 *
 * @throws {SsrfError} the URL or its addresses are refused (nothing sent)
 * @throws {FetchError} timeout, oversize body or transport failure
 * @example
 * ```ts
 * const res = await guardedFetch({ method: "GET", url: "https://example.com/" }, { timeoutMs: 5000 });
 * ```
 */
export async function guardedFetch(
  request: GuardedRequest,
  options: GuardedFetchOptions = {},
): Promise<GuardedResponse> {
  const maxRequest = options.maxRequestBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxResponse = options.maxResponseBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const body = request.body;
  if (body && body.length > maxRequest) {
    throw new FetchError(
      "fetch_too_large",
      `Cannot send request body: it is ${body.length} bytes; the limit is ${maxRequest}`,
    );
  }
  const target = await resolvePinned(request.url, options);
  const what = `${request.method} ${target.url.origin}${target.url.pathname}`;
  const headers = outboundHeaders(request.headers ?? [], body);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([timeout, options.signal])
    : timeout;
  signal.throwIfAborted();
  let abort: ((reason: Error) => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () => {
      const error = timeout.aborted
        ? new FetchError(
          "fetch_timeout",
          `Cannot fetch "${what}": no complete answer within ${timeoutMs} ms`,
        )
        : new FetchError("fetch_failed", `Cannot fetch "${what}": cancelled`);
      abort?.(error);
      reject(error);
    }, { once: true });
  });
  const exchange = (async () => {
    const response = await pinnedRequest(target, {
      method: request.method,
      headers,
      body,
      caCerts: options.caCerts,
    });
    abort = response.abort;
    const declared = contentLength(response.headers);
    if (declared !== null && declared > maxResponse) {
      response.abort(new Error("response too large"));
      throw tooLarge(what, `declares ${declared} bytes`, maxResponse);
    }
    const parts: Uint8Array[] = [];
    let received = 0;
    for await (const chunk of response.chunks) {
      received += chunk.length;
      if (received > maxResponse) {
        response.abort(new Error("response too large"));
        throw tooLarge(what, `exceeded ${maxResponse} bytes`, maxResponse);
      }
      parts.push(chunk);
      options.onProgress?.(received, declared);
    }
    return {
      status: response.status,
      headers: response.headers,
      body: concat(parts, received),
    };
  })();
  try {
    return await Promise.race([exchange, stop]);
  } catch (error) {
    if (error instanceof CaraError) throw error;
    throw new FetchError(
      "fetch_failed",
      `Cannot fetch "${what}": ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  } finally {
    exchange.catch(() => {});
    stop.catch(() => {});
  }
}

function outboundHeaders(
  pairs: ReadonlyArray<readonly [string, string]>,
  body: Uint8Array | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    if (HOP_HEADERS.has(key)) continue;
    const prior = out[key];
    out[key] = prior === undefined
      ? value
      : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  if (body && body.length > 0) out["content-length"] = String(body.length);
  return out;
}

function contentLength(headers: Array<[string, string]>): number | null {
  const value = headers.find(([name]) =>
    name.toLowerCase() === "content-length"
  )?.[1];
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

function tooLarge(what: string, detail: string, limit: number): FetchError {
  return new FetchError(
    "fetch_too_large",
    `Cannot fetch "${what}": the response ${detail}; the limit is ${limit} bytes`,
  );
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
