/**
 * How cara spawns itself (plugin hosts, benchmarks, tests), the same way from
 * `deno run main.ts` and from the compiled binary, which takes no Deno flags.
 *
 * @module
 */

/** The Deno flags `deno run` needs to behave like the compiled binary. */
export const RUN_FLAGS: readonly string[] = [
  "run",
  "--allow-all",
  "--unstable-worker-options",
  "--unstable-no-legacy-abort",
  // `deno run` otherwise loads the module graph of every literal dynamic
  // import at start-up (every feature and SDK); a compiled binary never does.
  "--unstable-lazy-dynamic-imports",
];

/** A command line that runs cara: `[executable, ...args]`. */
export interface SelfCommand {
  command: string;
  args: string[];
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
 * @param options.mainModule defaults to the entry module `main.ts` next to this repo
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
  const mainModule = options.mainModule ??
    new URL("../main.ts", import.meta.url).href;
  return { command: execPath, args: [...RUN_FLAGS, mainModule, ...args] };
}
