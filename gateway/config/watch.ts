/**
 * Hot reload: watch the config file (and its includes) and load it again
 * after edits settle.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "./errors.ts";
import { loadConfig, type LoadedConfig } from "./load.ts";
import type { Env } from "./paths.ts";
import { readConfigText, sha256Hex } from "./read_file.ts";
import { keyringFromEnv, type SecretKeyring } from "./secrets/keyring.ts";

/** Options of {@linkcode watchConfig}. */
export interface WatchConfigOptions {
  path: string;
  env: Env;
  /** Quiet time after the last change before reloading; default 300 ms. */
  debounceMs?: number;
  /** Stops watching; `watchConfig` resolves once everything is closed. */
  signal: AbortSignal;
  /** The files of the config already loaded (default: just `path`). */
  files?: readonly string[];
  keyring?: SecretKeyring | null;
  /**
   * `LoadedConfig.hash` of the config the caller loaded. With it, an edit made
   * between that load and the start of watching is reloaded too.
   */
  loadedHash?: string | null;
  /** A new valid config was loaded. */
  onReload(loaded: LoadedConfig): void | Promise<void>;
  /** An edit did not load; called once per bad edit. Keep the last good config. */
  onError(error: unknown): void;
}

/**
 * Watches the config files until `signal` aborts.
 *
 * Each file that exists is watched itself, not its directory: the state
 * database usually sits next to the config, and a directory watch would wake
 * the gateway on every one of its writes. Editors save by renaming a new file
 * over the old one, which ends a watch on the old file, so the watch is set
 * up again after every change. A file that does not exist yet is found
 * through its directory.
 *
 * @throws {ConfigError} kind `read` when a config directory cannot be watched
 * @example
 * ```ts
 * const stop = new AbortController();
 * const done = watchConfig({ path, env, signal: stop.signal, onReload: apply, onError: log });
 * // … on shutdown:
 * stop.abort();
 * await done;
 * ```
 */
export async function watchConfig(options: WatchConfigOptions): Promise<void> {
  const { path, env, signal } = options;
  const keyring = options.keyring === undefined
    ? keyringFromEnv(env)
    : options.keyring;
  let files = options.files?.length ? [...options.files] : [path];
  let last = await fingerprint(files);
  if (options.loadedHash !== undefined) {
    last = [options.loadedHash ?? "missing", ...last.split(",").slice(1)]
      .join(",");
  }
  let watcher: Deno.FsWatcher | undefined;
  // Closing the current watcher makes the loop below set up a new one.
  const rearm = () => {
    try {
      watcher?.close();
    } catch {
      // Already closed.
    }
  };
  signal.addEventListener("abort", rearm, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = Promise.resolve();
  const reload = async () => {
    const current = await fingerprint(files);
    if (current === last || signal.aborted) return;
    last = current;
    try {
      const loaded = await loadConfig({ path, env, keyring });
      if (signal.aborted) return;
      const before = files.join("\n");
      files = loaded.files.length > 0 ? loaded.files : [path];
      await options.onReload(loaded);
      if (files.join("\n") !== before) rearm(); // includes changed
    } catch (error) {
      if (!signal.aborted) options.onError(error);
    }
  };
  const scheduleReload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      pending = pending.then(reload);
    }, options.debounceMs ?? 300);
  };
  // An edit made between the caller's load and this watch is reloaded too.
  if (options.loadedHash !== undefined) pending = pending.then(reload);
  try {
    while (!signal.aborted) {
      const targets = await watchTargets(files);
      if (signal.aborted) break;
      try {
        watcher = Deno.watchFs(targets.paths, { recursive: false });
      } catch (error) {
        const failure = new ConfigError(
          "read",
          `Cannot watch config "${path}": ${
            error instanceof Error ? error.message : String(error)
          }`,
          { path, cause: error },
        );
        if (files.length === 1) throw failure;
        // An include's directory vanished: keep watching the config itself.
        options.onError(failure);
        files = [path];
        continue;
      }
      for await (const event of watcher) {
        if (!event.paths.some((p) => targets.names.has(resolve(p)))) continue;
        scheduleReload();
        // The file may have been replaced (or created): watch what is there now.
        rearm();
      }
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", rearm);
    rearm();
    await pending;
  }
}

/** What {@linkcode watchTargets} found to watch. */
export interface WatchTargets {
  /** Each file that exists, and the directory of each one that does not. */
  paths: string[];
  /** The files' names (given and canonical) that count as a change. */
  names: Set<string>;
}

/**
 * The paths to watch for `files`: a file that exists is watched itself, one
 * that does not through its directory (so its creation is seen), and a
 * symlink also through its directory.
 */
export async function watchTargets(
  files: readonly string[],
): Promise<WatchTargets> {
  const paths = new Set<string>();
  for (const file of files) {
    const absolute = resolve(file);
    const exists = await Deno.stat(absolute).then(
      (info) => info.isFile,
      () => false,
    );
    paths.add(exists ? absolute : dirname(absolute));
    // A symlink can be pointed elsewhere (dotfile managers do), which its
    // target never sees: its directory is watched too.
    const link = await Deno.lstat(absolute).catch(() => null);
    if (link?.isSymlink) paths.add(dirname(absolute));
  }
  return { paths: [...paths], names: await watchedNames(files) };
}

/** Both the given and the canonical spelling of each file (e.g. macOS /tmp). */
async function watchedNames(files: readonly string[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of files) {
    names.add(resolve(file));
    const real = await Deno.realPath(dirname(resolve(file))).catch(() => null);
    if (real !== null) names.add(join(real, basename(file)));
  }
  return names;
}

async function fingerprint(files: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const file of files) {
    const text = await readConfigText(file).catch((error) =>
      `error:${String(error)}`
    );
    parts.push(text === null ? "missing" : await sha256Hex(text));
  }
  return parts.join(",");
}
