/**
 * The gateway's Hono app: request log, security headers, rate limit and body
 * cap around the probe routes plus whatever the composition root adds.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { Logger } from "../logs/logger.ts";
import { bodyLimit, DEFAULT_MAX_BODY_BYTES } from "./body_limit.ts";
import type { ClientAddressResolver, GatewayEnv } from "./client_address.ts";
import { errorHandler } from "./error_handler.ts";
import {
  createGatewayMetrics,
  type GatewayMetrics,
} from "./gateway_metrics.ts";
import { healthRoutes } from "./health.ts";
import { rateLimit, type RateLimitRule } from "./rate_limit.ts";
import type { ReadinessCheck } from "./readiness.ts";
import { stateDirWritable } from "./readiness.ts";
import { requestLog } from "./request_log.ts";
import { securityHeaders } from "./security_headers.ts";

/** Options of {@linkcode createGatewayApp}. */
export interface GatewayAppOptions {
  version: string;
  commit: string;
  logger: Logger;
  /** Metric families (default: new ones from `version`, `commit` and `clock`). */
  metrics?: GatewayMetrics;
  /** Extra readiness checks; a state-dir check is added when `stateDir` is set. */
  readinessChecks?: readonly ReadinessCheck[];
  stateDir?: string;
  /** Overrides of the rate limit; `false` turns it off. */
  rateLimit?: false | {
    rules?: readonly RateLimitRule[];
    fallback?: Omit<RateLimitRule, "prefix">;
    clientAddress?: ClientAddressResolver;
  };
  /** Request body cap in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Whether the listener speaks TLS (adds HSTS). */
  tls?: boolean;
  /** Monotonic clock in milliseconds (default `performance.now`). */
  clock?: () => number;
  /**
   * WebSocket endpoints by path, served ahead of the HTTP middleware: an
   * upgrade request carries no body, its 101 response must reach Deno
   * untouched, and the endpoint applies its own admission limits and logs its
   * own connects. Only the per-IP rate limit runs first. A request to the
   * same path without `Upgrade: websocket` goes on to `routes`.
   */
  upgrades?: Readonly<
    Record<string, (c: Context<GatewayEnv>) => Response>
  >;
  /** Adds later routes (`/ws`, `/control/*`, hooks) behind the same middleware. */
  routes?: (app: Hono<GatewayEnv>) => void;
}

/**
 * Builds the gateway app; serve it with `serveGateway`.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: "info" });
 * const app = createGatewayApp({ version: "0.1.0", commit: "dev", logger, stateDir });
 * const res = await app.request("/health");
 * ```
 */
export function createGatewayApp(options: GatewayAppOptions): Hono<GatewayEnv> {
  const log = options.logger.child("gateway.http");
  const clock = options.clock ?? (() => performance.now());
  const metrics = options.metrics ??
    createGatewayMetrics({
      version: options.version,
      commit: options.commit,
      clock,
    });
  const checks = [
    ...(options.stateDir === undefined
      ? []
      : [stateDirWritable(options.stateDir)]),
    ...(options.readinessChecks ?? []),
  ];
  const app = new Hono<GatewayEnv>();
  app.onError(errorHandler(log));
  app.notFound((c) =>
    c.json({
      ok: false,
      error: `Not found: ${JSON.stringify(truncate(c.req.path))}`,
    }, 404)
  );
  const limiter = options.rateLimit === false ? undefined : rateLimit({
    ...options.rateLimit,
    clock,
    onLimited: () => metrics.rateLimitHits.inc(),
  });
  for (const [path, upgrade] of Object.entries(options.upgrades ?? {})) {
    app.get(path, async (c, next) => {
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
        return await next();
      }
      if (limiter === undefined) return upgrade(c);
      const refused = await limiter(c, () => {
        c.res = upgrade(c);
        return Promise.resolve();
      });
      return refused ?? c.res;
    });
  }
  app.use(requestLog({ logger: log, requests: metrics.httpRequests, clock }));
  app.use(securityHeaders({ tls: options.tls ?? false }));
  if (limiter !== undefined) app.use(limiter);
  app.use(
    bodyLimit({ maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }),
  );
  app.route(
    "/",
    healthRoutes({
      version: options.version,
      readinessChecks: checks,
      registry: metrics.registry,
      logger: log,
      clock,
    }),
  );
  options.routes?.(app);
  return app;
}

function truncate(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
