/**
 * The in-memory tail of the log that `logs.tail` reads: a fixed-size ring of
 * entries numbered by a cursor (`seq`) that only ever increases.
 *
 * @module
 */
import { levelRank, type LogLevel } from "./levels.ts";

/** One recorded log entry. `seq` starts at 1 and increases by one per entry. */
export interface LogEntry {
  seq: number;
  timestamp: string;
  level: LogLevel;
  target: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** What {@linkcode LogRing.tail} selects. Defaults: limit 500, maxBytes 250 000. */
export interface TailOptions {
  /** The `cursor` of a previous answer: only entries after it are returned. */
  cursor?: number;
  /** At most this many entries (clamped to 1..5000). */
  limit?: number;
  /** Skip entries below this level. */
  minLevel?: LogLevel;
  /** Case-insensitive substring that the target or message must contain. */
  pattern?: string;
  /** Stop once the entries' JSON reaches this size (clamped to 1..1 000 000). */
  maxBytes?: number;
}

/** The answer of {@linkcode LogRing.tail}. */
export interface TailResult {
  entries: LogEntry[];
  /** Pass back as `cursor` to continue after the last entry examined. */
  cursor: number;
  /** More matching entries exist than `limit`/`maxBytes` allowed. */
  truncated: boolean;
  /** The given cursor was no longer (or never) in the ring; reading restarted at the oldest entry. */
  reset: boolean;
}

/** A ring of the newest `capacity` log entries. */
export class LogRing {
  readonly #slots: (LogEntry | undefined)[];
  #nextSeq = 1;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot create log ring of size "${capacity}": expected a positive integer`,
      );
    }
    this.#slots = new Array(capacity);
  }

  /** The newest cursor handed out (0 when empty). */
  get lastSeq(): number {
    return this.#nextSeq - 1;
  }

  /** Stores an entry (without `seq`) and returns it with its new cursor. */
  push(entry: Omit<LogEntry, "seq">): LogEntry {
    const stored = { seq: this.#nextSeq++, ...entry };
    this.#slots[stored.seq % this.#slots.length] = stored;
    return stored;
  }

  /**
   * Reads entries newer than `cursor` (oldest first), or without a cursor the
   * newest `limit` matching entries. Always returns at least one matching
   * entry when there is one, so a caller paging with `cursor` makes progress.
   */
  tail(options: TailOptions = {}): TailResult {
    const limit = clamp(options.limit ?? 500, 1, 5000);
    const maxBytes = clamp(options.maxBytes ?? 250_000, 1, 1_000_000);
    const first = Math.max(1, this.#nextSeq - this.#slots.length);
    const last = this.lastSeq;
    const cursor = options.cursor;
    const reset = cursor !== undefined && (cursor < first - 1 || cursor > last);
    const matches = this.#matcher(options);
    if (cursor === undefined) {
      return this.#newest(first, last, matches, limit, maxBytes);
    }
    const entries: LogEntry[] = [];
    let bytes = 0;
    let position = reset ? first - 1 : cursor;
    for (let seq = position + 1; seq <= last; seq++) {
      const entry = this.#at(seq);
      if (!matches(entry)) {
        position = seq;
        continue;
      }
      const size = JSON.stringify(entry).length;
      if (
        entries.length >= limit ||
        (entries.length > 0 && bytes + size > maxBytes)
      ) {
        return { entries, cursor: position, truncated: true, reset };
      }
      entries.push(entry);
      bytes += size;
      position = seq;
    }
    return { entries, cursor: last, truncated: false, reset };
  }

  #newest(
    first: number,
    last: number,
    matches: (entry: LogEntry) => boolean,
    limit: number,
    maxBytes: number,
  ): TailResult {
    const entries: LogEntry[] = [];
    let bytes = 0;
    for (let seq = last; seq >= first; seq--) {
      const entry = this.#at(seq);
      if (!matches(entry)) continue;
      const size = JSON.stringify(entry).length;
      if (
        entries.length >= limit ||
        (entries.length > 0 && bytes + size > maxBytes)
      ) {
        return {
          entries: entries.reverse(),
          cursor: last,
          truncated: true,
          reset: false,
        };
      }
      entries.push(entry);
      bytes += size;
    }
    return {
      entries: entries.reverse(),
      cursor: last,
      truncated: false,
      reset: false,
    };
  }

  #at(seq: number): LogEntry {
    const entry = this.#slots[seq % this.#slots.length];
    if (entry === undefined || entry.seq !== seq) {
      throw new Error(`log ring slot for seq ${seq} is stale`);
    }
    return entry;
  }

  #matcher(options: TailOptions): (entry: LogEntry) => boolean {
    const minRank = options.minLevel === undefined
      ? 0
      : levelRank(options.minLevel);
    const needle = options.pattern?.toLowerCase() ?? "";
    return (entry) =>
      levelRank(entry.level) >= minRank &&
      (needle === "" || entry.message.toLowerCase().includes(needle) ||
        entry.target.toLowerCase().includes(needle));
  }
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return max;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
