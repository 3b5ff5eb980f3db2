/**
 * The `/control/*` HTTP API, answered only while `gateway.control.enabled`
 * is true (checked per request, so a config reload turns it on or off):
 * `GET /control/status`, `GET /control/config`, `PATCH /control/config`.
 * Every route sits behind CSRF protection and service auth.
 *
 * @module
 */
import type { Hono, MiddlewareHandler } from "hono";
import type { ConfigEditor, ConfigSource } from "../config/config_editor.ts";
import { readConfigSnapshot } from "../config/config_snapshot.ts";
import type { Env } from "../config/paths.ts";
import type { SecretKeyring } from "../config/secrets/keyring.ts";
import { bodyLimit } from "../server/body_limit.ts";
import type { GatewayEnv } from "../server/client_address.ts";
import { MAX_CONTROL_PATCH_BYTES, patchControlConfig } from "./config_patch.ts";
import { csrfProtection } from "./csrf.ts";
import { type CsrfSessions, CsrfSessionStore } from "./csrf_sessions.ts";
import { controlStatus, type ControlStatusSource } from "./status.ts";

/** Collaborators of {@linkcode controlRoutes}. */
export interface ControlRoutesDeps {
  env: Env;
  keyring: SecretKeyring | null;
  reloader: ConfigSource;
  /** The editor shared with the `config.*` WS methods. */
  editor: ConfigEditor;
  /** Service auth (`Authorization: Bearer …`); answers 401 itself. */
  auth: MiddlewareHandler<GatewayEnv>;
  /** Control UI sessions (default: a new in-memory store). */
  sessions?: CsrfSessions;
  /** Whether the listener speaks TLS. */
  tls: boolean;
  version: string;
  startedAtMs: number;
  channels?: ControlStatusSource["channels"];
  now?: () => number;
}

/**
 * Adds the control routes; pass the result as `createGatewayApp({routes})`.
 *
 * @example
 * ```ts
 * createGatewayApp({ ...options, routes: controlRoutes({ env, keyring, reloader, editor, auth, tls: false, version, startedAtMs: Date.now() }) });
 * ```
 */
export function controlRoutes(
  deps: ControlRoutesDeps,
): (app: Hono<GatewayEnv>) => void {
  const sessions = deps.sessions ?? new CsrfSessionStore();
  const enabled: MiddlewareHandler<GatewayEnv> = async function controlEnabled(
    c,
    next,
  ) {
    if (!deps.reloader.current.config.gateway.control.enabled) {
      return c.json({
        ok: false,
        error: `Not found: ${JSON.stringify(c.req.path.slice(0, 200))}`,
      }, 404);
    }
    await next();
  };
  return (app) => {
    app.use(
      "/control/*",
      enabled,
      csrfProtection({ sessions, tls: deps.tls }),
      deps.auth,
    );
    app.get("/control/status", (c) =>
      c.json(controlStatus({
        version: deps.version,
        startedAtMs: deps.startedAtMs,
        reloader: deps.reloader,
        ...(deps.channels === undefined ? {} : { channels: deps.channels }),
        ...(deps.now === undefined ? {} : { now: deps.now }),
      })));
    app.get("/control/config", async (c) => {
      const snapshot = await readConfigSnapshot({
        env: deps.env,
        keyring: deps.keyring,
        path: deps.reloader.current.path,
      });
      return c.json({
        ok: true,
        config: snapshot.config ?? snapshot.parsed,
        hash: snapshot.hash,
      });
    });
    app.patch(
      "/control/config",
      bodyLimit({ maxBytes: MAX_CONTROL_PATCH_BYTES }),
      (c) => patchControlConfig(c, deps.editor),
    );
  };
}
