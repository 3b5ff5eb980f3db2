/**
 * Helpers for the state tests: a clock the test moves by hand and a fresh
 * database in a temp dir, both scoped with `using`.
 *
 * @module
 */
import { join } from "node:path";
import {
  openDatabase,
  type StateDatabase,
} from "../../../gateway/state/mod.ts";
import { tempDir } from "../../_helpers.ts";

/** A clock that only moves when told to. */
export interface ManualClock {
  clock: () => number;
  advance(ms: number): void;
}

/** 2023-11-14T22:13:20Z, a fixed start for every test clock. */
export const T0 = 1_700_000_000_000;

/** A {@linkcode ManualClock} starting at `start`. */
export function manualClock(start = T0): ManualClock {
  let now = start;
  return {
    clock: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** An open database in a fresh temp dir, closed and removed on dispose. */
export interface TestDatabase extends Disposable {
  state: StateDatabase;
  dir: string;
  path: string;
  time: ManualClock;
}

/** Opens a fresh database with a manual clock. */
export function testDatabase(): TestDatabase {
  const dir = tempDir("cara-state-");
  const path = join(dir.path, "state.db");
  const time = manualClock();
  const state = openDatabase(path, { clock: time.clock });
  return {
    state,
    dir: dir.path,
    path,
    time,
    [Symbol.dispose]() {
      state.close();
      dir[Symbol.dispose]();
    },
  };
}

/** File permission bits of `path` (POSIX only). */
export function modeOf(path: string): number {
  return (Deno.statSync(path).mode ?? 0) & 0o777;
}

/** Runs `fn`, expecting it to throw an instance of `type`; returns the error. */
export function thrown<E extends Error>(
  fn: () => unknown,
  type: abstract new (...args: never[]) => E,
): E {
  try {
    fn();
  } catch (error) {
    if (error instanceof type) return error;
    throw new Error(`Expected ${type.name}, got ${String(error)}`, {
      cause: error,
    });
  }
  throw new Error(`Expected ${type.name} to be thrown, nothing was`);
}
