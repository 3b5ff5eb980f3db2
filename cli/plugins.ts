/**
 * `cara plugins …`: the plugin commands that need no running gateway.
 * `status|bins|install|update` talk to the gateway and are added next to
 * `wit` once the WS client exists.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../gateway/config/atomic_write.ts";
import { CaraError } from "../gateway/errors.ts";
import { PLUGIN_WIT } from "../wit/plugin_wit.ts";
import type { CliContext } from "./context.ts";

/** The file name plugin toolchains expect (`wit/plugin.wit`). */
export const WIT_FILE_NAME = "plugin.wit";

/**
 * Writes the embedded WIT package into `dir` and returns the file's path.
 *
 * @throws {CaraError} when `dir` exists and is not a directory
 * @example
 * ```ts
 * await writePluginWit("./wit"); // → ./wit/plugin.wit
 * ```
 */
export async function writePluginWit(dir: string): Promise<string> {
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) {
      throw new CaraError(
        "wit_output_not_dir",
        `Cannot write the plugin WIT to "${dir}": it is not a directory; pass a directory to --output`,
      );
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const path = join(dir, WIT_FILE_NAME);
  await writeFileAtomic(path, PLUGIN_WIT, { mode: 0o644 });
  return path;
}

/** `cara plugins wit [--output DIR]`. */
function witCommand(ctx: CliContext) {
  return new Command("wit")
    .description(
      "print the carapace:plugin@1.0.0 WIT contract plugins build against",
    )
    .option("-o, --output <dir>", `write ${WIT_FILE_NAME} into this directory`)
    .addHelpText(
      "after",
      "\nExamples:\n  cara plugins wit > plugin.wit\n  cara plugins wit --output ./wit\n",
    )
    .action(async (options) => {
      if (options.output === undefined) return ctx.io.out(PLUGIN_WIT);
      const path = await writePluginWit(resolve(ctx.cwd, options.output));
      ctx.io.out(`Wrote ${path}\n`);
    });
}

/** `cara plugins __host`: the child process of an untrusted plugin. */
function hostCommand() {
  return new Command("__host")
    .description("run one plugin sandbox over stdio (internal)")
    .action(async () => {
      const { runPluginHost } = await import(
        "../plugins/sandbox/process_host.ts"
      );
      await runPluginHost(Deno.stdin.readable, Deno.stdout.writable);
    });
}

/** `cara plugins …`. */
export function pluginsCommand(ctx: CliContext): Command {
  return new Command("plugins")
    .description("inspect and manage WebAssembly plugins")
    .addCommand(witCommand(ctx))
    .addCommand(hostCommand(), { hidden: true });
}
