/**
 * What every WS-based command does first: resolve port, credentials and the
 * device identity, then connect with the transport flags.
 *
 * @module
 */
import type { Role } from "../../gateway/protocol/types.ts";
import type { CliContext } from "../context.ts";
import { loadDeviceIdentity } from "../device_identity.ts";
import { resolveClientAuth } from "./client_auth.ts";
import { resolveClientPort } from "./port.ts";
import { connectGateway, type GatewayClient } from "./ws_client.ts";

/** The connection flags shared by `cara logs`, `cara pair`, …. */
export interface ConnectionFlags {
  host: string;
  port?: number;
  tls?: true;
  trust?: true;
  allowPlaintext?: true;
}

/**
 * Opens an authenticated gateway connection for a command.
 *
 * @example
 * ```ts
 * await using client = await openGatewaySession(ctx, flags, { role: "operator", scopes: ["operator.read"] });
 * ```
 */
export async function openGatewaySession(
  ctx: CliContext,
  flags: ConnectionFlags,
  access: { role: Role; scopes: string[]; requireAuth?: boolean },
): Promise<GatewayClient> {
  const { loadConfig } = await import("../../gateway/config/mod.ts");
  const { openCredentialStore } = await import(
    "../../gateway/credentials/open_store.ts"
  );
  const loaded = await loadConfig({ env: ctx.env });
  const port = await resolveClientPort(ctx, flags.port);
  const store = await openCredentialStore(ctx.env);
  const auth = await resolveClientAuth(ctx.env, {
    config: loaded.config.gateway.auth,
    store,
  });
  if (
    access.requireAuth && auth.token === undefined &&
    auth.password === undefined
  ) {
    const { CliError } = await import("../errors.ts");
    throw new CliError(
      "Cannot connect to the gateway: no gateway token or password found; set CARAPACE_GATEWAY_TOKEN or gateway.auth.token",
    );
  }
  const warn = (line: string) => ctx.io.err(line);
  const identity = await loadDeviceIdentity(ctx.env, { store, warn });
  return await connectGateway({
    host: flags.host,
    port,
    tls: flags.tls === true,
    trust: flags.trust === true,
    allowPlaintext: flags.allowPlaintext === true,
    role: access.role,
    scopes: access.scopes,
    auth,
    identity,
    env: ctx.env,
    warn,
  });
}
