/**
 * Makes the state dir ready before anything is written into it: it exists,
 * belongs to us, is private (0700), and has its standard subdirectories.
 *
 * A state dir that is a symlink is allowed (moving state to another disk is a
 * normal thing to do); the ownership and mode checks apply to its target.
 *
 * @module
 */
import { join } from "node:path";
import { CaraError } from "../errors.ts";

/** Subdirectories every state dir has. */
export const STATE_SUBDIRS: readonly string[] = ["logs", "plugins", "memory"];

const PRIVATE_DIR = 0o700;

/** Options of {@linkcode prepareStateDir}. */
export interface PrepareStateDirOptions {
  /** The uid that must own the dir; defaults to `Deno.uid()`. */
  uid?: number | null;
}

/** What {@linkcode prepareStateDir} did that the operator should know. */
export interface PrepareStateDirResult {
  warnings: string[];
}

function fail(path: string, problem: string, cause?: unknown): CaraError {
  return new CaraError(
    "state_dir_unusable",
    `Cannot use state dir "${path}": ${problem}`,
    { cause },
  );
}

async function ensureDir(path: string): Promise<Deno.FileInfo> {
  try {
    await Deno.mkdir(path, { recursive: true, mode: PRIVATE_DIR });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw fail(path, `it cannot be created (${detail})`, error);
  }
  const info = await Deno.stat(path);
  if (!info.isDirectory) {
    throw fail(path, "it is not a directory; move the file aside");
  }
  return info;
}

async function makePrivate(
  path: string,
  info: Deno.FileInfo,
  expectedUid: number | null,
): Promise<string | undefined> {
  if (expectedUid !== null && info.uid !== null && info.uid !== expectedUid) {
    throw fail(
      path,
      `it is owned by uid ${info.uid}, expected ${expectedUid}; run cara as that user or pick another dir with CARAPACE_STATE_DIR`,
    );
  }
  const mode = info.mode === null ? 0 : info.mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  await Deno.chmod(path, PRIVATE_DIR);
  const old = mode.toString(8).padStart(4, "0");
  return `Directory "${path}" had mode ${old}, open to other users; tightened it to 0700`;
}

/**
 * Creates the state dir (and `logs`, `plugins`, `memory`) with mode 0700,
 * refuses one owned by another user, and tightens a wider mode to 0700.
 * Ownership and mode are not checked on Windows.
 *
 * @returns warnings naming each directory whose mode was tightened
 * @throws {CaraError} `state_dir_unusable` when a directory cannot be
 *   created, is not a directory, or is owned by another uid
 * @example
 * ```ts
 * const { warnings } = await prepareStateDir(resolveStateDir(env));
 * ```
 */
export async function prepareStateDir(
  path: string,
  options: PrepareStateDirOptions = {},
): Promise<PrepareStateDirResult> {
  const windows = Deno.build.os === "windows";
  const uid = windows ? null : options.uid ?? Deno.uid();
  const warnings: string[] = [];
  for (const dir of [path, ...STATE_SUBDIRS.map((name) => join(path, name))]) {
    const info = await ensureDir(dir);
    if (windows) continue;
    const warning = await makePrivate(dir, info, uid);
    if (warning !== undefined) warnings.push(warning);
  }
  return { warnings };
}
