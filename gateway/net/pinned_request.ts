/**
 * One HTTP(S) exchange over a connection pinned to an already validated IP
 * address, while TLS still verifies the certificate for the URL's host name.
 *
 * Why node:http(s) and not `fetch`: Deno's `fetch` resolves names itself, and
 * `Deno.createHttpClient({ proxy: { transport: "tcp" } })` (which could pin)
 * speaks plain HTTP on the pinned socket even for `https:` URLs (checked on
 * Deno 2.9.6). node:http(s) accepts a `lookup` function, so the socket goes
 * to the pinned address and `servername`/certificate checks use the name.
 * Limits: one address is tried (no fallback to the next record), and no
 * connection is reused across requests (`agent: false`).
 *
 * @module
 */
import http from "node:http";
import https from "node:https";
import type { PinnedTarget } from "./ssrf_guard.ts";

/** What {@linkcode pinnedRequest} sends. */
export interface PinnedRequestInit {
  method: string;
  headers: Record<string, string | string[]>;
  body?: Uint8Array | undefined;
  /** Extra PEM roots to trust (in addition to the system store). */
  caCerts?: readonly string[] | undefined;
}

/** The head of a response plus a way to read or discard the body. */
export interface PinnedResponse {
  status: number;
  headers: Array<[string, string]>;
  /** The body chunks; stops with an error if the connection fails. */
  chunks: AsyncIterable<Uint8Array>;
  /** Closes the connection without reading further. */
  abort(reason: Error): void;
}

type LookupCallback = (
  error: Error | null,
  address: string | { address: string; family: number }[],
  family?: number,
) => void;

/**
 * Sends one request to `target.address` and resolves once the response head
 * arrived. Redirects are never followed. Rejects with the transport error.
 */
export function pinnedRequest(
  target: PinnedTarget,
  init: PinnedRequestInit,
): Promise<PinnedResponse> {
  const { url, address, family } = target;
  const secure = url.protocol === "https:";
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const lookup = (
    _name: string,
    options: { all?: boolean } | number,
    callback: LookupCallback,
  ) => {
    if (typeof options === "object" && options.all) {
      callback(null, [{ address, family }]);
    } else callback(null, address, family);
  };
  const options: https.RequestOptions = {
    protocol: url.protocol,
    hostname,
    port: url.port === "" ? (secure ? 443 : 80) : Number(url.port),
    path: `${url.pathname}${url.search}`,
    method: init.method,
    headers: init.headers,
    agent: false,
    lookup: lookup as unknown as https.RequestOptions["lookup"],
    ...(init.caCerts ? { ca: [...init.caCerts] } : {}),
  };
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(options, (response) => {
      const headers: Array<[string, string]> = [];
      const raw = response.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        headers.push([raw[i]!, raw[i + 1]!]);
      }
      resolve({
        status: response.statusCode ?? 0,
        headers,
        chunks: toChunks(response),
        abort: (reason) => request.destroy(reason),
      });
    });
    request.on("error", reject);
    if (init.body && init.body.length > 0) request.write(init.body);
    request.end();
  });
}

async function* toChunks(
  response: http.IncomingMessage,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of response) {
    yield typeof chunk === "string"
      ? new TextEncoder().encode(chunk)
      : new Uint8Array(chunk as Uint8Array);
  }
}
