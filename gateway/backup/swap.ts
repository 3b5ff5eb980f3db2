/**
 * Puts staged copies into place with renames: each target is first moved
 * aside, then the staged copy takes its name. If any rename fails, every
 * completed rename is undone in reverse order so the old state is back.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** One path to replace. */
export interface Replacement {
  /** The live path. */
  target: string;
  /** The staged copy to move there; null to only move the target aside. */
  staged: string | null;
  /** Where the current target is kept until the whole swap succeeded (same filesystem). */
  aside: string;
}

/**
 * Performs all replacements or none.
 *
 * @throws the first rename error after a complete rollback, or
 *   {@linkcode CaraError} `restore_rollback_failed` naming the kept copies
 *   when the rollback itself failed
 */
export async function swapIntoPlace(
  replacements: readonly Replacement[],
): Promise<void> {
  const done: { from: string; to: string }[] = [];
  try {
    for (const replacement of replacements) {
      if (await exists(replacement.target)) {
        await Deno.rename(replacement.target, replacement.aside);
        done.push({ from: replacement.target, to: replacement.aside });
      }
      if (replacement.staged !== null) {
        await Deno.rename(replacement.staged, replacement.target);
        done.push({ from: replacement.staged, to: replacement.target });
      }
    }
  } catch (error) {
    const stuck: string[] = [];
    for (const move of done.reverse()) {
      try {
        await Deno.rename(move.to, move.from);
      } catch {
        stuck.push(`"${move.to}" -> "${move.from}"`);
      }
    }
    if (stuck.length > 0) {
      throw new CaraError(
        "restore_rollback_failed",
        `Cannot restore the backup: a rename failed and undoing it failed too; move back by hand: ${
          stuck.join(", ")
        }`,
        { cause: error },
      );
    }
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
