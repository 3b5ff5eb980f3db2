/**
 * `restoreBackup()`: replaces the sections a backup holds, all or nothing.
 * Pass 1 validates the whole archive; pass 2 extracts it into a staging dir
 * inside the state dir and checks the database; then each live section is
 * moved aside and the staged copy renamed into place. On any failure the
 * existing state is left exactly as it was.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { basename, dirname, join } from "node:path";
import { type Env, resolveStateDir } from "../config/paths.ts";
import { assertNoDaemonRunning } from "../daemon/find.ts";
import { CaraError } from "../errors.ts";
import { extractBackup } from "./extract.ts";
import {
  type BackupInspection,
  inspectBackup,
  type PassOptions,
} from "./inspect.ts";
import { type Replacement, swapIntoPlace } from "./swap.ts";
import { checkTargets, type SectionTarget, sectionTargets } from "./targets.ts";

/** What {@linkcode restoreBackup} did. */
export interface RestoreResult extends BackupInspection {
  /** Paths left behind because cleaning up after a successful swap failed. */
  leftovers: string[];
}

/**
 * Restores the backup at `archive` into the state described by `env`.
 *
 * @throws {CaraError} `daemon_running`, `restore_target_unsafe`,
 *   `backup_db_corrupt`, `restore_rollback_failed`, or any `backup_*` error
 * @example
 * ```ts
 * const { sections } = await restoreBackup(ctx.env, "carapace-backup-20250101T000000Z.tar.gz");
 * ```
 */
export async function restoreBackup(
  env: Env,
  archive: string,
  options: PassOptions = {},
): Promise<RestoreResult> {
  const stateDir = resolveStateDir(env);
  await assertNoDaemonRunning(stateDir, "restore a backup");
  const planned = await inspectBackup(archive, options);
  const plannedTargets = sectionTargets(
    env,
    planned.sections.map((s) => s.section),
  );
  await checkTargets(plannedTargets);
  await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const staging = join(stateDir, `.restore-${crypto.randomUUID().slice(0, 8)}`);
  await Deno.mkdir(staging, { mode: 0o700 });
  const extras: string[] = [];
  try {
    const staged = await extractBackup(archive, join(staging, "new"), options);
    const sections = staged.sections.map((s) => s.section);
    if (sections.join() !== planned.sections.map((s) => s.section).join()) {
      throw new CaraError(
        "backup_changed",
        `Cannot restore the backup "${archive}": it changed while being read; retry with a file nobody writes to`,
      );
    }
    if (sections.includes("state")) {
      checkDatabase(archive, join(staging, "new", "state", "state.db"));
    }
    const targets = sectionTargets(env, sections);
    await checkTargets(targets);
    await Deno.mkdir(join(staging, "old"), { mode: 0o700 });
    const replacements = await planReplacements(staged, targets, {
      staging,
      extras,
    });
    await swapIntoPlace(replacements);
  } catch (error) {
    await removeAll([staging, ...extras]);
    throw error;
  }
  const leftovers = await removeAll([staging, ...extras]);
  return { ...planned, leftovers };
}

async function planReplacements(
  staged: BackupInspection,
  targets: readonly SectionTarget[],
  options: { staging: string; extras: string[] },
): Promise<Replacement[]> {
  const { staging, extras } = options;
  const replacements: Replacement[] = [];
  for (const target of targets) {
    const old = join(staging, "old", target.section);
    await Deno.mkdir(old, { mode: 0o700 });
    for (const companion of target.companions) {
      replacements.push({
        target: companion,
        staged: null,
        aside: join(old, basename(companion)),
      });
    }
    const stagedPath = stagedPathOf(staged, staging, target);
    if (target.section !== "config") {
      replacements.push({
        target: target.path,
        staged: stagedPath,
        aside: join(old, basename(target.path)),
      });
      continue;
    }
    // The config file may live on another filesystem: stage it next to itself.
    const dir = dirname(target.path);
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    const tag = crypto.randomUUID().slice(0, 8);
    const near = join(dir, `.${basename(target.path)}.restore-${tag}`);
    const aside = join(dir, `.${basename(target.path)}.old-${tag}`);
    extras.push(near, aside);
    await Deno.copyFile(stagedPath, near);
    await Deno.chmod(near, 0o600).catch(() => {});
    replacements.push({ target: target.path, staged: near, aside });
  }
  return replacements;
}

function stagedPathOf(
  staged: BackupInspection,
  staging: string,
  target: SectionTarget,
): string {
  const root = join(staging, "new", target.section);
  if (target.section === "state") return join(root, "state.db");
  if (target.section === "memory") return root;
  const config = staged.sections.find((s) => s.section === "config");
  return join(root, config?.names[0] ?? "");
}

function checkDatabase(archive: string, path: string): void {
  let result: string;
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const rows = db.prepare("PRAGMA integrity_check").all();
      result = rows.map((row) => String(row.integrity_check)).join("; ");
    } finally {
      db.close();
    }
  } catch (error) {
    result = error instanceof Error ? error.message : String(error);
  }
  if (result !== "ok") {
    throw new CaraError(
      "backup_db_corrupt",
      `Cannot restore the backup "${archive}": its database fails the integrity check (${
        result.slice(0, 200)
      }); use an intact backup`,
    );
  }
}

async function removeAll(paths: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (const path of paths) {
    try {
      await Deno.remove(path, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) left.push(path);
    }
  }
  return left;
}
