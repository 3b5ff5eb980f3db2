/**
 * `cara plugins …`: `wit` (no gateway needed), `status`, `bins`, `install`
 * and `update` over the WS methods `plugins.*` (cli.md §4), and the hidden
 * `__host` that runs an untrusted plugin's sandbox process.
 *
 * @module
 */
import { Command, Option } from "@commander-js/extra-typings";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../gateway/config/atomic_write.ts";
import { resolveStateDir } from "../gateway/config/paths.ts";
import { CaraError } from "../gateway/errors.ts";
import type { PluginsStatusReport } from "../plugins/loader/status.ts";
import { PLUGIN_WIT } from "../wit/plugin_wit.ts";
import {
  type ConnectionFlags,
  openGatewaySession,
} from "./client/gateway_session.ts";
import { gatewayCommand } from "./client/gateway_command.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { stagePluginFile } from "./plugin_file_staging.ts";
import { sanitizeJson, stripTerminalUnsafe } from "./terminal_text.ts";

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
function hostCommand(ctx: CliContext) {
  return new Command("__host")
    .description("run one plugin sandbox over stdio or a socket (internal)")
    .option("--socket <path>", "the gateway's Unix socket for this plugin")
    .action(async (options) => {
      const { dropPermissions, runPluginHost } = await import(
        "../plugins/sandbox/process_host.ts"
      );
      if (options.socket === undefined) {
        dropPermissions();
        return await runPluginHost(Deno.stdin, Deno.stdout);
      }
      const { PLUGIN_NONCE_ENV } = await import(
        "../plugins/sandbox/process_transport.ts"
      );
      const nonce = ctx.env[PLUGIN_NONCE_ENV] ?? "";
      const conn = await Deno.connect({
        transport: "unix",
        path: options.socket,
      });
      await conn.write(new TextEncoder().encode(`${nonce}\n`));
      // The open socket keeps working; nothing else will.
      dropPermissions();
      await runPluginHost(conn, conn);
    });
}

function printJson(ctx: CliContext, value: unknown): void {
  ctx.io.out(`${JSON.stringify(sanitizeJson(value), null, 2)}\n`);
}

const STATES = ["active", "disabled", "ignored", "failed"] as const;

/** The plugins.status filters of `cara plugins status`. */
export interface StatusFilters {
  name?: string;
  pluginId?: string;
  source?: string;
  state?: string;
  onlyFailed?: true;
}

/** Applies the client-side filters of `cara plugins status`. */
export function filterStatus(
  report: PluginsStatusReport,
  filters: StatusFilters,
): PluginsStatusReport {
  return {
    ...report,
    plugins: report.plugins.filter((p) =>
      (filters.name === undefined || p.name === filters.name) &&
      (filters.pluginId === undefined || p.pluginId === filters.pluginId) &&
      (filters.source === undefined || p.source === filters.source) &&
      (filters.state === undefined || p.state === filters.state) &&
      (!filters.onlyFailed || p.state === "failed")
    ),
  };
}

/** The human form of a (filtered) plugins.status report. */
export function formatStatus(report: PluginsStatusReport): string {
  const lines = [
    `Plugins enabled: ${report.pluginsEnabled}`,
    `Configured plugin paths: ${report.configuredPluginPathCount}`,
    `Restart required for changes: ${report.restartRequiredForChanges}`,
    `Activation errors: ${report.activationErrorCount}`,
  ];
  if (report.plugins.length === 0) lines.push("No plugins match.");
  for (const p of report.plugins) {
    lines.push(
      `${p.name} [${p.source}] ${p.state} (enabled: ${p.enabled}, pluginId: ${
        p.pluginId ?? "-"
      })`,
    );
    if (p.reason) lines.push(`  reason: ${p.reason}`);
  }
  return `${stripTerminalUnsafe(lines.join("\n"))}\n`;
}

function statusCommand(ctx: CliContext) {
  return gatewayCommand("status")
    .description("show the activation state of every plugin")
    .option("--name <name>", "only the plugin with this name")
    .option("--plugin-id <id>", "only the plugin with this runtime id")
    .addOption(
      new Option("--source <source>", "only this source").choices(
        ["managed", "config"] as const,
      ),
    )
    .addOption(new Option("--state <state>", "only this state").choices(STATES))
    .option("--only-failed", "only plugins that failed")
    .option(
      "--strict",
      "exit 1 on activation errors, no match, or a match that is not active",
    )
    .action(async (options) => {
      await using client = await openGatewaySession(ctx, options, {
        role: "operator",
        scopes: ["operator.read"],
      });
      const report = filterStatus(
        await client.request("plugins.status", {}) as PluginsStatusReport,
        options,
      );
      if (options.json) printJson(ctx, report);
      else ctx.io.out(formatStatus(report));
      if (
        options.strict &&
        (report.activationErrorCount > 0 || report.plugins.length === 0 ||
          report.plugins.some((p) => p.state !== "active"))
      ) {
        throw new CliError(
          "Plugin check failed: --strict wants no activation errors and every listed plugin active",
        );
      }
    });
}

function binsCommand(ctx: CliContext) {
  return gatewayCommand("bins")
    .description("list the plugin artifacts in the managed plugins dir")
    .action(async (options) => {
      await using client = await openGatewaySession(ctx, options, {
        role: "operator",
        scopes: ["operator.read"],
      });
      const result = await client.request("plugins.bins", {}) as {
        bins?: { name: string }[];
      };
      if (options.json) return printJson(ctx, result);
      const names = (result.bins ?? []).map((b) => b.name).sort();
      ctx.io.out(
        names.length === 0
          ? "No managed plugin binaries found.\n"
          : `${stripTerminalUnsafe(names.join("\n"))}\n`,
      );
    });
}

interface InstallOptions extends ConnectionFlags {
  url?: string;
  file?: string;
  version?: string;
  publisherKey?: string;
  signature?: string;
  json?: true;
}

async function runInstall(
  ctx: CliContext,
  mode: "install" | "update",
  name: string,
  options: InstallOptions,
): Promise<void> {
  const params: Record<string, string> = { name: name.trim() };
  for (const key of ["url", "version", "publisherKey", "signature"] as const) {
    const value = options[key]?.trim();
    if (value) params[key] = value;
  }
  await using client = await openGatewaySession(ctx, options, {
    role: "operator",
    scopes: ["operator.admin"],
  });
  const staged = options.file === undefined ? undefined : await stagePluginFile(
    resolveStateDir(ctx.env),
    params.name!,
    resolve(ctx.cwd, options.file),
  );
  let result: Record<string, unknown>;
  try {
    result = await client.request(`plugins.${mode}`, params) as Record<
      string,
      unknown
    >;
  } catch (error) {
    await staged?.rollback().catch((cleanup) =>
      ctx.io.err(
        `Error: restoring the previous artifact failed: ${
          cleanup instanceof Error ? cleanup.message : String(cleanup)
        }\n`,
      )
    );
    throw error;
  }
  await staged?.commit();
  if (options.json) return printJson(ctx, result);
  const activation = (result.activation ?? {}) as Record<string, unknown>;
  ctx.io.out(
    stripTerminalUnsafe(
      [
        `Plugin ${mode} requested`,
        `Name: ${String(result.name ?? name)}`,
        `Version: ${String(result.version ?? "-")}`,
        `Activation: ${String(activation.state)} (${
          String(activation.message)
        })`,
      ].join("\n"),
    ) + "\n",
  );
}

function installCommand(ctx: CliContext, mode: "install" | "update") {
  return gatewayCommand(mode)
    .description(
      mode === "install"
        ? "install a managed plugin from a URL or a local file"
        : "update an installed managed plugin from a URL or a local file",
    )
    .argument("<name>", "managed plugin name (letters, digits, - and _)")
    .addOption(
      new Option("--url <url>", "download the component").conflicts("file"),
    )
    .addOption(
      new Option("--file <path>", "stage a local component (loopback gateway)")
        .conflicts("url"),
    )
    .option("--version <version>", "version to record")
    .option("--publisher-key <hex>", "Ed25519 publisher public key (hex)")
    .option("--signature <hex>", "Ed25519 signature of the artifact (hex)")
    .addHelpText(
      "after",
      `\nExamples:\n  cara plugins ${mode} weather --url https://example.com/weather.wasm\n  cara plugins ${mode} weather --file ./weather.wasm --publisher-key <hex> --signature <hex>\n`,
    )
    .action(async function (name, options) {
      if ((options.url === undefined) === (options.file === undefined)) {
        this.error("error: pass exactly one of --url and --file", {
          exitCode: 2,
          code: "cara.usage",
        });
      }
      await runInstall(ctx, mode, name, options);
    });
}

/** `cara plugins …`. */
export function pluginsCommand(ctx: CliContext): Command {
  return new Command("plugins")
    .description("inspect and manage WebAssembly plugins")
    .addHelpText(
      "after",
      `
Examples:
  cara plugins status --only-failed
  cara plugins install demo-plugin --url https://example.com/demo-plugin.wasm
  cara plugins install demo-plugin --file ./target/wasm32-wasip1/release/demo_plugin.wasm
  cara plugins wit --output ./wit
`,
    )
    .addCommand(statusCommand(ctx))
    .addCommand(binsCommand(ctx))
    .addCommand(installCommand(ctx, "install"))
    .addCommand(installCommand(ctx, "update"))
    .addCommand(witCommand(ctx))
    .addCommand(hostCommand(ctx), { hidden: true });
}
