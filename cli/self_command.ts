/**
 * How cara spawns itself (plugin hosts, benchmarks, tests) and finds its entry
 * modules, the same way from `deno run main.ts`, from the release bundle
 * (`deno run dist/bundle/main.js`) and from the compiled binary, which takes
 * no Deno flags.
 *
 * @module
 */

/**
 * The V8 flags cara runs with, compiled in (`deno compile --v8-flags`) and
 * given to `deno run`: a young generation of 2 MiB semi-spaces instead of up
 * to 16 MiB keeps a busy gateway about 10 MiB smaller, and no slower (its
 * per-request garbage is short-lived; a small nursery also stays in cache).
 */
export const V8_FLAGS = "--v8-flags=--max-semi-space-size=2";

/** The Deno flags `deno run` needs to behave like the compiled binary. */
export const RUN_FLAGS: readonly string[] = [
  "run",
  "--allow-all",
  "--unstable-worker-options",
  "--unstable-no-legacy-abort",
  // `deno run` otherwise loads the module graph of every literal dynamic
  // import at start-up (every feature and SDK); a compiled binary never does.
  "--unstable-lazy-dynamic-imports",
  V8_FLAGS,
];

/** A command line that runs cara: `[executable, ...args]`. */
export interface SelfCommand {
  command: string;
  args: string[];
}

// This module is cli/self_command.ts in the sources; in the release bundle it
// is part of a chunk at the bundle's root (.github/scripts/bundle.ts checks
// that), where each entry sits at its repository path with a .js extension.
const FROM_SOURCES = import.meta.url.endsWith("/cli/self_command.ts");

/**
 * The URL of one of cara's entry modules in the build that is running: the
 * sources or the release bundle, run by `deno run` or compiled (the compiled
 * binary embeds the bundled entries with `--include`).
 *
 * @param path the entry's repository path, e.g. `"plugins/sandbox/worker_entry.ts"`
 * @example
 * ```ts
 * new Worker(entryModuleUrl("plugins/sandbox/worker_entry.ts"), { type: "module" });
 * ```
 */
export function entryModuleUrl(path: string): URL {
  return FROM_SOURCES
    ? new URL(`../${path}`, import.meta.url)
    : new URL(`./${path.replace(/\.ts$/, ".js")}`, import.meta.url);
}

function isDenoRuntime(execPath: string): boolean {
  const name = execPath.split(/[\\/]/).pop()?.toLowerCase() ?? "";
  return name === "deno" || name === "deno.exe";
}

/**
 * The command line that runs `cara <args>`.
 *
 * @param args arguments after `cara`
 * @param options.execPath defaults to `Deno.execPath()`
 * @param options.mainModule defaults to the entry module of this build (`main.ts` or the bundled `main.js`)
 * @example
 * ```ts
 * const { command, args } = selfCommand(["start"]);
 * new Deno.Command(command, { args }).spawn();
 * ```
 */
export function selfCommand(
  args: readonly string[],
  options: { execPath?: string; mainModule?: string } = {},
): SelfCommand {
  const execPath = options.execPath ?? Deno.execPath();
  if (!isDenoRuntime(execPath)) return { command: execPath, args: [...args] };
  const mainModule = options.mainModule ?? entryModuleUrl("main.ts").href;
  return { command: execPath, args: [...RUN_FLAGS, mainModule, ...args] };
}
