/**
 * Where each backup section lives on this machine, and the check that no
 * section root is a symlink or of the wrong kind before a restore.
 *
 * @module
 */
import {
  type Env,
  resolveConfigPath,
  resolveDatabasePath,
  resolveMemoryDir,
} from "../config/paths.ts";
import { CaraError } from "../errors.ts";
import type { Section } from "./format.ts";

/** The live path of a section and what kind of thing it must be. */
export interface SectionTarget {
  section: Section;
  path: string;
  kind: "file" | "directory";
  /** Files that belong to the target and are replaced with it (SQLite WAL and journals). */
  companions: string[];
}

/** The restore targets of `sections` in `env`. */
export function sectionTargets(
  env: Env,
  sections: readonly Section[],
): SectionTarget[] {
  return sections.map((section) => {
    switch (section) {
      case "state": {
        const path = resolveDatabasePath(env);
        // A leftover WAL would be replayed onto the restored database.
        const companions = ["-wal", "-shm", "-journal"].map((s) => path + s);
        return { section, path, kind: "file", companions };
      }
      case "config":
        return {
          section,
          path: resolveConfigPath(env),
          kind: "file",
          companions: [],
        };
      case "memory":
        return {
          section,
          path: resolveMemoryDir(env),
          kind: "directory",
          companions: [],
        };
    }
  });
}

/**
 * Refuses targets that are symlinks or of the wrong kind (a directory where
 * the database goes, say).
 *
 * @throws {CaraError} `restore_target_unsafe`
 */
export async function checkTargets(
  targets: readonly SectionTarget[],
): Promise<void> {
  for (const target of targets) {
    for (const path of [target.path, ...target.companions]) {
      const info = await Deno.lstat(path).catch(() => null);
      if (info === null) continue;
      const kind = path === target.path ? target.kind : "file";
      const wrongKind = kind === "file" ? !info.isFile : !info.isDirectory;
      if (info.isSymlink || wrongKind) {
        throw new CaraError(
          "restore_target_unsafe",
          `Cannot restore the ${target.section} section to "${path}": it is ${
            info.isSymlink ? "a symbolic link" : `not a ${kind}`
          }; replace it with a real ${kind} or remove it`,
        );
      }
    }
  }
}
