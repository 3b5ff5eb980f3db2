/**
 * The audit trail: append-only security events (`auth_failure`,
 * `device_paired`, `config_changed`, …) with small JSON data.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { serializeAuditData } from "./_audit_truncate.ts";
import { checkPage } from "./_check.ts";
import { num, type Row, text } from "./_row.ts";
import { type JsonObject, parseJsonObject } from "./json.ts";
import { writeStatement } from "./transaction.ts";

/** A stored audit event. */
export interface AuditEvent {
  id: number;
  /** Milliseconds since the epoch. */
  ts: number;
  /** snake_case event name. */
  event: string;
  data: JsonObject;
}

/** Input of {@linkcode AuditStore.append}. */
export interface AuditAppendInput {
  event: string;
  data?: JsonObject;
  /** When it happened (ms); default now. */
  ts?: number;
}

/** Filters of {@linkcode AuditStore.list}. */
export interface AuditListOptions {
  /** 1–10000, default 100. */
  limit?: number;
  /** Only events at or after this time (ms). */
  since?: number;
  /** Only events with this name. */
  event?: string;
}

const EVENT_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const MAX_EVENT_NAME = 64;
/** The most events one {@linkcode AuditStore.list} call returns. */
export const AUDIT_LIST_MAX = 10_000;

function checkEventName(event: string): void {
  if (event.length > MAX_EVENT_NAME || !EVENT_NAME.test(event)) {
    throw new RangeError(
      `Cannot record audit event "${
        event.slice(0, MAX_EVENT_NAME)
      }": the name must be snake_case, at most ${MAX_EVENT_NAME} characters`,
    );
  }
}

function toEvent(row: Row): AuditEvent {
  return {
    id: num(row, "id"),
    ts: num(row, "ts"),
    event: text(row, "event"),
    data: parseJsonObject(text(row, "data")),
  };
}

/** Appends and lists rows of `audit_events`. */
export class AuditStore {
  readonly #db: DatabaseSync;
  #clock: () => number;
  #beforeRead: () => void;
  #insert: StatementSync;
  #list: StatementSync;

  /** `beforeRead` commits writes still queued elsewhere, so reads see them. */
  constructor(
    db: DatabaseSync,
    options: { clock: () => number; beforeRead?: () => void },
  ) {
    this.#db = db;
    this.#clock = options.clock;
    this.#beforeRead = options.beforeRead ?? (() => {});
    this.#insert = db.prepare(
      "INSERT INTO audit_events (ts, event, data) VALUES (?, ?, ?)",
    );
    this.#list = db.prepare(
      `SELECT id, ts, event, data FROM audit_events
       WHERE ts >= :since AND (:event IS NULL OR event = :event)
       ORDER BY ts DESC, id DESC LIMIT :limit`,
    );
  }

  /**
   * Records an event now; data over 4096 serialised bytes is shortened (see
   * {@linkcode serializeAuditData}).
   *
   * @returns the new event's id
   * @throws {RangeError} when `event` is not a snake_case name
   */
  append(input: AuditAppendInput): number {
    checkEventName(input.event);
    const data = serializeAuditData(input.data ?? {});
    const ts = input.ts ?? this.#clock();
    const result = writeStatement(
      this.#db,
      () => this.#insert.run(ts, input.event, data),
    );
    return Number(result.lastInsertRowid);
  }

  /** Events matching `options`, newest first. */
  list(options: AuditListOptions = {}): AuditEvent[] {
    const limit = options.limit ?? 100;
    checkPage({ limit }, { what: "audit events", maxLimit: AUDIT_LIST_MAX });
    this.#beforeRead();
    const rows = this.#list.all({
      since: options.since ?? 0,
      event: options.event ?? null,
      limit,
    });
    return rows.map(toEvent);
  }
}
