/**
 * The one gate for tar entry names: only relative, normal, forward-slash
 * paths pass, so no entry can leave the directory it is extracted into.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** Longest entry name accepted, in UTF-16 code units. */
const MAX_NAME_LENGTH = 4096;

/**
 * Splits a tar entry name into its components, refusing anything that is not
 * a plain relative path: empty names, NUL or control characters, backslashes,
 * absolute paths, drive letters, and `.`, `..` or empty components. A single
 * trailing `/` (directories) is allowed. On Windows a `:` in a component is
 * refused too (it would name an alternate data stream).
 *
 * @throws {CaraError} `backup_invalid_path`
 * @example
 * ```ts
 * checkEntryName("memory/notes/a.md"); // ["memory", "notes", "a.md"]
 * ```
 */
export function checkEntryName(
  name: string,
  options: { os?: typeof Deno.build.os } = {},
): string[] {
  const reason = problemWith(name, (options.os ?? Deno.build.os) === "windows");
  if (reason !== null) {
    throw new CaraError(
      "backup_invalid_path",
      `Cannot restore the backup: invalid path in backup ${
        JSON.stringify(name.slice(0, 200))
      } (${reason}); the archive was not written by cara or was tampered with`,
    );
  }
  return name.replace(/\/$/, "").split("/");
}

function problemWith(name: string, windows: boolean): string | null {
  if (name === "" || name === "/") return "empty name";
  if (name.length > MAX_NAME_LENGTH) return "name too long";
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "control character";
  if (name.includes("\\")) return "backslash";
  if (name.startsWith("/")) return "absolute path";
  if (/^[A-Za-z]:/.test(name)) return "drive letter";
  const parts = name.replace(/\/$/, "").split("/");
  for (const part of parts) {
    if (part === "") return "empty component";
    if (part === "." || part === "..") return `"${part}" component`;
    if (windows && part.includes(":")) return "colon in component";
  }
  return null;
}
