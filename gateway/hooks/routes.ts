/**
 * Webhooks (protocol.md §10): `POST {hooks.path}/wake` and
 * `POST {hooks.path}/agent`, only while `gateway.hooks.enabled`; POST only
 * (405 otherwise), hooks token, body cap `gateway.hooks.maxBodyBytes`, error
 * body `{ok:false, error, errorCode?}`. `/agent` starts a run through
 * AgentRuns and answers 202 with its id without waiting for it.
 *
 * The path is read when the routes are mounted: changing `gateway.hooks.path`
 * needs a restart; `enabled`, `token` and the body cap apply per request.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { AgentRuns } from "../agent/types.ts";
import type { CaraConfig } from "../config/mod.ts";
import { CaraError } from "../errors.ts";
import { readJsonBody } from "../openai_compat/json_body.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { GatewayEnv } from "../server/client_address.ts";
import { hookAuth } from "./hook_auth.ts";
import { parseAgentHook, parseWakeHook, type WakeHook } from "./hook_bodies.ts";

/** Collaborators of {@linkcode hookRoutes}. */
export interface HookRoutesDeps {
  config: () => CaraConfig;
  runs: AgentRuns;
  /** Handles a wake (default: starts a run on session `hook:wake` with the text). */
  wake?: (wake: WakeHook) => Promise<void>;
}

const RUN_ERROR_STATUS: Record<string, 400 | 503> = {
  unknown_route: 400,
  missing_model: 400,
  invalid_request: 400,
  provider_not_configured: 503,
};

function fail(
  c: Context<GatewayEnv>,
  status: 400 | 404 | 405 | 413 | 503,
  error: string,
  errorCode?: string,
) {
  return c.json({
    ok: false,
    error,
    ...(errorCode === undefined ? {} : { errorCode }),
  }, status);
}

/** Maps a refused run start to its HTTP answer; rethrows our own bugs. */
function runRefused(c: Context<GatewayEnv>, error: unknown) {
  if (error instanceof CaraError || error instanceof ProtocolError) {
    return fail(
      c,
      RUN_ERROR_STATUS[error.code] ?? 400,
      error.message,
      error.code,
    );
  }
  throw error;
}

/**
 * Adds the hook routes under `config().gateway.hooks.path`.
 *
 * @example
 * ```ts
 * hookRoutes({ config: () => reloader.current.config, runs })(app);
 * ```
 */
export function hookRoutes(
  deps: HookRoutesDeps,
): (app: Hono<GatewayEnv>) => void {
  const wake = deps.wake ?? (async (w: WakeHook) => {
    await deps.runs.start({
      message: w.text,
      sessionKey: "hook:wake",
      source: "hook",
    });
  });
  return (app) => {
    const base = deps.config().gateway.hooks.path;
    app.use(`${base}/*`, async function hooksGate(c, next) {
      if (!deps.config().gateway.hooks.enabled) {
        return fail(
          c,
          404,
          `Not found: hooks are disabled; set gateway.hooks.enabled to true`,
        );
      }
      if (c.req.method !== "POST") {
        c.header("Allow", "POST");
        return fail(
          c,
          405,
          `Method not allowed: hooks accept POST only, got "${c.req.method}"`,
        );
      }
      await next();
    }, hookAuth(deps.config));
    const body = async (c: Context<GatewayEnv>) =>
      await readJsonBody(c.req.raw, deps.config().gateway.hooks.maxBodyBytes);
    app.post(`${base}/wake`, async (c) => {
      const read = await body(c);
      if (!read.ok) return fail(c, read.problem.status, read.problem.message);
      const parsed = parseWakeHook(read.value);
      if (typeof parsed === "string") return fail(c, 400, parsed);
      try {
        await wake(parsed);
      } catch (error) {
        return runRefused(c, error);
      }
      return c.json({ ok: true, mode: parsed.mode });
    });
    app.post(`${base}/agent`, async (c) => {
      const read = await body(c);
      if (!read.ok) return fail(c, read.problem.status, read.problem.message);
      const parsed = parseAgentHook(read.value);
      if (typeof parsed === "string") return fail(c, 400, parsed);
      try {
        const handle = await deps.runs.start(parsed);
        return c.json({ ok: true, runId: handle.runId }, 202);
      } catch (error) {
        return runRefused(c, error);
      }
    });
    app.post(
      `${base}/*`,
      (c) =>
        fail(
          c,
          404,
          `Not found: no hook at "${
            c.req.path.slice(0, 200)
          }"; use ${base}/wake or ${base}/agent`,
        ),
    );
  };
}
