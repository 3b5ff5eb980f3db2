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
 * Watches the directories of the config files (editors replace files by
 * rename) until `signal` aborts.
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
  let catchUp = options.loadedHash !== undefined;
  while (!signal.aborted) {
    const dirs = [...new Set(files.map((file) => dirname(resolve(file))))];
    const watched = await watchedNames(files);
    let watcher: Deno.FsWatcher;
    try {
      watcher = Deno.watchFs(dirs, { recursive: false });
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
    const close = () => watcher.close();
    signal.addEventListener("abort", close, { once: true });
    // An abort during the awaits above fired before the listener existed.
    if (signal.aborted) close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending = Promise.resolve();
    const reload = async () => {
      const current = await fingerprint(files);
      if (current === last || signal.aborted) return;
      last = current;
      try {
        const loaded = await loadConfig({ path, env, keyring });
        if (signal.aborted) return;
        const before = dirs.join("\n");
        files = loaded.files.length > 0 ? loaded.files : [path];
        await options.onReload(loaded);
        const after = [...new Set(files.map((file) => dirname(resolve(file))))]
          .join("\n");
        if (after !== before) close(); // reopen over the new set of directories
      } catch (error) {
        if (!signal.aborted) options.onError(error);
      }
    };
    if (catchUp) {
      catchUp = false;
      pending = pending.then(reload);
    }
    try {
      for await (const event of watcher) {
        if (!event.paths.some((p) => watched.has(resolve(p)))) continue;
        clearTimeout(timer);
        timer = setTimeout(() => {
          pending = pending.then(reload);
        }, options.debounceMs ?? 300);
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", close);
      await pending;
    }
  }
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
