/**
 * Synchronous SQLite transactions that nest.
 *
 * The outermost call takes the write lock up front (`BEGIN IMMEDIATE`), so a
 * busy database waits for `busy_timeout` at the start instead of failing with
 * SQLITE_BUSY half-way through. Nested calls become savepoints, which lets a
 * store method that needs atomicity run inside a caller's transaction.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

function isPromiseLike(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

function rollback(db: DatabaseSync, nested: boolean): void {
  // After some errors (e.g. SQLITE_FULL) SQLite has already rolled back.
  if (!db.isTransaction) return;
  db.exec(nested ? "ROLLBACK TO cara_tx; RELEASE cara_tx" : "ROLLBACK");
}

/**
 * Runs `fn` in a transaction: commits when it returns, rolls back and
 * rethrows when it throws.
 *
 * @param db an open database
 * @param fn synchronous work; its result is returned
 * @throws {TypeError} when `fn` returns a promise (the work would escape the
 *   transaction)
 * @example
 * ```ts
 * const id = transaction(db, () => insert.run("x").lastInsertRowid);
 * ```
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  const nested = db.isTransaction;
  db.exec(nested ? "SAVEPOINT cara_tx" : "BEGIN IMMEDIATE");
  let result: T;
  try {
    result = fn();
    if (isPromiseLike(result)) {
      throw new TypeError(
        "Cannot run an async function in a state transaction: pass a synchronous function",
      );
    }
  } catch (error) {
    rollback(db, nested);
    throw error;
  }
  try {
    db.exec(nested ? "RELEASE cara_tx" : "COMMIT");
  } catch (error) {
    rollback(db, nested);
    throw error;
  }
  return result;
}
