/**
 * Which port a client command talks to: `--port`, else `gateway.port` from the
 * config (loaded the same way the gateway loads it), else 18789.
 *
 * @module
 */
import type { CliContext } from "../context.ts";

/** The port the gateway listens on when nothing else is configured. */
export const DEFAULT_PORT = 18789;

/** Resolves the gateway port for a client command. */
export async function resolveClientPort(
  ctx: CliContext,
  explicit: number | undefined,
): Promise<number> {
  if (explicit !== undefined) return explicit;
  const { loadConfig } = await import("../../gateway/config/mod.ts");
  const loaded = await loadConfig({ env: ctx.env });
  return loaded.config.gateway.port ?? DEFAULT_PORT;
}
