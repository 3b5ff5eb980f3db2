/**
 * `cara version`: what this build is and what it runs on.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { BUILD_INFO } from "../gateway/build_info.ts";
import type { CliContext } from "./context.ts";

/** Version and build facts of the running executable. */
export interface VersionReport {
  version: string;
  commit: string;
  buildDate: string;
  deno: string;
  v8: string;
  typescript: string;
  target: string;
  platform: string;
}

/** Collects the {@linkcode VersionReport} of this process. */
export function versionReport(): VersionReport {
  return {
    version: BUILD_INFO.version,
    commit: BUILD_INFO.commit,
    buildDate: BUILD_INFO.buildDate,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    target: Deno.build.target,
    platform: `${Deno.build.os} (${Deno.build.arch})`,
  };
}

/** `cara version [--json]`. */
export function versionCommand(ctx: CliContext): Command<[], { json?: true }> {
  return new Command("version")
    .description("print version and build information")
    .option("--json", "print as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  cara version\n  cara version --json\n",
    )
    .action((options) => {
      const report = versionReport();
      if (options.json) {
        ctx.io.out(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      ctx.io.out(
        [
          `cara ${report.version}`,
          `Build date: ${report.buildDate}`,
          `Git commit: ${report.commit}`,
          `Deno: ${report.deno} (V8 ${report.v8}, TypeScript ${report.typescript})`,
          `Target: ${report.target}`,
          `Platform: ${report.platform}`,
        ].join("\n") + "\n",
      );
    });
}
