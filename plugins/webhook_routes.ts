/**
 * `ANY /plugins/<pluginId>/*` (protocol.md §10): requests for a webhook
 * plugin, behind the hooks token (gateway/hooks/hook_auth.ts, compared in
 * constant time), with bodies capped at `gateway.hooks.maxBodyBytes`. A
 * path no active plugin claims through `webhook.get-paths` answers 404; a
 * plugin that fails answers 502 and the gateway keeps serving.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { CaraConfig } from "../gateway/config/mod.ts";
import { CaraError } from "../gateway/errors.ts";
import { hookAuth } from "../gateway/hooks/hook_auth.ts";
import type { GatewayEnv } from "../gateway/server/client_address.ts";
import type { PluginCaller } from "./tool_adapter.ts";

/** One webhook plugin: the paths it claims and its sandbox. */
export interface WebhookTarget {
  /** From `webhook.get-paths`, e.g. `["/events", "/cb/*"]`. */
  paths: readonly string[];
  plugin: PluginCaller;
}

/** Collaborators of {@linkcode pluginWebhookRoutes}. */
export interface WebhookRoutesDeps {
  config: () => CaraConfig;
  /** The active webhook plugin with this id, if any. */
  target(pluginId: string): WebhookTarget | undefined;
}

/** WIT caps request and response bodies at 10 MiB. */
const MAX_RESPONSE_BODY = 10 * 1024 * 1024;

/** Whether `path` is one of `claimed` (a trailing `/*` claims a subtree). */
export function claimsPath(claimed: readonly string[], path: string): boolean {
  return claimed.some((p) =>
    p.endsWith("/*")
      ? path === p.slice(0, -2) || path.startsWith(p.slice(0, -1))
      : p === path
  );
}

function fail(c: Context<GatewayEnv>, status: 404 | 413 | 502, error: string) {
  return c.json({ ok: false, error }, status);
}

async function readCapped(
  request: Request,
  max: number,
): Promise<Uint8Array | undefined | "too-large"> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) return "too-large";
  if (!request.body) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.length;
    if (size > max) return "too-large";
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, (at += chunk.length) - chunk.length);
  }
  return body;
}

function toResponse(value: unknown): Response {
  const res = (value ?? {}) as Record<string, unknown>;
  const status = Number(res.status);
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new CaraError(
      "plugin_webhook_invalid",
      `the plugin answered status "${String(res.status)}"; expected 200-599`,
    );
  }
  const headers = new Headers();
  for (const pair of Array.isArray(res.headers) ? res.headers : []) {
    if (Array.isArray(pair)) headers.append(String(pair[0]), String(pair[1]));
  }
  const body = res.body instanceof Uint8Array ? res.body : null;
  if (body && body.length > MAX_RESPONSE_BODY) {
    throw new CaraError(
      "plugin_webhook_invalid",
      `the plugin's response body is larger than ${MAX_RESPONSE_BODY} bytes`,
    );
  }
  const empty = status === 204 || status === 205 || status === 304;
  return new Response(empty ? null : body as Uint8Array<ArrayBuffer> | null, {
    status,
    headers,
  });
}

/**
 * Adds the plugin webhook routes.
 *
 * @example
 * ```ts
 * pluginWebhookRoutes({ config, target: (id) => webhooks.get(id) })(app);
 * ```
 */
export function pluginWebhookRoutes(
  deps: WebhookRoutesDeps,
): (app: Hono<GatewayEnv>) => void {
  return (app) => {
    const handle = async (c: Context<GatewayEnv>) => {
      const pluginId = c.req.param("pluginId") ?? "";
      const prefix = `/plugins/${pluginId}`;
      const path = c.req.path.slice(prefix.length) || "/";
      const target = deps.target(pluginId);
      if (!target || !claimsPath(target.paths, path)) {
        return fail(
          c,
          404,
          `Not found: no active plugin serves "${prefix}${path}"`.slice(0, 300),
        );
      }
      const max = deps.config().gateway.hooks.maxBodyBytes;
      const body = await readCapped(c.req.raw, max);
      if (body === "too-large") {
        return fail(
          c,
          413,
          `Request body too large: the limit is ${max} bytes (gateway.hooks.maxBodyBytes)`,
        );
      }
      const query = new URL(c.req.url).search.slice(1);
      const request = {
        method: c.req.method,
        path,
        headers: [...c.req.raw.headers.entries()],
        body,
        query: query === "" ? undefined : query,
      };
      try {
        const outcome = await target.plugin.call("webhook", "handle", [
          request,
        ]);
        if (!outcome.ok) {
          const e = (outcome.pluginError ?? {}) as Record<string, unknown>;
          return fail(
            c,
            502,
            `Plugin "${pluginId}" refused the request: ${
              String(e.code ?? "error")
            }: ${String(e.message ?? "")}`.slice(0, 4096),
          );
        }
        return toResponse(outcome.value);
      } catch (error) {
        const why = error instanceof CaraError
          ? error.message
          : "the plugin failed";
        return fail(c, 502, `Plugin "${pluginId}" failed: ${why}`);
      }
    };
    app.all("/plugins/:pluginId/*", hookAuth(deps.config), handle);
    app.all("/plugins/:pluginId", hookAuth(deps.config), handle);
  };
}
