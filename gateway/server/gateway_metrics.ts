/**
 * The gateway's own metric families (protocol §10 names), registered once so
 * every feature module increments the same series.
 *
 * @module
 */
import { type Counter, type Gauge, MetricsRegistry } from "./metrics.ts";

/** Options of {@linkcode createGatewayMetrics}. */
export interface GatewayMetricsOptions {
  version: string;
  commit: string;
  /** Monotonic clock in milliseconds (default `performance.now`). */
  clock?: () => number;
}

/** The registry plus a handle on each gateway metric. */
export interface GatewayMetrics {
  readonly registry: MetricsRegistry;
  /** `carapace_http_requests_total{method,status}`. */
  readonly httpRequests: Counter;
  /** `carapace_rate_limit_hits_total`. */
  readonly rateLimitHits: Counter;
  /** `carapace_ws_connections_active`. */
  readonly wsConnectionsActive: Gauge;
  /** `carapace_ws_messages_total{direction}` with direction `in` or `out`. */
  readonly wsMessages: Counter;
  /** `carapace_ws_broadcast_drops_total`. */
  readonly wsBroadcastDrops: Counter;
  /** `carapace_agent_runs_total{status}`. */
  readonly agentRuns: Counter;
  /** `carapace_agent_tokens_total{direction}` with direction `input` or `output`. */
  readonly agentTokens: Counter;
  /** `carapace_sessions_active`. */
  readonly sessionsActive: Gauge;
  /** `carapace_cron_executions_total{status}`. */
  readonly cronExecutions: Counter;
}

/**
 * Registers the gateway metric families; build info and uptime are filled in.
 *
 * @example
 * ```ts
 * const metrics = createGatewayMetrics({ version: "0.1.0", commit: "abc123" });
 * metrics.httpRequests.inc({ method: "GET", status: "200" });
 * metrics.registry.render();
 * ```
 */
export function createGatewayMetrics(
  options: GatewayMetricsOptions,
): GatewayMetrics {
  const clock = options.clock ?? (() => performance.now());
  const startedAt = clock();
  const registry = new MetricsRegistry();
  const httpRequests = registry.counter(
    "carapace_http_requests_total",
    "HTTP requests served",
    ["method", "status"],
  );
  const wsConnectionsActive = registry.gauge(
    "carapace_ws_connections_active",
    "Open WebSocket connections",
  );
  const wsMessages = registry.counter(
    "carapace_ws_messages_total",
    "WebSocket messages",
    ["direction"],
  );
  const agentRuns = registry.counter(
    "carapace_agent_runs_total",
    "Agent runs finished",
    ["status"],
  );
  const agentTokens = registry.counter(
    "carapace_agent_tokens_total",
    "LLM tokens used",
    ["direction"],
  );
  const sessionsActive = registry.gauge(
    "carapace_sessions_active",
    "Sessions with activity",
  );
  const cronExecutions = registry.counter(
    "carapace_cron_executions_total",
    "Cron job executions",
    ["status"],
  );
  const rateLimitHits = registry.counter(
    "carapace_rate_limit_hits_total",
    "HTTP requests refused by the rate limit",
  );
  const wsBroadcastDrops = registry.counter(
    "carapace_ws_broadcast_drops_total",
    "Broadcast frames dropped",
  );
  registry.gauge("carapace_build_info", "Build of this gateway", {
    labelNames: ["version", "commit"],
  })
    .set(1, { version: options.version, commit: options.commit });
  registry.gauge(
    "carapace_uptime_seconds",
    "Seconds since the gateway started",
    {
      collect: () => Math.floor((clock() - startedAt) / 1000),
    },
  );
  return {
    registry,
    httpRequests,
    rateLimitHits,
    wsConnectionsActive,
    wsMessages,
    wsBroadcastDrops,
    agentRuns,
    agentTokens,
    sessionsActive,
    cronExecutions,
  };
}
