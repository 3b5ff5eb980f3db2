/**
 * The part of `node:path` cara uses (`join`, `dirname`, `basename`,
 * `resolve`, `isAbsolute`, `sep`), with node:path's results, for the release
 * bundle: .github/scripts/bundle.ts maps `node:path` to this module, because
 * importing `node:path` sets up Deno's Node compatibility layer, which costs
 * every `cara start` 6-9 ms. The sources keep importing `node:path`.
 *
 * On POSIX the functions are plain string code; tests/gateway/path_test.ts
 * checks them against `node:path/posix` on a generated corpus. On Windows,
 * whose drive and UNC rules are not worth a second implementation, and for
 * `basename()` with a suffix, they call `node:path` itself, loaded on first
 * use (`process.getBuiltinModule`, which an import map does not rewrite).
 *
 * @module
 */

/** The `node:path` functions this module provides. */
export interface PathFunctions {
  sep: string;
  join(...paths: string[]): string;
  dirname(path: string): string;
  basename(path: string, suffix?: string): string;
  resolve(...paths: string[]): string;
  isAbsolute(path: string): boolean;
}

/** The POSIX implementation, exported for the conformance test. */
export const posixPath: PathFunctions = {
  sep: "/",
  join: posixJoin,
  dirname: posixDirname,
  basename: posixBasename,
  resolve: posixResolve,
  isAbsolute: (path) => path.startsWith("/"),
};

const WINDOWS = Deno.build.os === "windows";

function nodePath(): PathFunctions {
  const { process } = globalThis as unknown as {
    process: { getBuiltinModule(id: string): PathFunctions };
  };
  return process.getBuiltinModule("node:path");
}

/** The path segment separator: `/`, or `\` on Windows. */
export const sep: string = WINDOWS ? "\\" : "/";

/** `node:path` `join()`: joins non-empty segments and normalizes the result. */
export function join(...paths: string[]): string {
  return WINDOWS ? nodePath().join(...paths) : posixJoin(...paths);
}

/** `node:path` `dirname()`: the path without its last segment. */
export function dirname(path: string): string {
  return WINDOWS ? nodePath().dirname(path) : posixDirname(path);
}

/** `node:path` `basename()`: the last segment, without `suffix` if it ends so. */
export function basename(path: string, suffix?: string): string {
  return WINDOWS
    ? nodePath().basename(path, suffix)
    : posixBasename(path, suffix);
}

/** `node:path` `resolve()`: an absolute, normalized path (relative to the cwd). */
export function resolve(...paths: string[]): string {
  return WINDOWS ? nodePath().resolve(...paths) : posixResolve(...paths);
}

/** `node:path` `isAbsolute()`. */
export function isAbsolute(path: string): boolean {
  return WINDOWS ? nodePath().isAbsolute(path) : path.startsWith("/");
}

/**
 * Resolves `.` and `..` segments and drops empty ones; `..` above the start
 * is kept only when `aboveRoot` (relative paths).
 */
function normalizeSegments(path: string, aboveRoot: boolean): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") out.push(segment);
    else if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (aboveRoot) out.push("..");
  }
  return out.join("/");
}

function posixNormalize(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const trailing = path.endsWith("/");
  const normalized = normalizeSegments(path, !absolute);
  if (normalized === "") return absolute ? "/" : trailing ? "./" : ".";
  const tail = trailing ? `${normalized}/` : normalized;
  return absolute ? `/${tail}` : tail;
}

function posixJoin(...paths: string[]): string {
  const joined = paths.filter((path) => path !== "").join("/");
  return joined === "" ? "." : posixNormalize(joined);
}

function posixResolve(...paths: string[]): string {
  let resolved = "";
  let absolute = false;
  for (let i = paths.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? paths[i] ?? "" : Deno.cwd();
    if (path === "") continue;
    resolved = `${path}/${resolved}`;
    absolute = path.startsWith("/");
  }
  const normalized = normalizeSegments(resolved, !absolute);
  if (absolute) return `/${normalized}`;
  return normalized === "" ? "." : normalized;
}

function posixDirname(path: string): string {
  if (path === "") return ".";
  // The dirname ends at the last slash before the last segment; trailing
  // slashes are not a segment, the slashes before the segment stay.
  let end = path.length - 1;
  while (end > 0 && path[end] === "/") end--;
  while (end > 0 && path[end] !== "/") end--;
  if (end <= 0) return path.startsWith("/") ? "/" : ".";
  return end === 1 && path.startsWith("/") ? "//" : path.slice(0, end);
}

function posixBasename(path: string, suffix?: string): string {
  // node:path's suffix rules have corner cases cara never needs: delegate.
  if (suffix !== undefined) return nodePath().basename(path, suffix);
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}
