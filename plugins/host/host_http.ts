/**
 * `http-fetch`: HTTPS only, through the plugin's sandbox grant, permissions,
 * the shared 100/min limiter and the SSRF guard; bodies ≤ 10 MiB each way,
 * redirects returned as they are, never followed.
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";
import { guardedFetch } from "../../gateway/net/guarded_fetch.ts";
import { MAX_URL_LENGTH } from "../../gateway/net/ssrf_guard.ts";
import { permits } from "../policy/permissions.ts";
import {
  capabilityDenied,
  displayUrl,
  type HostContext,
  permissionDenied,
} from "./host_context.ts";
import type { HostResult, HttpRequest, HttpResponse } from "./types.ts";

/** Request and response bodies of plugins, in bytes (10 MiB). */
export const MAX_PLUGIN_BODY_BYTES = 10 * 1024 * 1024;
/** The longest timeout any host fetch may use (60 s). */
export const MAX_HOST_TIMEOUT_MS = 60_000;

const METHODS: ReadonlySet<string> = new Set([
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "HEAD",
  "OPTIONS",
]);

/**
 * Why `url` may not be fetched by this plugin right now (capability,
 * permission, rate limit), or `null`. Counts against the rate limit when allowed.
 */
export function admitFetch(
  ctx: HostContext,
  capability: "http" | "media",
  url: string,
): string | null {
  const granted = capability === "http" ? ctx.grant.http : ctx.grant.media;
  if (ctx.grant.enforced && !granted) return capabilityDenied(ctx, capability);
  if (url.length > MAX_URL_LENGTH) {
    return `Cannot fetch URL: it is ${url.length} characters long; the limit is ${MAX_URL_LENGTH}`;
  }
  const list = capability === "http"
    ? ctx.permissions.httpAllowedUrls
    : ctx.permissions.mediaAllowedUrls;
  if (!permits(ctx.permissions, list, url)) {
    return permissionDenied(
      ctx,
      capability === "http" ? "http URLs" : "media URLs",
      displayUrl(url),
    );
  }
  if (!ctx.httpLimiter.tryTake()) {
    return `Cannot fetch "${
      displayUrl(url)
    }": plugin "${ctx.pluginId}" made more than ${ctx.httpLimiter.limit} requests in a minute; try again later`;
  }
  return null;
}

/** The `httpFetch` of one plugin. */
export function createHttpFetch(
  ctx: HostContext,
): (request: HttpRequest) => Promise<HostResult<HttpResponse>> {
  return async (request) => {
    const method = String(request.method).toUpperCase();
    if (!METHODS.has(method)) {
      return err(
        ctx,
        `Cannot fetch: method "${request.method}" is not allowed; use one of ${
          [...METHODS].join(", ")
        }`,
      );
    }
    const refusal = admitFetch(ctx, "http", String(request.url));
    if (refusal !== null) return err(ctx, refusal);
    try {
      const response = await guardedFetch({
        method,
        url: request.url,
        headers: request.headers ?? [],
        body: request.body,
      }, {
        ...ctx.fetch,
        schemes: ["https:"],
        allowTailscale: ctx.grant.allowTailscale,
        timeoutMs: Math.min(ctx.httpTimeoutMs, MAX_HOST_TIMEOUT_MS),
        maxRequestBytes: MAX_PLUGIN_BODY_BYTES,
        maxResponseBytes: MAX_PLUGIN_BODY_BYTES,
      });
      return {
        tag: "ok",
        val: {
          status: response.status,
          headers: response.headers,
          body: response.body.length > 0 ? response.body : undefined,
        },
      };
    } catch (error) {
      if (error instanceof CaraError) return err(ctx, error.message);
      ctx.logger.error(ctx.target, "http-fetch failed unexpectedly", {
        error: String(error),
      });
      return { tag: "err", val: "Cannot fetch: internal error" };
    }
  };
}

function err(ctx: HostContext, message: string): HostResult<HttpResponse> {
  ctx.logger.warn(ctx.target, message);
  return { tag: "err", val: message };
}
