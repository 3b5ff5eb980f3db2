/**
 * Unauthenticated probe routes: `GET /health`, `/health/live`,
 * `/health/ready` and `/metrics`.
 *
 * Readiness answers carry only a check name and a short reason; the precise
 * failure (paths, OS errors) goes to the log, not to anonymous callers.
 *
 * @module
 */
import { Hono } from "hono";
import type { ScopedLogger } from "../logs/logger.ts";
import type { GatewayEnv } from "./client_address.ts";
import { type MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from "./metrics.ts";
import { runReadinessChecks } from "./readiness.ts";
import type { ReadinessCheck } from "./readiness.ts";

/** Options of {@linkcode healthRoutes}. */
export interface HealthRoutesOptions {
  version: string;
  readinessChecks: readonly ReadinessCheck[];
  registry: MetricsRegistry;
  logger: ScopedLogger;
  /** Monotonic clock in milliseconds (default `performance.now`). */
  clock?: () => number;
}

/**
 * The probe routes as a Hono sub-app to mount at `/`.
 *
 * @example
 * ```ts
 * app.route("/", healthRoutes({ version, readinessChecks: [stateDirWritable(dir)], registry, logger }));
 * ```
 */
export function healthRoutes(options: HealthRoutesOptions): Hono<GatewayEnv> {
  const clock = options.clock ?? (() => performance.now());
  const startedAt = clock();
  const live = () => ({
    status: "ok",
    version: options.version,
    uptimeSeconds: Math.floor((clock() - startedAt) / 1000),
  });
  const routes = new Hono<GatewayEnv>();
  routes.get("/health", (c) => c.json(live()));
  routes.get("/health/live", (c) => c.json(live()));
  routes.get("/health/ready", async (c) => {
    const { ready, checks, failures } = await runReadinessChecks(
      options.readinessChecks,
    );
    for (const failure of failures) {
      options.logger.warn("readiness check failed", failure);
    }
    if (ready) return c.json({ status: "ready", checks });
    c.header("Retry-After", "5");
    return c.json({ status: "not_ready", checks }, 503);
  });
  routes.get("/metrics", (c) => {
    c.header("Content-Type", PROMETHEUS_CONTENT_TYPE);
    return c.body(options.registry.render());
  });
  return routes;
}
