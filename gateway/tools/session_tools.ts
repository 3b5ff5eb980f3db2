/**
 * `session_list` and `session_read`: the agent looks at stored sessions
 * (keys, status, counts; the newest messages of one session).
 *
 * @module
 */
import type { Tool } from "../agent/types.ts";
import type { SessionStore } from "../state/mod.ts";
import { inputOf, optionalInt, requireText } from "./_input.ts";

/** The most characters of one message `session_read` returns. */
export const SESSION_READ_MAX_CHARS = 4000;

/** Builds the two session tools. */
export function sessionTools(options: { sessions: SessionStore }): Tool[] {
  const { sessions } = options;
  return [{
    name: "session_list",
    description: "Lists sessions, most recently updated first.",
    inputSchema: {
      type: "object",
      properties: { limit: { type: "integer", minimum: 1, maximum: 100 } },
    },
    run(input) {
      const limit = optionalInt(
        "session_list",
        inputOf("session_list", input),
        {
          key: "limit",
          min: 1,
          max: 100,
          fallback: 20,
        },
      );
      const list = sessions.list({ limit }).map((s) => ({
        sessionKey: s.sessionKey,
        status: s.status,
        messageCount: s.messageCount,
        updatedAt: new Date(s.updatedAt).toISOString(),
        name: s.metadata.name ?? null,
      }));
      return Promise.resolve({ content: JSON.stringify({ sessions: list }) });
    },
  }, {
    name: "session_read",
    description: "Reads the newest messages of a session.",
    inputSchema: {
      type: "object",
      properties: {
        sessionKey: { type: "string" },
        limit: { type: "integer", minimum: 1, maximum: 100 },
      },
      required: ["sessionKey"],
    },
    run(input) {
      const fields = inputOf("session_read", input);
      const key = requireText("session_read", fields, {
        key: "sessionKey",
        max: 512,
      });
      const limit = optionalInt("session_read", fields, {
        key: "limit",
        min: 1,
        max: 100,
        fallback: 20,
      });
      const session = sessions.getByKey(key);
      if (session === undefined) {
        return Promise.resolve({
          content: `No session with key "${key}"`,
          isError: true,
        });
      }
      const messages = sessions.messages.list(session.id, { limit })
        .filter((m) => m.role === "user" || m.role === "assistant")
        .map((m) => ({
          role: m.role,
          content: m.content.slice(0, SESSION_READ_MAX_CHARS),
          at: new Date(m.createdAt).toISOString(),
        }));
      return Promise.resolve({
        content: JSON.stringify({ sessionKey: key, messages }),
      });
    },
  }];
}
