/**
 * The `cara` command tree. Each command group lives in its own module and is
 * listed once in {@linkcode COMMANDS}; this file only assembles them.
 *
 * @module
 */
import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { BUILD_INFO } from "../gateway/build_info.ts";
import { backupCommand } from "./backup.ts";
import { chatCommand } from "./chat.ts";
import { configCommand } from "./config.ts";
import type { CliContext } from "./context.ts";
import { logsCommand } from "./logs.ts";
import { pairCommand } from "./pair.ts";
import { pluginsCommand } from "./plugins.ts";
import { resetCommand } from "./reset.ts";
import { restoreCommand } from "./restore.ts";
import { setupCommand } from "./setup.ts";
import { startCommand } from "./start.ts";
import { statusCommand } from "./status.ts";
import { tlsCommand } from "./tls.ts";
import { verifyCommand } from "./verify.ts";
import { versionCommand } from "./version.ts";

/** A command group: builds its commander subtree for one invocation. */
export type CommandFactory = (ctx: CliContext) => CommandUnknownOpts;

/** Every command group of `cara`, in help order. */
export const COMMANDS: readonly CommandFactory[] = [
  startCommand,
  configCommand,
  statusCommand,
  versionCommand,
  backupCommand,
  restoreCommand,
  resetCommand,
  pluginsCommand,
  logsCommand,
  pairCommand,
  tlsCommand,
  chatCommand,
  verifyCommand,
  setupCommand,
];

/** Builds the root `cara` program for one invocation. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("cara")
    .description("cara: a self-hosted personal AI assistant gateway")
    .version(BUILD_INFO.version, "-V, --version", "print the version number")
    // Root options only before the command: `cara plugins install x --version 1.2.0`
    // must reach the subcommand, not print cara's own version.
    .enablePositionalOptions();
  for (const factory of COMMANDS) {
    const command = factory(ctx);
    const isDefault = command.name() === "start";
    program.addCommand(command, isDefault ? { isDefault } : {});
  }
  routeOutput(program, ctx);
  return program;
}

/** Commander copies settings only to `.command()` children: apply them to the whole tree. */
function routeOutput(command: CommandUnknownOpts, ctx: CliContext): void {
  command
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.out(text),
      writeErr: (text) => ctx.io.err(text),
      outputError: (text, write) => write(text),
    });
  for (const child of command.commands) routeOutput(child, ctx);
}
