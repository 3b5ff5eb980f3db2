/**
 * The `sessions.*` WS methods (protocol.md §7): list, preview, load (read);
 * create, fork, rename, patch, reset, delete, compact, archive, restore, and
 * the admin methods of session_admin_methods.ts (admin, rule 1 of §6).
 * Sessions are addressed by `key` (or `sessionKey`).
 *
 * @module
 */
import type { MethodParams } from "../agent/method_params.ts";
import type { CaraConfig } from "../config/schema.ts";
import type { MethodDefinition } from "../protocol/types.ts";
import {
  type JsonObject,
  type Session,
  SESSION_STATUSES,
  type SessionStatus,
  type StateDatabase,
} from "../state/mod.ts";
import { sessionMethod as method } from "./_method.ts";
import type { ConnectionSessions } from "./connection_sessions.ts";
import { sessionAdminMethods } from "./session_admin_methods.ts";
import { type SessionFilter, SessionQuery } from "./session_query.ts";
import { compactSession, forkSession, resetSession } from "./session_ops.ts";
import { sessionView as view } from "./session_view.ts";

/** Collaborators of {@linkcode sessionMethods}. */
export interface SessionMethodsDeps {
  state: StateDatabase;
  config: () => CaraConfig;
  /** Each connection's `sessions.switch` default, shared with `chat.send`. */
  defaults: ConnectionSessions;
}

/** The longest `activeMinutes` of `sessions.list` (one year). */
const MAX_ACTIVE_MINUTES = 525_600;

/** The `sessions.list` filters in `p`. */
function listFilter(p: MethodParams): SessionFilter {
  const status = p.optionalText("status", 32) as SessionStatus | undefined;
  if (status !== undefined && !SESSION_STATUSES.includes(status)) {
    throw p.bad(`status must be one of ${SESSION_STATUSES.join(", ")}`);
  }
  const minutes = p.int("activeMinutes", { min: 1, max: MAX_ACTIVE_MINUTES });
  return {
    status,
    agentId: p.optionalText("agentId", 128),
    channel: p.optionalText("channel", 128),
    userId: p.optionalText("userId", 256),
    label: p.optionalText("label", 256),
    search: p.optionalText("search", 256),
    activeSince: minutes === undefined
      ? undefined
      : Date.now() - minutes * 60_000,
  };
}

/**
 * The session methods, each with its §6 scope.
 *
 * @example
 * ```ts
 * registry.register(sessionMethods({ state, config, defaults: new ConnectionSessions() }));
 * ```
 */
export function sessionMethods(deps: SessionMethodsDeps): MethodDefinition[] {
  const { state } = deps;
  const sessions = state.sessions;
  const query = new SessionQuery(state);
  const find = (p: MethodParams): Session => {
    const key = p.text(["key", "sessionKey"]);
    const session = sessions.getByKey(key);
    if (session === undefined) throw p.bad(`no session with key "${key}"`);
    return session;
  };
  const writable = (p: MethodParams, session: Session): Session => {
    if (session.status === "archived") {
      throw p.bad(
        `session "${session.sessionKey}" is archived; restore it first`,
      );
    }
    return session;
  };
  return [
    method("sessions.list", "operator.read", (p) => {
      const limit = p.int("limit", { min: 1, max: 1000 }) ?? 50;
      const offset = p.int("offset", { min: 0, max: 1_000_000 }) ?? 0;
      const page = query.page(listFilter(p), { limit, offset });
      const withLast = p.flag("includeLastMessage") === true;
      const defaults = deps.config().agents.defaults;
      return {
        ts: Date.now(),
        path: state.path,
        count: page.count,
        defaults: {
          model: defaults.model ?? null,
          modelProvider: defaults.model?.split(":")[0] ?? null,
          contextTokens: defaults.contextTokens,
        },
        sessions: page.sessions.map((s) => ({
          ...view(s),
          ...(withLast
            ? {
              lastMessage:
                sessions.messages.list(s.id, { limit: 1 })[0]?.content.slice(
                  0,
                  500,
                ) ?? null,
            }
            : {}),
        })),
      };
    }),
    method("sessions.preview", "operator.read", (p) => {
      const keys = p.texts("keys", 100) ?? [];
      const limit = p.int("limit", { min: 1, max: 100 }) ?? 5;
      const maxChars = p.int("maxChars", { min: 1, max: 10_000 }) ?? 280;
      return {
        previews: keys.map((key) => {
          const session = sessions.getByKey(key);
          return {
            key,
            found: session !== undefined,
            messages: session === undefined
              ? []
              : sessions.messages.list(session.id, { limit })
                .map((m) => ({
                  role: m.role,
                  content: m.content.slice(0, maxChars),
                  createdAt: m.createdAt,
                })),
          };
        }),
      };
    }),
    method("sessions.load", "operator.read", (p) => {
      const session = find(p);
      const limit = p.int("limit", { min: 1, max: 1000 }) ?? 200;
      return {
        session: view(session),
        messages: sessions.messages.list(session.id, { limit }),
      };
    }),
    method("sessions.create", "operator.admin", (p) => {
      const metadata = (p.object("metadata") ?? {}) as JsonObject;
      return {
        ok: true,
        session: view(
          sessions.create({
            sessionKey: p.text(["key", "sessionKey"]),
            metadata,
          }),
        ),
      };
    }),
    method("sessions.fork", "operator.admin", (p) => {
      const session = find(p);
      const newKey = p.optionalText("newKey") ??
        `${session.sessionKey}:fork:${crypto.randomUUID().slice(0, 8)}`;
      const fork = forkSession(state, session, {
        newKey,
        copyHistory: p.flag("copyHistory") ?? true,
      });
      return { ok: true, session: view(fork) };
    }),
    method("sessions.rename", "operator.admin", (p) => {
      const session = find(p);
      return {
        ok: true,
        session: view(sessions.rename(session.id, p.text("name", 256))!),
      };
    }),
    method("sessions.patch", "operator.admin", (p) => {
      const session = find(p);
      const status = p.optionalText("status", 32) as SessionStatus | undefined;
      const metadata = p.object("metadata") as JsonObject | undefined;
      const patched = sessions.patch(session.id, {
        ...(status === undefined ? {} : { status }),
        ...(metadata === undefined ? {} : { metadata }),
      });
      return { ok: true, session: view(patched!) };
    }),
    method("sessions.reset", "operator.admin", (p) => {
      const session = writable(p, find(p));
      return {
        ok: true,
        key: session.sessionKey,
        deletedMessages: resetSession(state, session),
      };
    }),
    method("sessions.delete", "operator.admin", (p) => {
      const key = p.text(["key", "sessionKey"]);
      const session = sessions.getByKey(key);
      return {
        ok: true,
        key,
        deleted: session !== undefined && sessions.delete(session.id),
      };
    }),
    method("sessions.compact", "operator.admin", (p) => {
      const session = writable(p, find(p));
      if (session.status === "compacting") {
        throw p.bad(
          `session "${session.sessionKey}" is already being compacted`,
        );
      }
      const keep = p.int("maxLines", { min: 1, max: 100_000 }) ?? 400;
      const compacted = compactSession(state, session, keep);
      return {
        ok: true,
        key: session.sessionKey,
        compacted,
        kept: sessions.messages.count(session.id),
      };
    }),
    method("sessions.archive", "operator.admin", (p) => {
      const session = writable(p, find(p));
      const archived = sessions.patch(session.id, { status: "archived" })!;
      return {
        ok: true,
        session_id: archived.id,
        message_count: archived.messageCount,
        archived_at: archived.updatedAt,
        history_deleted: false,
      };
    }),
    method("sessions.restore", "operator.admin", (p) => {
      const session = find(p);
      return {
        ok: true,
        session: view(sessions.patch(session.id, { status: "active" })!),
      };
    }),
    ...sessionAdminMethods({ state, defaults: deps.defaults }),
  ];
}
