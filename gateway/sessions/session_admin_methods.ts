/**
 * The admin-only `sessions.*` methods of protocol.md §6 rule 1:
 * `sessions.switch` (per-connection default session), `sessions.archives`,
 * `sessions.archive.delete`, `sessions.export_user` and
 * `sessions.purge_user` (audited as `session_purged`).
 *
 * @module
 */
import type { MethodParams } from "../agent/method_params.ts";
import type { MethodDefinition } from "../protocol/types.ts";
import type { Session, StateDatabase } from "../state/mod.ts";
import { sessionMethod } from "./_method.ts";
import type { ConnectionSessions } from "./connection_sessions.ts";
import { SessionQuery } from "./session_query.ts";
import { sessionView } from "./session_view.ts";
import {
  exportUserSessions,
  purgeUserSessions,
  USER_ID_MAX_CHARS,
} from "./user_data.ts";

/** Collaborators of {@linkcode sessionAdminMethods}. */
export interface SessionAdminMethodsDeps {
  state: StateDatabase;
  /** Shared with `chat.send`/`agent`, which read each connection's default. */
  defaults: ConnectionSessions;
}

/** The five methods, all `operator.admin`. */
export function sessionAdminMethods(
  deps: SessionAdminMethodsDeps,
): MethodDefinition[] {
  const { state, defaults } = deps;
  const query = new SessionQuery(state);
  const byKeyOrId = (p: MethodParams): Session => {
    const id = p.optionalText("sessionId", 128);
    const key = id === undefined ? p.text(["key", "sessionKey"]) : undefined;
    const session = key === undefined
      ? state.sessions.get(id!)
      : state.sessions.getByKey(key);
    if (session === undefined) {
      throw p.bad(
        key === undefined
          ? `no session with id "${id}"`
          : `no session with key "${key}"`,
      );
    }
    return session;
  };
  return [
    sessionMethod("sessions.switch", "operator.admin", (p, ctx) => {
      const key = p.text(["key", "sessionKey"]);
      const session = state.sessions.getByKey(key);
      if (session === undefined) throw p.bad(`no session with key "${key}"`);
      if (session.status === "archived") {
        throw p.bad(`session "${key}" is archived; restore it first`);
      }
      const previous = defaults.switch(ctx.conn.connId, key, ctx.signal);
      return {
        ok: true,
        key,
        sessionId: session.id,
        previousKey: previous ?? null,
      };
    }),
    sessionMethod("sessions.archives", "operator.admin", (p) => {
      const limit = p.int("limit", { min: 1, max: 1000 }) ?? 50;
      const offset = p.int("offset", { min: 0, max: 1_000_000 }) ?? 0;
      const page = query.page({ status: "archived" }, { limit, offset });
      return { count: page.count, archives: page.sessions.map(sessionView) };
    }),
    sessionMethod("sessions.archive.delete", "operator.admin", (p) => {
      const session = byKeyOrId(p);
      if (session.status !== "archived") {
        throw p.bad(
          `session "${session.sessionKey}" is not archived; archive it first or use sessions.delete`,
        );
      }
      const deletedMessages = state.transaction(() => {
        const count = state.sessions.messages.count(session.id);
        state.sessions.delete(session.id);
        return count;
      });
      return {
        ok: true,
        key: session.sessionKey,
        sessionId: session.id,
        deleted: true,
        deletedMessages,
      };
    }),
    sessionMethod("sessions.export_user", "operator.admin", (p, ctx) => {
      const userId = p.text("userId", USER_ID_MAX_CHARS);
      const data = exportUserSessions(state, userId);
      state.audit.append({
        event: "data_exported",
        data: {
          kind: "user_sessions",
          userId,
          sessions: data.sessionCount,
          messages: data.messageCount,
          connId: ctx.conn.connId,
        },
      });
      return data;
    }),
    sessionMethod("sessions.purge_user", "operator.admin", (p, ctx) => {
      const userId = p.text("userId", USER_ID_MAX_CHARS);
      if (p.flag("confirm") !== true) {
        throw p.bad(
          `confirm must be true to delete every session of user "${userId}"`,
        );
      }
      const purged = purgeUserSessions(state, userId);
      state.audit.append({
        event: "session_purged",
        data: { userId, ...purged, connId: ctx.conn.connId },
      });
      return { ok: true, userId, ...purged };
    }),
  ];
}
