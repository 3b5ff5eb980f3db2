/**
 * The messages of a session, numbered 1, 2, 3, … per session so history can
 * be paged backwards by sequence number.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { CaraError } from "../errors.ts";
import {
  checkChoice,
  checkCount,
  checkOptionalText,
  checkPage,
} from "./_check.ts";
import { num, numOrNull, type Row, text, textOrNull } from "./_row.ts";
import {
  byteLength,
  type JsonObject,
  parseJsonObject,
  stringifyCapped,
} from "./json.ts";
import { transaction } from "./transaction.ts";

/** Every message role. */
export const MESSAGE_ROLES = ["user", "assistant", "system", "tool"] as const;
/** Who wrote a message. */
export type MessageRole = typeof MESSAGE_ROLES[number];

/** A stored message. */
export interface ChatMessage {
  id: string;
  sessionId: string;
  /** 1-based position in its session. */
  seq: number;
  role: MessageRole;
  content: string;
  toolCallId: string | null;
  toolName: string | null;
  tokens: number | null;
  /** True while a streamed reply is still arriving (or was cut off). */
  incomplete: boolean;
  metadata: JsonObject | null;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@linkcode MessageStore.append}. */
export interface MessageAppendInput {
  sessionId: string;
  role: MessageRole;
  content: string;
  toolCallId?: string;
  toolName?: string;
  tokens?: number;
  incomplete?: boolean;
  metadata?: JsonObject;
}

/** The largest message content, in UTF-8 bytes. */
export const MESSAGE_CONTENT_MAX_BYTES = 8 * 1024 * 1024;
/** The most messages one {@linkcode MessageStore.list} call returns. */
export const MESSAGE_LIST_MAX = 1000;

const ROLE_RULE = { what: "message role", allowed: MESSAGE_ROLES };

function checkContent(content: string): string {
  // Cheap pre-check: a string cannot take more than 3 bytes per UTF-16 unit.
  if (content.length * 3 <= MESSAGE_CONTENT_MAX_BYTES) return content;
  const size = byteLength(content);
  if (size > MESSAGE_CONTENT_MAX_BYTES) {
    throw new CaraError(
      "invalid_request",
      `Cannot store message content: it is ${size} bytes, the limit is ${MESSAGE_CONTENT_MAX_BYTES}`,
    );
  }
  return content;
}

function toMessage(row: Row): ChatMessage {
  const metadata = textOrNull(row, "metadata");
  return {
    id: text(row, "id"),
    sessionId: text(row, "session_id"),
    seq: num(row, "seq"),
    role: checkChoice(text(row, "role"), ROLE_RULE),
    content: text(row, "content"),
    toolCallId: textOrNull(row, "tool_call_id"),
    toolName: textOrNull(row, "tool_name"),
    tokens: numOrNull(row, "tokens"),
    incomplete: num(row, "incomplete") === 1,
    metadata: metadata === null ? null : parseJsonObject(metadata),
    createdAt: num(row, "created_at"),
    updatedAt: num(row, "updated_at"),
  };
}

/** Sessions whose newest messages are kept in memory (least recently read go first). */
const KEPT_SESSIONS = 8;
/** The most content characters one kept history may hold. */
const KEPT_MAX_CHARS = 1_000_000;

/** A session's newest messages as of `rev` (its `history_rev`). */
interface Kept {
  rev: number;
  /** Oldest first, at most {@linkcode MESSAGE_LIST_MAX}; frozen. */
  messages: ChatMessage[];
  /** Whether these are all of the session's messages. */
  complete: boolean;
  /** The content characters of `messages`. */
  chars: number;
}

/**
 * Reads and writes rows of `messages`.
 *
 * The newest messages of recently read sessions are kept in memory, because
 * every agent turn reads the history back and materialising a thousand rows
 * costs a millisecond. A kept copy is used only while the session's
 * `history_rev` (set to a fresh random value by triggers on every write to
 * its messages, from any code or process) still equals the one it was read
 * at; this store's own appends and updates keep it current.
 */
export class MessageStore {
  #db: DatabaseSync;
  #clock: () => number;
  #kept = new Map<string, Kept>();
  #rev: StatementSync;
  #sessionOf: StatementSync;
  #nextSeq: StatementSync;
  #insert: StatementSync;
  #update: StatementSync;
  #get: StatementSync;
  #list: StatementSync;
  #count: StatementSync;

  constructor(db: DatabaseSync, options: { clock: () => number }) {
    this.#db = db;
    this.#clock = options.clock;
    // The rev it returns is the one from before this write: the triggers
    // change it when the message row is written, after this statement.
    this.#nextSeq = db.prepare(
      `UPDATE sessions SET last_seq = last_seq + 1,
         message_count = message_count + 1, updated_at = :now, last_activity_at = :now
       WHERE id = :id RETURNING last_seq, history_rev`,
    );
    this.#insert = db.prepare(
      `INSERT INTO messages (id, session_id, seq, role, content, tool_call_id,
         tool_name, tokens, incomplete, metadata, created_at, updated_at)
       VALUES (:id, :sessionId, :seq, :role, :content, :toolCallId,
         :toolName, :tokens, :incomplete, :metadata, :now, :now)`,
    );
    this.#update = db.prepare(
      "UPDATE messages SET content = ?, incomplete = ?, updated_at = ? WHERE id = ?",
    );
    this.#get = db.prepare("SELECT * FROM messages WHERE id = ?");
    this.#list = db.prepare(
      `SELECT * FROM (SELECT * FROM messages
         WHERE session_id = :sessionId AND seq < :beforeSeq
         ORDER BY seq DESC LIMIT :limit)
       ORDER BY seq`,
    );
    this.#count = db.prepare(
      "SELECT COUNT(*) AS n FROM messages WHERE session_id = ?",
    );
    this.#rev = db.prepare("SELECT history_rev FROM sessions WHERE id = ?");
    this.#sessionOf = db.prepare(
      `SELECT m.session_id, s.history_rev FROM messages m
       JOIN sessions s ON s.id = m.session_id WHERE m.id = ?`,
    );
  }

  /**
   * Appends a message as the session's next sequence number.
   *
   * @throws {CaraError} `session_not_found` when the session does not exist,
   *   `invalid_request` for an unknown role or an oversized field
   */
  append(input: MessageAppendInput): ChatMessage {
    const values = {
      id: crypto.randomUUID(),
      sessionId: input.sessionId,
      role: checkChoice(input.role, ROLE_RULE),
      content: checkContent(input.content),
      toolCallId: checkOptionalText(input.toolCallId, {
        what: "tool call id",
        max: 256,
      }),
      toolName: checkOptionalText(input.toolName, {
        what: "tool name",
        max: 256,
      }),
      tokens: input.tokens === undefined
        ? null
        : checkCount(input.tokens, { what: "token count", max: 1e9 }),
      incomplete: input.incomplete ? 1 : 0,
      metadata: input.metadata === undefined ? null : stringifyCapped(
        input.metadata,
        { what: "message metadata", maxBytes: 64 * 1024 },
      ),
      now: this.#clock(),
    };
    return transaction(this.#db, () => {
      const next = this.#nextSeq.get({ id: input.sessionId, now: values.now });
      if (next === undefined) {
        throw new CaraError(
          "session_not_found",
          `Cannot append a message to session "${input.sessionId}": no such session`,
        );
      }
      const seq = num(next, "last_seq");
      this.#insert.run({ ...values, seq });
      const message: ChatMessage = {
        id: values.id,
        sessionId: values.sessionId,
        seq,
        role: values.role,
        content: values.content,
        toolCallId: values.toolCallId,
        toolName: values.toolName,
        tokens: values.tokens,
        incomplete: values.incomplete === 1,
        metadata: values.metadata === null
          ? null
          : parseJsonObject(values.metadata),
        createdAt: values.now,
        updatedAt: values.now,
      };
      this.#keepCurrent(
        input.sessionId,
        num(next, "history_rev"),
        (messages) => {
          messages.push(Object.freeze(message));
          return message.content.length;
        },
      );
      return message;
    });
  }

  /**
   * Replaces a message's content (streaming replies grow in place).
   *
   * @returns false when there is no such message
   */
  updateContent(
    id: string,
    content: string,
    options: { incomplete?: boolean } = {},
  ): boolean {
    const checked = checkContent(content);
    return transaction(this.#db, () => {
      const owner = this.#sessionOf.get(id);
      if (owner === undefined) return false;
      const sessionId = text(owner, "session_id");
      const before = num(owner, "history_rev");
      const now = this.#clock();
      const incomplete = options.incomplete === true;
      this.#update.run(checked, incomplete ? 1 : 0, now, id);
      this.#keepCurrent(sessionId, before, (messages) => {
        const at = messages.findLastIndex((message) => message.id === id);
        if (at < 0) return 0;
        const old = messages[at]!;
        messages[at] = Object.freeze({
          ...old,
          content: checked,
          incomplete,
          updatedAt: now,
        });
        return checked.length - old.content.length;
      });
      return true;
    });
  }

  /** The message with this id, or `undefined`. */
  get(id: string): ChatMessage | undefined {
    const row = this.#get.get(id);
    return row === undefined ? undefined : toMessage(row);
  }

  /**
   * The newest `limit` messages (default 100, at most 1000) before
   * `beforeSeq`, oldest first.
   */
  list(
    sessionId: string,
    options: { limit?: number; beforeSeq?: number } = {},
  ): ChatMessage[] {
    const limit = options.limit ?? 100;
    checkPage({ limit }, { what: "messages", maxLimit: MESSAGE_LIST_MAX });
    if (options.beforeSeq !== undefined) {
      return this.#read(sessionId, limit, options.beforeSeq);
    }
    const rev = this.#revOf(sessionId);
    const kept = this.#kept.get(sessionId);
    if (
      kept !== undefined && kept.rev === rev &&
      (kept.complete || kept.messages.length >= limit)
    ) {
      this.#kept.delete(sessionId);
      this.#kept.set(sessionId, kept);
      return kept.messages.slice(-limit);
    }
    if (limit < MESSAGE_LIST_MAX || rev === undefined) {
      return this.#read(sessionId, limit);
    }
    const messages = this.#read(sessionId, MESSAGE_LIST_MAX);
    this.#keep(sessionId, {
      rev,
      messages: messages.map((message) => Object.freeze(message)),
      complete: messages.length < MESSAGE_LIST_MAX,
      chars: messages.reduce((n, m) => n + m.content.length, 0),
    });
    return messages.slice();
  }

  #read(
    sessionId: string,
    limit: number,
    beforeSeq = Number.MAX_SAFE_INTEGER,
  ): ChatMessage[] {
    return this.#list.all({ sessionId, beforeSeq, limit }).map(toMessage);
  }

  #revOf(sessionId: string): number | undefined {
    const row = this.#rev.get(sessionId);
    return row === undefined ? undefined : num(row, "history_rev");
  }

  #keep(sessionId: string, kept: Kept): void {
    this.#kept.delete(sessionId);
    if (kept.chars > KEPT_MAX_CHARS) return;
    this.#kept.set(sessionId, kept);
    if (this.#kept.size > KEPT_SESSIONS) {
      this.#kept.delete(this.#kept.keys().next().value!);
    }
  }

  /**
   * After this store wrote to a session inside a transaction: when the kept
   * copy was current just before the write, applies the write to it (a copy,
   * so a caller holding the old list is unaffected) and records the new rev;
   * otherwise forgets it. A later rollback leaves a rev that never comes
   * back, so the copy is never used then.
   */
  #keepCurrent(
    sessionId: string,
    before: number | undefined,
    /** Applies the write; returns by how many characters the content grew. */
    apply: (messages: ChatMessage[]) => number,
  ): void {
    const kept = this.#kept.get(sessionId);
    if (kept === undefined) return;
    const rev = this.#revOf(sessionId);
    if (before === undefined || kept.rev !== before || rev === undefined) {
      this.#kept.delete(sessionId);
      return;
    }
    const messages = kept.messages.slice();
    let chars = kept.chars + apply(messages);
    const overflow = messages.length - MESSAGE_LIST_MAX;
    if (overflow > 0) {
      for (const dropped of messages.splice(0, overflow)) {
        chars -= dropped.content.length;
      }
    }
    this.#keep(sessionId, {
      rev,
      messages,
      complete: kept.complete && overflow <= 0,
      chars,
    });
  }

  /** How many messages the session has. */
  count(sessionId: string): number {
    return num(this.#count.get(sessionId) ?? { n: 0 }, "n");
  }
}
