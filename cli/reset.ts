/**
 * `cara reset`: deletes categories of state (sessions, cron, usage, memory).
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { resolveStateDir } from "../gateway/config/paths.ts";
import {
  planReset,
  RESET_CATEGORIES,
  type ResetCategory,
  type ResetItem,
  resetState,
} from "../gateway/state/reset.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";

const HELP_AFTER = `
Categories: --sessions (sessions and their messages), --cron (cron jobs and
runs), --usage (usage records), --memory (the agent memory dir), --all (all
four). Config, paired devices, audit events and plugins are never touched.
Without --force the command only lists what it would delete. Refuses to run
while the cara daemon is running.

Examples:
  cara reset --sessions
  cara reset --sessions --usage --force
  cara reset --all --force
`;

type ResetFlags = { [K in ResetCategory | "all" | "force"]?: true };

function describe(item: ResetItem): string {
  const parts = Object.entries(item.counts)
    .filter(([, count]) => count > 0)
    .map(([what, count]) => `${count} ${what.replaceAll("_", " ")}`);
  return `${item.category.padEnd(9)}${
    parts.length > 0 ? parts.join(", ") : "nothing to delete"
  }`;
}

/** `cara reset [--sessions] [--cron] [--usage] [--memory] [--all] [--force]`. */
export function resetCommand(ctx: CliContext): Command<[], ResetFlags> {
  return new Command("reset")
    .description("delete categories of cara state")
    .option("--sessions", "delete all sessions and their messages")
    .option("--cron", "delete cron jobs and their runs")
    .option("--usage", "delete usage records")
    .option("--memory", "delete the agent memory dir")
    .option("--all", "all of the above")
    .option("--force", "really delete")
    .addHelpText("after", HELP_AFTER)
    .action(async (options: ResetFlags) => {
      const categories = RESET_CATEGORIES.filter((c) =>
        options.all || options[c]
      );
      if (categories.length === 0) {
        throw new CliError(
          `Cannot reset: no category chosen; pass one or more of ${
            RESET_CATEGORIES.map((c) => `--${c}`).join(", ")
          }, or --all`,
        );
      }
      const stateDir = resolveStateDir(ctx.env);
      if (!options.force) {
        const plan = await planReset(ctx.env, { categories });
        ctx.io.out(
          [
            `Would delete from "${stateDir}":`,
            ...plan.map((item) => `  ${describe(item)}`),
          ]
            .join("\n") + "\n",
        );
        throw new CliError(
          `Pass --force to delete the categories listed above`,
        );
      }
      const done = await resetState(ctx.env, { categories });
      ctx.io.out(
        [
          `Deleted from "${stateDir}":`,
          ...done.map((item) => `  ${describe(item)}`),
        ]
          .join("\n") + "\n",
      );
    });
}
