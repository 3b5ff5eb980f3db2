/**
 * The `status` WS method (protocol.md §7): version, uptime, runtime,
 * channels and the most recent sessions from the state database.
 *
 * @module
 */
import type { MethodDefinition } from "../protocol/types.ts";
import type { SessionStore } from "../state/mod.ts";

/** Channel counts (from the channel registry once channels exist). */
export interface ChannelCounts {
  total: number;
  connected: number;
}

/** Collaborators of {@linkcode statusMethod}. */
export interface StatusDeps {
  version: string;
  sessions: Pick<SessionStore, "count" | "list">;
  uptimeMs: () => number;
  /** Default: no channels are registered (this build has none yet). */
  channels?: () => ChannelCounts;
  now?: () => number;
}

const RECENT_SESSIONS = 10;

/** `status` (operator.read). */
export function statusMethod(deps: StatusDeps): MethodDefinition {
  const now = deps.now ?? Date.now;
  return {
    name: "status",
    scope: "operator.read",
    handler: () => ({
      ts: now(),
      status: "ok",
      uptimeMs: Math.floor(deps.uptimeMs()),
      version: deps.version,
      runtime: {
        name: "carapace",
        platform: Deno.build.os,
        arch: Deno.build.arch,
      },
      channels: deps.channels?.() ?? { total: 0, connected: 0 },
      sessions: {
        count: deps.sessions.count(),
        recent: deps.sessions.list({ limit: RECENT_SESSIONS }).map((s) => ({
          sessionId: s.id,
          key: s.sessionKey,
          updatedAt: s.updatedAt,
        })),
      },
    }),
  };
}
