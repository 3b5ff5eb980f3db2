/**
 * The wire shape of a session in `sessions.*` answers (camelCase).
 *
 * @module
 */
import type { Session } from "../state/mod.ts";

/** A session as WS methods return it: the stored fields, `id` and `sessionKey` renamed. */
export type SessionView = Omit<Session, "id" | "sessionKey"> & {
  sessionId: string;
  key: string;
};

/** The wire shape of `session`. */
export function sessionView(session: Session): SessionView {
  return {
    sessionId: session.id,
    key: session.sessionKey,
    status: session.status,
    metadata: session.metadata,
    messageCount: session.messageCount,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    lastActivityAt: session.lastActivityAt,
  };
}
