/**
 * Where the filesystem tools may go: paths are canonicalised (symlinks
 * resolved) and must land inside one of `filesystem.roots` (themselves
 * canonicalised); `excludePatterns` globs refuse matches. Empty roots deny
 * everything. A symlink that points out of the roots is refused because its
 * real path is what gets checked.
 *
 * @module
 */
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";
import type { CaraConfig } from "../config/schema.ts";
import { CaraError } from "../errors.ts";

/** Turns a glob (`*`, `**`, `?`) into an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

function refused(path: string, why: string): CaraError {
  return new CaraError("fs_denied", `Cannot use path "${path}": ${why}`);
}

/** The checked view of the filesystem the tools work in. */
export class FsSandbox {
  readonly roots: readonly string[];
  readonly writeAccess: boolean;
  readonly maxReadBytes: number;
  readonly #exclude: RegExp[];

  constructor(config: CaraConfig["filesystem"]) {
    this.roots = config.roots.flatMap((root) => {
      try {
        return [Deno.realPathSync(root)];
      } catch {
        return [];
      }
    });
    this.writeAccess = config.writeAccess;
    this.maxReadBytes = config.maxReadBytes;
    this.#exclude = config.excludePatterns.map(globToRegExp);
  }

  /**
   * The canonical path of `path` if it is allowed. A path that does not
   * exist yet (`allowMissing`) is checked through its parent directory.
   *
   * @throws {CaraError} `fs_denied` outside the roots or excluded;
   *   `fs_not_found` when missing and not allowed to be
   */
  async resolve(
    path: string,
    options: { allowMissing?: boolean } = {},
  ): Promise<string> {
    if (this.roots.length === 0) {
      throw refused(
        path,
        "no filesystem roots are configured (filesystem.roots)",
      );
    }
    if (path.length > 4096 || path.includes("\0")) {
      throw refused(path.slice(0, 64), "not a valid path");
    }
    const absolute = isAbsolute(path)
      ? resolve(path)
      : resolve(this.roots[0]!, path);
    let real: string;
    try {
      real = await Deno.realPath(absolute);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      if (!options.allowMissing) {
        throw new CaraError(
          "fs_not_found",
          `Cannot use path "${path}": it does not exist`,
        );
      }
      real = join(await this.resolve(dirname(absolute)), basename(absolute));
    }
    if (
      !this.roots.some((root) =>
        real === root || real.startsWith(root.endsWith(sep) ? root : root + sep)
      )
    ) {
      throw refused(
        path,
        `it is outside the allowed roots (${this.roots.join(", ")})`,
      );
    }
    if (this.excluded(real)) {
      throw refused(path, "it matches filesystem.excludePatterns");
    }
    return real;
  }

  /** Whether an excludePatterns glob matches the path or its base name. */
  excluded(real: string): boolean {
    const name = basename(real);
    return this.#exclude.some((glob) => glob.test(real) || glob.test(name));
  }

  /** Refuses writes unless `filesystem.writeAccess` is on. */
  checkWritable(path: string): void {
    if (!this.writeAccess) {
      throw refused(
        path,
        "writing is off; set filesystem.writeAccess to true to allow it",
      );
    }
  }
}
