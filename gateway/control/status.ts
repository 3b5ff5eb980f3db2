/**
 * `GET /control/status`: version, uptime, channels, runtime and diagnostics.
 *
 * @module
 */
import type { ConfigSource } from "../config/config_editor.ts";

/** Where the status answer comes from. */
export interface ControlStatusSource {
  version: string;
  /** Wall-clock start of the gateway (ms since the epoch). */
  startedAtMs: number;
  reloader: ConfigSource;
  /** Channel counts; none are registered until channels exist. */
  channels?: () => { total: number; connected: number };
  /** Wall clock in ms (default `Date.now`). */
  now?: () => number;
}

/** The `GET /control/status` body. */
export interface ControlStatus {
  ok: true;
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  connectedChannels: number;
  totalChannels: number;
  runtime: { name: string; version: string; platform: string; arch: string };
  diagnostics: {
    config: { path: string; hash: string | null; warnings: string[] };
  };
}

/**
 * Builds the status answer now.
 *
 * @example
 * ```ts
 * c.json(controlStatus({ version: "0.1.0", startedAtMs, reloader }));
 * ```
 */
export function controlStatus(source: ControlStatusSource): ControlStatus {
  const now = (source.now ?? Date.now)();
  const channels = source.channels?.() ?? { total: 0, connected: 0 };
  const loaded = source.reloader.current;
  return {
    ok: true,
    version: source.version,
    startedAt: new Date(source.startedAtMs).toISOString(),
    uptimeSeconds: Math.max(0, Math.floor((now - source.startedAtMs) / 1000)),
    connectedChannels: channels.connected,
    totalChannels: channels.total,
    runtime: {
      name: "carapace",
      version: source.version,
      platform: Deno.build.os,
      arch: Deno.build.arch,
    },
    diagnostics: {
      config: {
        path: loaded.path,
        hash: loaded.hash,
        warnings: loaded.warnings,
      },
    },
  };
}
