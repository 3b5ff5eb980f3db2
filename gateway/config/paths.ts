/**
 * Where cara keeps its state and its config file.
 *
 * Every function takes the environment as a plain record so tests and the CLI
 * resolve paths the same way without touching the process environment.
 *
 * @module
 */
import { join } from "node:path";

/** A read-only view of environment variables. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Names of the environment variables that steer path resolution. */
export const STATE_DIR_ENV = "CARAPACE_STATE_DIR";
export const CONFIG_PATH_ENV = "CARAPACE_CONFIG_PATH";

/** The SQLite database file name inside the state dir. */
export const DATABASE_FILE = "state.db";

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/**
 * The platform config directory: `$XDG_CONFIG_HOME` or `~/.config` on Linux,
 * `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
 */
export function platformConfigDir(
  env: Env,
  os: typeof Deno.build.os = Deno.build.os,
): string {
  if (os === "windows") {
    const appData = nonEmpty(env.APPDATA);
    if (appData) return appData;
    const profile = nonEmpty(env.USERPROFILE);
    return profile ? join(profile, "AppData", "Roaming") : ".config";
  }
  const home = nonEmpty(env.HOME);
  if (os === "darwin") {
    return home ? join(home, "Library", "Application Support") : ".config";
  }
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  if (xdg) return xdg;
  return home ? join(home, ".config") : ".config";
}

/**
 * The state directory: `CARAPACE_STATE_DIR`, else `<platform config dir>/carapace`.
 *
 * @example
 * ```ts
 * resolveStateDir({ CARAPACE_STATE_DIR: "/srv/cara" }); // "/srv/cara"
 * ```
 */
export function resolveStateDir(env: Env): string {
  return nonEmpty(env[STATE_DIR_ENV]) ??
    join(platformConfigDir(env), "carapace");
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The config file path: `CARAPACE_CONFIG_PATH`, else `carapace.json5` in the
 * state dir when it exists, else `carapace.json` there. The file need not exist.
 */
export function resolveConfigPath(env: Env): string {
  const explicit = nonEmpty(env[CONFIG_PATH_ENV]);
  if (explicit) return explicit;
  const dir = resolveStateDir(env);
  const json5 = join(dir, "carapace.json5");
  return existsSync(json5) ? json5 : join(dir, "carapace.json");
}

/** The agent memory directory (kept inside the state dir, unlike the reference). */
export function resolveMemoryDir(env: Env): string {
  return join(resolveStateDir(env), "memory");
}

/** The SQLite database path inside the state dir. */
export function resolveDatabasePath(env: Env): string {
  return join(resolveStateDir(env), DATABASE_FILE);
}
