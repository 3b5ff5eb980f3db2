/**
 * The one hub tests import their helpers from.
 *
 * @module
 */
export {
  deepEqual as assertEquals,
  match as assertMatch,
  ok as assert,
  rejects as assertRejects,
  throws as assertThrows,
} from "node:assert/strict";
import { captureContext } from "../cli/context.ts";
import { runCli } from "../cli/run.ts";
import type { Env } from "../gateway/config/paths.ts";
import { selfCommand } from "../cli/self_command.ts";

/** A temporary directory removed when the `using` scope ends. */
export function tempDir(prefix = "cara-test-"): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ prefix });
  return {
    path,
    [Symbol.dispose]() {
      try {
        Deno.removeSync(path, { recursive: true });
      } catch {
        // already gone
      }
    },
  };
}

function denoDir(): string {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit) return explicit;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? ".";
  if (Deno.build.os === "darwin") return `${home}/Library/Caches/deno`;
  if (Deno.build.os === "windows") {
    return `${Deno.env.get("LOCALAPPDATA") ?? home}\\deno`;
  }
  return `${Deno.env.get("XDG_CACHE_HOME") ?? `${home}/.cache`}/deno`;
}

/** An environment isolated to one state dir (no HOME, no real credentials). */
export function isolatedEnv(
  stateDir: string,
  extra: Env = {},
): Record<string, string> {
  const env: Record<string, string> = {
    CARAPACE_STATE_DIR: stateDir,
    HOME: stateDir,
    // Children share this run's Deno cache: a fresh HOME would otherwise make
    // every `cara` child process fetch npm metadata and transpile again.
    DENO_DIR: denoDir(),
    PATH: Deno.env.get("PATH") ?? "",
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** Result of running the CLI. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cara <args>` in this process with captured output. */
export async function runCaraInProcess(
  args: string[],
  env: Env,
  cwd?: string,
): Promise<CliResult> {
  const ctx = captureContext(env, cwd);
  const code = await runCli(args, ctx);
  return { code, stdout: ctx.stdout(), stderr: ctx.stderr() };
}

/**
 * Runs `cara <args>` as a child process (the way users run it); `mainModule`
 * runs another build, e.g. the bundled `main.js`.
 */
export async function runCara(
  args: string[],
  options: {
    env: Record<string, string>;
    cwd?: string;
    stdin?: string;
    mainModule?: string;
  },
): Promise<CliResult> {
  const { command, args: fullArgs } = selfCommand(
    args,
    options.mainModule === undefined ? {} : { mainModule: options.mainModule },
  );
  const child = new Deno.Command(command, {
    args: fullArgs,
    env: options.env,
    clearEnv: true,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}
