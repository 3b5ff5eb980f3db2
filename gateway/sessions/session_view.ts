/**
 * The wire shape of a session in `sessions.*` answers (camelCase).
 *
 * @module
 */
import type { JsonObject, Session, SessionStatus } from "../state/mod.ts";

/** A session as WS methods return it. */
export interface SessionView {
  sessionId: string;
  key: string;
  status: SessionStatus;
  metadata: JsonObject;
  messageCount: number;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number | null;
}

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
