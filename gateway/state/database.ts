/**
 * The one SQLite database in the state dir: opened owner-only, in WAL mode
 * with `synchronous=FULL` (an acknowledged write survives `kill -9` and power
 * loss), migrated, and split into one store per table family.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { CaraError } from "../errors.ts";
import { preparePrivateFile } from "./_db_file.ts";
import { AuditStore } from "./audit_store.ts";
import { DeviceStore } from "./device_store.ts";
import { appliedVersion, migrate } from "./migrate.ts";
import { SessionStore } from "./session_store.ts";
import { relaxed, transaction } from "./transaction.ts";
import { UsageStore } from "./usage_store.ts";

/** Milliseconds since the epoch. */
export type Clock = () => number;

/** Options of {@linkcode openDatabase}. */
export interface OpenDatabaseOptions {
  /** Source of every stored timestamp; defaults to `Date.now`. */
  clock?: Clock;
}

/**
 * WAL pages after which a commit checkpoints on the spot (SQLite's default
 * is 1000). Normally the idle checkpoint gets there first.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** Quiet time after the last write before the WAL is checkpointed. */
export const CHECKPOINT_IDLE_MS = 500;

/** The longest a deferred bookkeeping write waits before its commit. */
export const DEFER_MS = 50;

/** How long a connection waits for another writer before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

// SQLite result codes that mean "this file is not a usable database".
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** An open state database and its stores; dispose it to close. */
export class StateDatabase implements Disposable {
  /** The raw connection, for modules that need SQL of their own. */
  readonly db: DatabaseSync;
  /** The database file. */
  readonly path: string;
  readonly audit: AuditStore;
  readonly devices: DeviceStore;
  readonly sessions: SessionStore;
  readonly usage: UsageStore;
  #deferred = new Map<unknown, () => void>();
  #wal: Deno.FsFile | undefined;
  #walSyncWorks = true;
  #syncing: Promise<void> | undefined;
  #syncQueued: Promise<void> | undefined;
  #lastWriteAt = 0;
  #checkpointTimer: ReturnType<typeof setTimeout> | undefined;
  #deferTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(db: DatabaseSync, options: { path: string; clock: Clock }) {
    this.db = db;
    this.path = options.path;
    const stores = { clock: options.clock };
    this.audit = new AuditStore(db, {
      ...stores,
      beforeRead: () => this.flushDeferred(),
    });
    this.devices = new DeviceStore(db, stores);
    this.sessions = new SessionStore(db, stores);
    this.usage = new UsageStore(db, stores);
  }

  /**
   * Runs `fn` atomically (`BEGIN IMMEDIATE` … `COMMIT`, savepoint when
   * nested). Deferred writes commit first, so writes keep their order.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.isTransaction) return transaction(this.db, fn);
    this.flushDeferred();
    this.#wrote();
    return transaction(this.db, fn);
  }

  // Copying the WAL into the database (and syncing both) takes milliseconds:
  // it runs once writes have paused, not inside the commit of a request.
  #wrote(): void {
    this.#lastWriteAt = performance.now();
    if (this.#checkpointTimer !== undefined) return;
    const check = () => {
      const quiet = performance.now() - this.#lastWriteAt;
      if (quiet < CHECKPOINT_IDLE_MS) {
        this.#checkpointTimer = setTimeout(check, CHECKPOINT_IDLE_MS - quiet);
        Deno.unrefTimer(this.#checkpointTimer);
        return;
      }
      this.#checkpointTimer = undefined;
      if (!this.db.isOpen || this.db.isTransaction) return;
      try {
        this.db.exec("PRAGMA wal_checkpoint(PASSIVE)");
      } catch {
        // Busy or failing: the next commit past the threshold checkpoints.
      }
    };
    this.#checkpointTimer = setTimeout(check, CHECKPOINT_IDLE_MS);
    Deno.unrefTimer(this.#checkpointTimer);
  }

  /**
   * Runs `fn` as one commit and makes it durable without blocking the event
   * loop: the commit skips SQLite's fsync, then the WAL file is synced on
   * Deno's blocking pool while other work (the agent run this message
   * starts) goes on. Once `synced` resolves the write survives power loss,
   * as a `synchronous=FULL` commit would; until then it survives `kill -9`.
   * Acknowledge the write to its caller only after `synced`.
   */
  durably<T>(fn: () => T): { value: T; synced: Promise<void> } {
    const value = this.relaxed(() => this.transaction(fn));
    return { value, synced: this.#syncWal() };
  }

  // One sync at a time; commits made while one runs share the next one (a
  // sync that started before a commit may not cover it).
  #syncWal(): Promise<void> {
    if (this.#syncQueued !== undefined) return this.#syncQueued;
    const start = (): Promise<void> => {
      this.#syncQueued = undefined;
      const run = this.#syncOnce().finally(() => {
        if (this.#syncing === run) this.#syncing = undefined;
      });
      this.#syncing = run;
      return run;
    };
    if (this.#syncing === undefined) return start();
    const queued = this.#syncing.catch(() => {}).then(start);
    this.#syncQueued = queued;
    return queued;
  }

  async #syncOnce(): Promise<void> {
    if (this.#walSyncWorks) {
      try {
        this.#wal ??= await Deno.open(`${this.path}-wal`, {
          read: true,
          write: true,
        });
        await this.#wal.syncData();
        return;
      } catch {
        // No usable WAL handle here (platform or file system): checkpoint instead.
        this.#walSyncWorks = false;
      }
    }
    if (!this.db.isOpen) return;
    // A checkpoint syncs the WAL, copies it into the database and syncs that.
    this.db.exec("PRAGMA wal_checkpoint(FULL)");
  }

  /**
   * Queues a bookkeeping write (connect audit rows, last-seen times) to
   * commit within {@linkcode DEFER_MS} together with the others queued
   * meanwhile, in one {@linkcode relaxed} transaction: a burst of connects
   * costs one commit instead of one each. A crash loses at most the writes
   * of that window. Reads that must see them call {@linkcode flushDeferred};
   * closing the database commits them. A write queued under a `key` replaces
   * the one queued under that key before (a device seen twice is seen once).
   * Keep each write to one statement: a failing one is dropped on its own.
   */
  defer(write: () => void, key?: string): void {
    this.#deferred.set(key ?? Symbol(), write);
    if (this.#deferTimer !== undefined) return;
    const timer = setTimeout(() => {
      this.#deferTimer = undefined;
      this.flushDeferred();
    }, DEFER_MS);
    Deno.unrefTimer(timer);
    this.#deferTimer = timer;
  }

  /**
   * Commits the deferred writes now. A write that fails is dropped without
   * taking the others with it: a full disk must not refuse connects.
   */
  flushDeferred(): void {
    if (this.#deferred.size === 0 || !this.db.isOpen) return;
    const writes = [...this.#deferred.values()];
    this.#deferred.clear();
    this.#wrote();
    clearTimeout(this.#deferTimer);
    this.#deferTimer = undefined;
    const runAll = () => {
      for (const write of writes) {
        try {
          // A failing statement undoes only itself; the transaction goes on.
          write();
        } catch {
          // Dropped; see above.
        }
      }
    };
    try {
      this.relaxed(() => transaction(this.db, runAll));
    } catch {
      // BEGIN or COMMIT failed (disk full, read-only): the writes are lost.
    }
  }

  /**
   * Runs `fn` with commits that skip the fsync: they survive a crash or
   * `kill -9` of cara (WAL, `synchronous=NORMAL`) but the last of them may be
   * lost if the machine loses power. For bookkeeping on hot paths (audit rows,
   * last-seen times, device tokens that a client can re-obtain), never for
   * conversations, tasks or config.
   */
  relaxed<T>(fn: () => T): T {
    return relaxed(this.db, fn);
  }

  /** The highest applied migration version. */
  schemaVersion(): number {
    return appliedVersion(this.db);
  }

  /** Closes the connection; calling it again does nothing. */
  close(): void {
    this.flushDeferred();
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    try {
      this.#wal?.close();
    } catch {
      // Already closed.
    }
    this.#wal = undefined;
    if (this.db.isOpen) this.db.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function sqliteCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === "number" ? code : undefined;
}

function openFailure(path: string, error: unknown): CaraError {
  if (error instanceof CaraError) return error;
  const code = sqliteCode(error);
  if (code === SQLITE_NOTADB || code === SQLITE_CORRUPT) {
    return new CaraError(
      "state_db_unreadable",
      `Cannot open state database "${path}": the file is not a SQLite database or is damaged; move it aside (or restore a backup) and start cara again`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new CaraError(
    "state_db_open_failed",
    `Cannot open state database "${path}": ${detail}`,
    { cause: error },
  );
}

function configure(db: DatabaseSync, path: string): void {
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const mode = db.prepare("PRAGMA journal_mode = WAL").get()?.journal_mode;
  if (mode !== "wal") {
    throw new CaraError(
      "state_db_open_failed",
      `Cannot open state database "${path}": the file system refused WAL journal mode (got "${mode}"); put the state dir on a local disk`,
    );
  }
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
}

/**
 * Opens (creating if needed) the state database at `path` and migrates it.
 *
 * @param path the database file; its directory must exist
 * @param options.clock source of timestamps, default `Date.now`
 * @throws {CaraError} `state_db_unreadable` for a file that is not SQLite,
 *   `state_db_too_new` when a newer cara wrote it, `state_db_open_failed`
 *   for anything else that stops the open
 * @example
 * ```ts
 * using state = openDatabase(resolveDatabasePath(env));
 * state.audit.append({ event: "gateway_connected", data: {} });
 * ```
 */
export function openDatabase(
  path: string,
  options: OpenDatabaseOptions = {},
): StateDatabase {
  const clock = options.clock ?? Date.now;
  preparePrivateFile(path);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    configure(db, path);
    migrate(db, { clock, path });
    return new StateDatabase(db, { path, clock });
  } catch (error) {
    if (db?.isOpen) db.close();
    throw openFailure(path, error);
  }
}
