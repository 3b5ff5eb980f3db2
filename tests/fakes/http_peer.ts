/**
 * A loopback HTTP peer for outbound-fetch tests: echoes requests, redirects,
 * serves large or slow bodies and counts hits per path.
 *
 * Routes: `/echo` (JSON of method, path, headers, body length), `/redirect?to=URL`
 * (302), `/bytes?n=N` (N bytes, with Content-Length), `/chunked?n=N` (N bytes,
 * no Content-Length), `/slow?ms=N` (answers after N ms), `/file/<name>` (bytes
 * registered with {@linkcode HttpPeer.serveFile}), anything else 404.
 *
 * @module
 */

/** A running peer; `await using` stops it. */
export interface HttpPeer extends AsyncDisposable {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Requests seen per path. */
  hits(path: string): number;
  /** Headers of the last request to `path`. */
  lastHeaders(path: string): Headers | undefined;
  /** Serves `bytes` at `/file/<name>`. */
  serveFile(name: string, bytes: Uint8Array): void;
}

/** Starts a peer on 127.0.0.1, port 0 (optionally HTTPS with `cert`/`key`). */
export function startHttpPeer(
  tls?: { cert: string; key: string },
): HttpPeer {
  const counts = new Map<string, number>();
  const headers = new Map<string, Headers>();
  const files = new Map<string, Uint8Array>();
  const controller = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
    ...(tls ?? {}),
  }, async (request) => {
    const url = new URL(request.url);
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    headers.set(url.pathname, request.headers);
    const n = Number(url.searchParams.get("n") ?? "0");
    if (url.pathname === "/echo") {
      const body = new Uint8Array(await request.arrayBuffer());
      return Response.json({
        method: request.method,
        path: url.pathname + url.search,
        headers: Object.fromEntries(request.headers),
        bodyLength: body.length,
        body: new TextDecoder().decode(body),
      });
    }
    if (url.pathname === "/redirect") {
      return new Response(null, {
        status: 302,
        headers: { location: url.searchParams.get("to") ?? "/" },
      });
    }
    if (url.pathname === "/bytes") return new Response(new Uint8Array(n));
    if (url.pathname === "/chunked") return new Response(chunked(n));
    if (url.pathname === "/slow") {
      await new Promise((r) =>
        setTimeout(r, Number(url.searchParams.get("ms")))
      );
      return new Response("late");
    }
    const file = files.get(url.pathname.replace(/^\/file\//, ""));
    if (url.pathname.startsWith("/file/") && file) {
      return new Response(file.slice(), {
        headers: { "content-type": "application/wasm" },
      });
    }
    return new Response("not found", { status: 404 });
  });
  const port = server.addr.port;
  return {
    port,
    origin: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    hits: (path) => counts.get(path) ?? 0,
    lastHeaders: (path) => headers.get(path),
    serveFile: (name, bytes) => void files.set(name, bytes),
    async [Symbol.asyncDispose]() {
      controller.abort();
      await server.finished;
    },
  };
}

function chunked(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(65536, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size));
    },
  });
}
