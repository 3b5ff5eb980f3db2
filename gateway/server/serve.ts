/**
 * The runtime edge of the HTTP server: listens with `Deno.serve`, turns
 * listen failures into one-line errors, and shuts down by draining in-flight
 * requests for a bounded time before forcing them closed.
 *
 * @module
 */
import type { Logger } from "../logs/logger.ts";
import type { GatewayBindings } from "./client_address.ts";
import { isLoopbackIp } from "../net/loopback.ts";
import { listenError } from "./listen_error.ts";

/** Anything that answers a request given its peer info (a Hono app). */
export interface FetchHandler {
  fetch(request: Request, env: GatewayBindings): Response | Promise<Response>;
}

/** Options of {@linkcode serveGateway}. */
export interface ServeGatewayOptions {
  hostname: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Aborting it starts {@linkcode GatewayServer.shutdown}. */
  signal?: AbortSignal;
  /** PEM certificate chain and key: both given means HTTPS. */
  cert?: string;
  key?: string;
  logger: Logger;
  /** Called once the socket listens. */
  onListen?: (server: { hostname: string; port: number; url: string }) => void;
  /** How long shutdown waits for in-flight requests before forcing (default 10 s). */
  drainTimeoutMs?: number;
  /**
   * WebSocket upgrade handlers by exact path for loopback peers, served
   * before the app: a local client's connect skips the HTTP middleware
   * (exempt for loopback anyway). Other peers go through the app as usual.
   */
  loopbackUpgrades?: Readonly<
    Record<string, (request: Request, remoteIp: string) => Response>
  >;
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  return url.slice(start, query < 0 ? undefined : query);
}

/** A listening gateway. */
export interface GatewayServer {
  hostname: string;
  /** The actual port (useful with port 0). */
  port: number;
  /** Base URL, e.g. `http://127.0.0.1:18789`. */
  url: string;
  /** Stops accepting, drains in-flight requests (bounded), then resolves. */
  shutdown(): Promise<void>;
  /** Resolves when the listener has closed. */
  finished: Promise<void>;
}

// Bodies of these types may stream forever, so a forced shutdown cuts them.
const STREAMING_TYPES = ["text/event-stream", "application/x-ndjson"];

/**
 * Serves `app` on `hostname:port`.
 *
 * @throws {CaraError} `port_in_use`, `port_permission_denied`,
 * `address_not_available` or `tls_invalid` when the socket cannot listen.
 * @example
 * ```ts
 * const server = await serveGateway(app, { hostname: "127.0.0.1", port: 18789, logger });
 * await server.shutdown();
 * ```
 */
export function serveGateway(
  app: FetchHandler,
  options: ServeGatewayOptions,
): Promise<GatewayServer> {
  const log = options.logger.child("gateway.server");
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const tls = options.cert !== undefined && options.key !== undefined;
  const inFlight = new Set<(response: Response) => void>();
  const force = new AbortController();

  const upgrades = options.loopbackUpgrades;

  function handler(
    request: Request,
    info: Deno.ServeHandlerInfo,
  ): Response | Promise<Response> {
    if (upgrades !== undefined && info.remoteAddr.transport === "tcp") {
      const ip = info.remoteAddr.hostname;
      const upgrade = upgrades[pathOf(request.url)];
      if (
        upgrade !== undefined && isLoopbackIp(ip) &&
        request.headers.get("upgrade")?.toLowerCase() === "websocket"
      ) return upgrade(request, ip);
    }
    return new Promise((resolve) => {
      const settle = (response: Response) => {
        inFlight.delete(settle);
        resolve(response);
      };
      inFlight.add(settle);
      Promise.resolve()
        .then(() => app.fetch(request, { remoteAddr: info.remoteAddr }))
        .then(
          (response) => settle(cuttable(response, force.signal)),
          (error: unknown) => {
            log.error("request handler threw", { error });
            settle(
              Response.json({
                ok: false,
                error: "Internal server error: see the gateway log for details",
              }, {
                status: 500,
              }),
            );
          },
        );
    });
  }

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.hostname,
      port: options.port,
      ...(tls ? { cert: options.cert, key: options.key } : {}),
      onListen: () => {},
      onError: (error) => {
        log.error("HTTP server error", { error });
        return Response.json({ ok: false, error: "Internal server error" }, {
          status: 500,
        });
      },
    }, handler);
  } catch (error) {
    const reason = listenError(error, {
      hostname: options.hostname,
      port: options.port,
      tls,
    });
    return Promise.reject(reason);
  }

  const port = server.addr.port;
  const host = options.hostname.includes(":")
    ? `[${options.hostname}]`
    : options.hostname;
  const url = `${tls ? "https" : "http"}://${host}:${port}`;
  let closing: Promise<void> | undefined;

  async function shutdown(): Promise<void> {
    closing ??= (async () => {
      log.info("shutting down: draining in-flight requests", {
        inFlight: inFlight.size,
      });
      const drained = await within(server.shutdown(), drainTimeoutMs);
      if (drained) return;
      log.warn("drain timed out: closing remaining requests", {
        inFlight: inFlight.size,
        drainTimeoutMs,
      });
      force.abort();
      for (const settle of [...inFlight]) {
        settle(
          Response.json({
            ok: false,
            error: "Service unavailable: the gateway is shutting down",
          }, {
            status: 503,
            headers: { Connection: "close" },
          }),
        );
      }
      await within(server.finished, 2000);
    })();
    await closing;
  }

  const onAbort = () => void shutdown();
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  log.info("listening", { url });
  options.onListen?.({ hostname: options.hostname, port, url });
  return Promise.resolve({
    hostname: options.hostname,
    port,
    url,
    shutdown,
    finished: server.finished,
  });
}

function cuttable(response: Response, signal: AbortSignal): Response {
  const type = response.headers.get("content-type") ?? "";
  if (
    response.body === null || response.status === 101 ||
    !STREAMING_TYPES.some((t) => type.startsWith(t))
  ) {
    return response;
  }
  const body = response.body.pipeThrough(new TransformStream(), { signal });
  return new Response(body, response);
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((
    resolve,
  ) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
