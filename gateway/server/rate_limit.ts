/**
 * Per-IP token-bucket rate limiting for HTTP (protocol §10). Loopback peers
 * are exempt; the first rule whose prefix matches the path wins.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { isLoopbackAddress } from "./bind.ts";
import {
  type ClientAddressResolver,
  type GatewayEnv,
  remoteAddress,
} from "./client_address.ts";

/** Sustained requests per second and bucket size for a path prefix. */
export interface RateLimitRule {
  prefix: string;
  perSecond: number;
  burst: number;
}

/** The limit for paths no rule matches: 100/s, burst 200. */
export const DEFAULT_RATE_LIMIT: Readonly<Omit<RateLimitRule, "prefix">> = {
  perSecond: 100,
  burst: 200,
};

/** Stricter limits by path prefix; first match wins, so longer prefixes come first. */
export const DEFAULT_RATE_LIMIT_RULES: readonly RateLimitRule[] = [
  { prefix: "/hooks/", perSecond: 50, burst: 100 },
  { prefix: "/tools/", perSecond: 50, burst: 100 },
  { prefix: "/control/matrix/verifications/", perSecond: 5, burst: 10 },
  { prefix: "/control/matrix/verifications", perSecond: 60, burst: 120 },
  { prefix: "/control/matrix/send-test", perSecond: 5, burst: 10 },
];

/** Options of {@linkcode rateLimit}. */
export interface RateLimitOptions {
  /** Prefix rules (default {@linkcode DEFAULT_RATE_LIMIT_RULES}). */
  rules?: readonly RateLimitRule[];
  /** Limit for other paths (default {@linkcode DEFAULT_RATE_LIMIT}). */
  fallback?: Omit<RateLimitRule, "prefix">;
  /** Client address (default: the TCP peer); `undefined` is limited as one client. */
  clientAddress?: ClientAddressResolver;
  /** Monotonic clock in milliseconds (default `performance.now`). */
  clock?: () => number;
  /**
   * Most buckets kept (default 10 000): beyond it the least recently used is
   * dropped; buckets idle long enough to be full again are dropped anyway.
   */
  maxBuckets?: number;
  /** Called for every refused request, e.g. to count it. */
  onLimited?: (client: string, path: string) => void;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Middleware answering 429 JSON with `Retry-After` once a client's bucket for
 * the matched rule is empty.
 *
 * @example
 * ```ts
 * app.use(rateLimit({ onLimited: () => metrics.rateLimitHits.inc() }));
 * ```
 */
export function rateLimit(
  options: RateLimitOptions = {},
): MiddlewareHandler<GatewayEnv> {
  const rules = [...(options.rules ?? DEFAULT_RATE_LIMIT_RULES), {
    prefix: "",
    ...(options.fallback ?? DEFAULT_RATE_LIMIT),
  }];
  for (const rule of rules) {
    if (!(rule.perSecond > 0) || !(rule.burst >= 1)) {
      throw new RangeError(
        `Cannot use rate limit for "${rule.prefix}": perSecond ${rule.perSecond} and burst ${rule.burst} must be positive`,
      );
    }
  }
  const clientAddress = options.clientAddress ?? remoteAddress;
  const clock = options.clock ?? (() => performance.now());
  const maxBuckets = options.maxBuckets ?? 10_000;
  const buckets = new Map<string, Bucket>();
  // After this long without requests every bucket is full again, so dropping it changes nothing.
  const refillMs = Math.max(
    ...rules.map((rule) => (rule.burst / rule.perSecond) * 1000),
  );

  return async function rateLimit(c, next) {
    const client = clientAddress(c) ?? "unknown";
    if (isLoopbackAddress(client)) return await next();
    const path = c.req.path;
    const index = rules.findIndex((rule) => path.startsWith(rule.prefix));
    const rule = rules[index]!;
    const key = `${index}|${client}`;
    const now = clock();
    evictIdle(buckets, now - refillMs);
    const bucket = buckets.get(key) ?? { tokens: rule.burst, updatedAt: now };
    bucket.tokens = Math.min(
      rule.burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * rule.perSecond,
    );
    bucket.updatedAt = now;
    // Re-inserting keeps the Map in least-recently-used order for eviction.
    buckets.delete(key);
    buckets.set(key, bucket);
    if (buckets.size > maxBuckets) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return await next();
    }
    options.onLimited?.(client, path);
    const retryAfter = Math.max(
      1,
      Math.ceil((1 - bucket.tokens) / rule.perSecond),
    );
    c.header("Retry-After", String(retryAfter));
    return c.json({
      ok: false,
      error: `Too many requests: slow down and retry after ${retryAfter} s`,
    }, 429);
  };
}

function evictIdle(buckets: Map<string, Bucket>, before: number): void {
  // The Map is in least-recently-used order, so idle buckets sit at the front.
  for (const [key, bucket] of buckets) {
    if (bucket.updatedAt > before) return;
    buckets.delete(key);
  }
}
