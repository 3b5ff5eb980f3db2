/**
 * `cara backup`: writes a tar.gz of the state database, config and memory.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { CliContext } from "./context.ts";

const HELP_AFTER = `
Included: the database (a consistent snapshot), the config file and the memory
dir. Not included: OS credential-store secrets and anything else in the state
dir. Refuses to run while the cara daemon is running.

Examples:
  cara backup
  cara backup -o /srv/backups/cara.tar.gz
  cara backup -o cara.tar.gz --force --json
`;

/** Formats a byte count as `1.5 MiB (1572864 bytes)`. */
export function formatSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const human = unit === 0
    ? `${bytes} B`
    : `${value.toFixed(1)} ${units[unit]}`;
  return `${human} (${bytes} bytes)`;
}

/** `cara backup [-o PATH] [--force] [--json]`. */
export function backupCommand(
  ctx: CliContext,
): Command<[], { output?: string; force?: true; json?: true }> {
  return new Command("backup")
    .description("write a backup archive (.tar.gz) of the cara state")
    .option(
      "-o, --output <path>",
      "archive path (default: ./carapace-backup-<UTC timestamp>.tar.gz)",
    )
    .option("--force", "replace an existing file at the output path")
    .option("--json", "print the result as JSON")
    .addHelpText("after", HELP_AFTER)
    .action(async (options) => {
      const { createBackup } = await import("../gateway/backup/create.ts");
      const result = await createBackup(ctx.env, {
        cwd: ctx.cwd,
        force: options.force === true,
        ...(options.output === undefined ? {} : { output: options.output }),
      });
      if (options.json) {
        ctx.io.out(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const lines = [
        `Path:     ${result.path}`,
        `Size:     ${formatSize(result.size)}`,
        `Included: ${
          result.sections.length > 0 ? result.sections.join(", ") : "(empty)"
        }`,
      ];
      if (result.skipped.length > 0) {
        lines.push(
          `Skipped:  ${result.skipped.length} memory entries that are not regular files or directories`,
        );
      }
      ctx.io.out(lines.join("\n") + "\n");
    });
}
