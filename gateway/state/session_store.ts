/**
 * Conversation sessions: one row per session key with status and free-form
 * metadata; their messages live in {@linkcode MessageStore}.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { CaraError } from "../errors.ts";
import { checkChoice, checkPage, checkText } from "./_check.ts";
import { num, numOrNull, type Row, text } from "./_row.ts";
import {
  type JsonObject,
  mergePatch,
  parseJsonObject,
  stringifyCapped,
} from "./json.ts";
import { MessageStore } from "./message_store.ts";
import { transaction, writeStatement } from "./transaction.ts";

/** Every session status. */
export const SESSION_STATUSES = [
  "active",
  "paused",
  "archived",
  "compacting",
] as const;
/** Where a session is in its life. */
export type SessionStatus = typeof SESSION_STATUSES[number];

/** A stored session. */
export interface Session {
  id: string;
  sessionKey: string;
  status: SessionStatus;
  metadata: JsonObject;
  messageCount: number;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number | null;
}

/** Changes of {@linkcode SessionStore.patch}. */
export interface SessionPatch {
  /** Merged into the stored metadata (RFC 7396: `null` removes a key). */
  metadata?: JsonObject;
  status?: SessionStatus;
}

/** The largest serialised metadata object, in bytes. */
export const SESSION_METADATA_MAX_BYTES = 4 * 1024 * 1024;
/** The most sessions one {@linkcode SessionStore.list} call returns. */
export const SESSION_LIST_MAX = 1000;

const METADATA_CAP = {
  what: "session metadata",
  maxBytes: SESSION_METADATA_MAX_BYTES,
};
const STATUS_RULE = { what: "session status", allowed: SESSION_STATUSES };

function toSession(row: Row): Session {
  return {
    id: text(row, "id"),
    sessionKey: text(row, "session_key"),
    status: checkChoice(text(row, "status"), STATUS_RULE),
    metadata: parseJsonObject(text(row, "metadata")),
    messageCount: num(row, "message_count"),
    createdAt: num(row, "created_at"),
    updatedAt: num(row, "updated_at"),
    lastActivityAt: numOrNull(row, "last_activity_at"),
  };
}

/** Reads and writes rows of `sessions`; `messages` handles their history. */
export class SessionStore {
  /** The messages of every session. */
  readonly messages: MessageStore;
  #db: DatabaseSync;
  #clock: () => number;
  #insert: StatementSync;
  #get: StatementSync;
  #getByKey: StatementSync;
  #list: StatementSync;
  #update: StatementSync;
  #delete: StatementSync;
  #count: StatementSync;

  constructor(db: DatabaseSync, options: { clock: () => number }) {
    this.#db = db;
    this.#clock = options.clock;
    this.messages = new MessageStore(db, options);
    this.#insert = db.prepare(
      `INSERT INTO sessions (id, session_key, status, metadata, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_key) DO NOTHING RETURNING *`,
    );
    this.#get = db.prepare("SELECT * FROM sessions WHERE id = ?");
    this.#getByKey = db.prepare("SELECT * FROM sessions WHERE session_key = ?");
    this.#list = db.prepare(
      `SELECT * FROM sessions WHERE :status IS NULL OR status = :status
       ORDER BY updated_at DESC, id LIMIT :limit OFFSET :offset`,
    );
    this.#update = db.prepare(
      `UPDATE sessions SET metadata = ?, status = ?, updated_at = ?
       WHERE id = ? RETURNING *`,
    );
    this.#delete = db.prepare("DELETE FROM sessions WHERE id = ?");
    this.#count = db.prepare(
      "SELECT COUNT(*) AS n FROM sessions WHERE :status IS NULL OR status = :status",
    );
  }

  /**
   * Creates an `active` session with a new UUID.
   *
   * @throws {CaraError} `session_exists` when the key is taken,
   *   `invalid_request` for an empty/oversized key or metadata
   */
  create(input: { sessionKey: string; metadata?: JsonObject }): Session {
    const key = checkText(input.sessionKey, { what: "session key", max: 512 });
    const metadata = stringifyCapped(input.metadata ?? {}, METADATA_CAP);
    const now = this.#clock();
    const id = crypto.randomUUID();
    const row = writeStatement(
      this.#db,
      () => this.#insert.get(id, key, "active", metadata, now, now),
    );
    if (row === undefined) {
      throw new CaraError(
        "session_exists",
        `Cannot create session "${key}": a session with this key already exists; use it or pick another key`,
      );
    }
    return toSession(row);
  }

  /** The session with this id, or `undefined`. */
  get(id: string): Session | undefined {
    const row = this.#get.get(id);
    return row === undefined ? undefined : toSession(row);
  }

  /** The session with this key, or `undefined`. */
  getByKey(sessionKey: string): Session | undefined {
    const row = this.#getByKey.get(sessionKey);
    return row === undefined ? undefined : toSession(row);
  }

  /** Sessions, most recently updated first (limit 1–1000, default 50). */
  list(
    options: { limit?: number; offset?: number; status?: SessionStatus } = {},
  ): Session[] {
    const page = { limit: options.limit ?? 50, offset: options.offset ?? 0 };
    checkPage(page, { what: "sessions", maxLimit: SESSION_LIST_MAX });
    const status = options.status === undefined
      ? null
      : checkChoice(options.status, STATUS_RULE);
    return this.#list.all({ status, ...page }).map(toSession);
  }

  /**
   * Merges metadata and/or sets the status.
   *
   * @returns the updated session, or `undefined` when there is none
   * @throws {CaraError} `invalid_request` for an unknown status or metadata
   *   over {@linkcode SESSION_METADATA_MAX_BYTES}
   */
  patch(id: string, patch: SessionPatch): Session | undefined {
    return transaction(this.#db, () => {
      const current = this.get(id);
      if (current === undefined) return undefined;
      const metadata = patch.metadata === undefined
        ? current.metadata
        : mergePatch(current.metadata, patch.metadata);
      const status = patch.status === undefined
        ? current.status
        : checkChoice(patch.status, STATUS_RULE);
      const row = this.#update.get(
        stringifyCapped(metadata, METADATA_CAP),
        status,
        this.#clock(),
        id,
      );
      return row === undefined ? undefined : toSession(row);
    });
  }

  /** Sets `metadata.name`; `undefined` when there is no such session. */
  rename(id: string, name: string): Session | undefined {
    checkText(name, { what: "session name", max: 256 });
    return this.patch(id, { metadata: { name } });
  }

  /** Deletes the session and all its messages; false when there was none. */
  delete(id: string): boolean {
    return writeStatement(this.#db, () => this.#delete.run(id)).changes > 0;
  }

  /** How many sessions there are (with this status). */
  count(options: { status?: SessionStatus } = {}): number {
    const status = options.status === undefined
      ? null
      : checkChoice(options.status, STATUS_RULE);
    return num(this.#count.get({ status }) ?? { n: 0 }, "n");
  }
}
