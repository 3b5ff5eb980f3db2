/**
 * The system WS methods (`health`, `status`, `system.info`,
 * `system-presence`, `logs.tail`) and the events they add (`presence`).
 *
 * @example
 * ```ts
 * const presence = new PresenceRegistry({ events: hub });
 * registry.register(systemMethods({ ...deps, presence })).advertiseEvents(SYSTEM_EVENTS);
 * ```
 *
 * @module
 */
import type { Logger } from "../logs/logger.ts";
import type { HubStats } from "../protocol/hub.ts";
import type { MethodDefinition } from "../protocol/types.ts";
import type { SessionStore } from "../state/mod.ts";
import { healthMethod } from "./health.ts";
import { logsTailMethod } from "./logs_tail.ts";
import type { PresenceRegistry } from "./presence.ts";
import { type ChannelCounts, statusMethod } from "./status.ts";
import { systemInfoMethod } from "./system_info.ts";

export { healthPayload } from "./health.ts";
export { type PresenceEntry, PresenceRegistry } from "./presence.ts";

/** Events the system folder emits. */
export const SYSTEM_EVENTS: readonly string[] = ["presence"];

/** Collaborators of {@linkcode systemMethods}. */
export interface SystemMethodsDeps {
  version: string;
  commit: string;
  logger: Pick<Logger, "tail">;
  sessions: Pick<SessionStore, "count" | "list">;
  presence: PresenceRegistry;
  /** Live WS statistics (`hub.stats()`). */
  wsStats: () => HubStats;
  uptimeMs: () => number;
  channels?: () => ChannelCounts;
  /** Wall clock in epoch ms (default `Date.now`). */
  now?: () => number;
}

/** The system methods, each with its protocol.md §6 scope. */
export function systemMethods(deps: SystemMethodsDeps): MethodDefinition[] {
  const now = deps.now ?? Date.now;
  return [
    healthMethod({ wsStats: deps.wsStats, now }),
    statusMethod({
      version: deps.version,
      sessions: deps.sessions,
      uptimeMs: deps.uptimeMs,
      now,
      ...(deps.channels === undefined ? {} : { channels: deps.channels }),
    }),
    systemInfoMethod({ ...deps, now }),
    {
      name: "system-presence",
      scope: "operator.read",
      handler: ({ conn }) => deps.presence.visibleTo(conn),
    },
    logsTailMethod({ logger: deps.logger }),
  ];
}
