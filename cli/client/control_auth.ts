/**
 * The `Authorization` header for the HTTP control API, resolved like the
 * WebSocket client's credentials (env → config → credential store).
 * Credentials are only ever sent to a loopback host over plain HTTP.
 *
 * @module
 */
import type { CliContext } from "../context.ts";
import { resolveClientAuth } from "./client_auth.ts";
import { isLoopbackHost } from "../../gateway/net/loopback.ts";

/** `{authorization: "Bearer …"}` (token preferred), or `{}` when none or not loopback. */
export async function controlAuthHeaders(
  ctx: CliContext,
  host: string,
): Promise<Record<string, string>> {
  if (!isLoopbackHost(host)) return {};
  const { loadConfig } = await import("../../gateway/config/mod.ts");
  const { openCredentialStore } = await import(
    "../../gateway/credentials/open_store.ts"
  );
  const loaded = await loadConfig({ env: ctx.env });
  const auth = await resolveClientAuth(ctx.env, {
    config: loaded.config.gateway.auth,
    store: await openCredentialStore(ctx.env),
  });
  const secret = auth.token ?? auth.password;
  return secret === undefined ? {} : { authorization: `Bearer ${secret}` };
}
