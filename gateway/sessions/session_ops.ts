/**
 * Session operations the stores do not offer: clearing history, compaction
 * (keep the newest messages, fold the rest into an extractive summary in
 * `metadata.compaction`), and forking with an optional copy of the history.
 * Each runs in one transaction.
 *
 * @module
 */
import type { JsonObject, Session, StateDatabase } from "../state/mod.ts";

/** Characters of each dropped message kept in a compaction summary. */
const SUMMARY_EXCERPT = 200;
/** The longest compaction summary, in characters. */
export const SUMMARY_MAX_CHARS = 8000;

/** Deletes every message of a session; returns how many. */
export function resetSession(state: StateDatabase, session: Session): number {
  return state.transaction(() => {
    const deleted = Number(
      state.db.prepare("DELETE FROM messages WHERE session_id = ?").run(
        session.id,
      ).changes,
    );
    state.db.prepare(
      "UPDATE sessions SET message_count = 0, updated_at = ? WHERE id = ?",
    )
      .run(Date.now(), session.id);
    return deleted;
  });
}

/**
 * Keeps the newest `keep` messages and summarises the rest into
 * `metadata.compaction` (the turn loop adds `last_summary` to the system
 * prompt).
 *
 * @returns how many messages were folded into the summary
 */
export function compactSession(
  state: StateDatabase,
  session: Session,
  keep: number,
): number {
  return state.transaction(() => {
    const old = state.db.prepare(
      `SELECT role, content FROM messages WHERE session_id = ? AND role IN ('user', 'assistant')
       AND seq <= (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE session_id = ?) - ?
       ORDER BY seq`,
    ).all(session.id, session.id, keep) as { role: string; content: string }[];
    const removed = Number(
      state.db.prepare(
        `DELETE FROM messages WHERE session_id = ?
       AND seq <= (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE session_id = ?) - ?`,
      ).run(session.id, session.id, keep).changes,
    );
    if (removed === 0) return 0;
    const previous = session.metadata.compaction as JsonObject | undefined;
    const lines = old.map((m) =>
      `${m.role}: ${m.content.replace(/\s+/g, " ").slice(0, SUMMARY_EXCERPT)}`
    );
    const before = typeof previous?.last_summary === "string"
      ? [previous.last_summary]
      : [];
    const summary = [...before, ...lines].join("\n").slice(-SUMMARY_MAX_CHARS);
    state.db.prepare(
      "UPDATE sessions SET message_count = message_count - ? WHERE id = ?",
    )
      .run(removed, session.id);
    state.sessions.patch(session.id, {
      metadata: {
        compaction: {
          messages_compacted: removed +
            Number(previous?.messages_compacted ?? 0),
          last_compacted_at: Date.now(),
          compaction_count: Number(previous?.compaction_count ?? 0) + 1,
          last_summary: summary,
          original_message_count: session.messageCount,
        },
      },
    });
    return removed;
  });
}

/** Creates `newKey` with a copy of the metadata and, optionally, the history. */
export function forkSession(
  state: StateDatabase,
  session: Session,
  options: { newKey: string; copyHistory: boolean },
): Session {
  return state.transaction(() => {
    const fork = state.sessions.create({
      sessionKey: options.newKey,
      metadata: { ...session.metadata, forked_from: session.sessionKey },
    });
    if (options.copyHistory) {
      const copied = Number(
        state.db.prepare(
          `INSERT INTO messages (id, session_id, seq, role, content, tool_call_id, tool_name,
           tokens, incomplete, metadata, created_at, updated_at)
         SELECT lower(hex(randomblob(16))), ?, seq, role, content, tool_call_id, tool_name,
           tokens, incomplete, metadata, created_at, updated_at
         FROM messages WHERE session_id = ?`,
        ).run(fork.id, session.id).changes,
      );
      state.db.prepare(
        `UPDATE sessions SET message_count = ?, last_seq = (SELECT last_seq FROM sessions WHERE id = ?)
         WHERE id = ?`,
      ).run(copied, session.id, fork.id);
    }
    return state.sessions.get(fork.id)!;
  });
}
