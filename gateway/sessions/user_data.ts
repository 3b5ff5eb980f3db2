/**
 * Everything stored for one user (`metadata.user_id`): exported as one JSON
 * document (`sessions.export_user`) or deleted (`sessions.purge_user`).
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import type { ChatMessage, StateDatabase } from "../state/mod.ts";
import { type SessionView, sessionView } from "./session_view.ts";

/** The largest export, in UTF-8 bytes of its JSON. */
export const USER_EXPORT_MAX_BYTES = 50 * 1024 * 1024;
/** The longest user id accepted. */
export const USER_ID_MAX_CHARS = 256;

/** One user's data. */
export interface UserExport {
  userId: string;
  exportedAt: number;
  sessionCount: number;
  messageCount: number;
  sessions: { session: SessionView; messages: ChatMessage[] }[];
}

/** What {@linkcode purgeUserSessions} deleted. */
export interface UserPurge {
  deletedSessions: number;
  deletedMessages: number;
}

const encoder = new TextEncoder();

function userSessionIds(state: StateDatabase, userId: string): string[] {
  const rows = state.db.prepare(
    `SELECT id FROM sessions WHERE json_extract(metadata, '$.user_id') = ?
     ORDER BY created_at, id`,
  ).all(userId) as { id: string }[];
  return rows.map((row) => row.id);
}

/**
 * Every session of `userId` with its whole history, in one read transaction.
 *
 * @throws {CaraError} `export_too_large` when the JSON would pass `maxBytes`
 * @example
 * ```ts
 * const data = exportUserSessions(state, "alice");
 * ```
 */
export function exportUserSessions(
  state: StateDatabase,
  userId: string,
  options: { maxBytes?: number } = {},
): UserExport {
  const maxBytes = options.maxBytes ?? USER_EXPORT_MAX_BYTES;
  return state.transaction(() => {
    const out: UserExport = {
      userId,
      exportedAt: Date.now(),
      sessionCount: 0,
      messageCount: 0,
      sessions: [],
    };
    let bytes = encoder.encode(JSON.stringify(out)).length;
    const grow = (value: unknown) => {
      // +1 for the comma between array items.
      bytes += encoder.encode(JSON.stringify(value)).length + 1;
      if (bytes > maxBytes) {
        throw new CaraError(
          "export_too_large",
          `Cannot export the sessions of user "${userId}": the export passes ${maxBytes} bytes; archive-delete or compact some of their sessions, then retry`,
        );
      }
    };
    const messages = state.db.prepare(
      "SELECT id FROM messages WHERE session_id = ? ORDER BY seq",
    );
    for (const id of userSessionIds(state, userId)) {
      const session = state.sessions.get(id);
      if (session === undefined) continue;
      const entry = {
        session: sessionView(session),
        messages: [] as ChatMessage[],
      };
      grow(entry);
      for (const row of messages.iterate(id) as Iterable<{ id: string }>) {
        const message = state.sessions.messages.get(row.id);
        if (message === undefined) continue;
        grow(message);
        entry.messages.push(message);
      }
      out.sessions.push(entry);
      out.messageCount += entry.messages.length;
    }
    out.sessionCount = out.sessions.length;
    return out;
  });
}

/** Deletes every session of `userId` and its messages, in one transaction. */
export function purgeUserSessions(
  state: StateDatabase,
  userId: string,
): UserPurge {
  return state.transaction(() => {
    const ids = userSessionIds(state, userId);
    let deletedMessages = 0;
    const count = state.db.prepare(
      "SELECT COUNT(*) AS n FROM messages WHERE session_id = ?",
    );
    for (const id of ids) {
      deletedMessages += (count.get(id) as { n: number }).n;
      state.sessions.delete(id);
    }
    return { deletedSessions: ids.length, deletedMessages };
  });
}
