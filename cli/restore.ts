/**
 * `cara restore <PATH>`: replaces the state sections a backup holds.
 *
 * @module
 */
import { resolve } from "node:path";
import { Command } from "@commander-js/extra-typings";
import type { SectionSummary } from "../gateway/backup/inspect.ts";
import { resolveStateDir } from "../gateway/config/paths.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { stripTerminalUnsafe } from "./terminal_text.ts";

const HELP_AFTER = `
The whole archive is validated before anything is written. Each section it
holds (state database, config file, memory dir) replaces the current one as a
whole; sections it does not hold are left alone. Without --force the command
only lists what it would restore. Refuses to run while the cara daemon is
running.

Examples:
  cara restore carapace-backup-20250101T120000Z.tar.gz
  cara restore carapace-backup-20250101T120000Z.tar.gz --force
`;

function describe(summary: SectionSummary): string {
  switch (summary.section) {
    case "state":
      return `state    database (${summary.bytes} bytes)`;
    case "config":
      return `config   ${stripTerminalUnsafe(summary.names.join(", "))}`;
    case "memory":
      return `memory   ${summary.files} file${summary.files === 1 ? "" : "s"}`;
  }
}

/** `cara restore <PATH> [--force]`. */
export function restoreCommand(
  ctx: CliContext,
): Command<[string], { force?: true }> {
  return new Command("restore")
    .description("restore the state from a backup archive")
    .argument("<path>", "backup archive written by cara backup")
    .option("--force", "really replace the current state")
    .addHelpText("after", HELP_AFTER)
    .action(async (path, options) => {
      const archive = resolve(ctx.cwd, path);
      const stateDir = resolveStateDir(ctx.env);
      if (!options.force) {
        const { inspectBackup } = await import("../gateway/backup/inspect.ts");
        const plan = await inspectBackup(archive);
        const lines = [
          `Backup "${archive}" (created ${
            stripTerminalUnsafe(plan.created) || "unknown"
          }) would restore into "${stateDir}":`,
          ...(plan.sections.length > 0
            ? plan.sections.map((s) => `  ${describe(s)}`)
            : ["  (nothing)"]),
        ];
        ctx.io.out(lines.join("\n") + "\n");
        throw new CliError(
          `Pass --force to restore "${archive}": the sections listed above replace the current ones`,
        );
      }
      const { restoreBackup } = await import("../gateway/backup/restore.ts");
      const result = await restoreBackup(ctx.env, archive);
      const lines = [
        `Restored from "${archive}" into "${stateDir}":`,
        ...(result.sections.length > 0
          ? result.sections.map((s) => `  ${describe(s)}`)
          : ["  (nothing)"]),
      ];
      ctx.io.out(lines.join("\n") + "\n");
      for (const leftover of result.leftovers) {
        ctx.io.err(
          `Warning: could not remove "${leftover}"; delete it by hand\n`,
        );
      }
    });
}
