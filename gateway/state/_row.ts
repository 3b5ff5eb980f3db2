/**
 * Typed reads of result-row columns; a mismatch means the schema and the code
 * disagree, which is our bug, so it throws a TypeError.
 *
 * @module
 */
import type { SQLOutputValue } from "node:sqlite";

/** A result row as node:sqlite returns it. */
export type Row = Record<string, SQLOutputValue>;

function mismatch(column: string, expected: string, value: unknown): TypeError {
  return new TypeError(
    `Cannot read state column "${column}": expected ${expected}, got ${typeof value}`,
  );
}

/** A TEXT column that is never NULL. */
export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== "string") throw mismatch(column, "text", value);
  return value;
}

/** A nullable TEXT column. */
export function textOrNull(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

/** An INTEGER or REAL column that is never NULL. */
export function num(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== "number") throw mismatch(column, "a number", value);
  return value;
}

/** A nullable INTEGER or REAL column. */
export function numOrNull(row: Row, column: string): number | null {
  return row[column] === null ? null : num(row, column);
}
