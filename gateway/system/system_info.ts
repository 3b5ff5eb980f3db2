/**
 * The `system.info` WS method: runtime, process and session statistics.
 *
 * @module
 */
import type { HubStats } from "../protocol/hub.ts";
import type { MethodDefinition } from "../protocol/types.ts";
import type { SessionStore } from "../state/mod.ts";

/** Collaborators of {@linkcode systemInfoMethod}. */
export interface SystemInfoDeps {
  version: string;
  commit: string;
  sessions: Pick<SessionStore, "count">;
  wsStats: () => HubStats;
  uptimeMs: () => number;
  now?: () => number;
}

/** `system.info` (operator.read). */
export function systemInfoMethod(deps: SystemInfoDeps): MethodDefinition {
  const now = deps.now ?? Date.now;
  return {
    name: "system.info",
    scope: "operator.read",
    handler: () => {
      const memory = Deno.memoryUsage();
      return {
        ts: now(),
        version: deps.version,
        commit: deps.commit,
        uptimeMs: Math.floor(deps.uptimeMs()),
        runtime: {
          name: "carapace",
          deno: Deno.version.deno,
          v8: Deno.version.v8,
          typescript: Deno.version.typescript,
          platform: Deno.build.os,
          arch: Deno.build.arch,
          pid: Deno.pid,
        },
        memory: {
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          heapTotalBytes: memory.heapTotal,
        },
        sessions: {
          count: deps.sessions.count(),
          active: deps.sessions.count({ status: "active" }),
        },
        connections: deps.wsStats().connectionCount,
      };
    },
  };
}
