/**
 * `cara status`: is the gateway up, and what does it report about itself.
 *
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { resolveClientPort } from "./client/port.ts";
import { controlAuthHeaders } from "./client/control_auth.ts";
import { fetchJson, HttpClientError } from "./client/http.ts";
import { sanitizeJson, stripTerminalUnsafe } from "./terminal_text.ts";

const HEALTH_TIMEOUT_MS = 5_000;

/** Parses a `--port` value, refusing anything outside 1–65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new InvalidArgumentError(
      `expected an integer from 1 to 65535, got "${value}"`,
    );
  }
  return port;
}

/** Formats seconds as a compact `1d 2h 3m 4s`. */
export function formatUptime(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) {
    if (rest >= size || parts.length > 0) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
    }
    rest %= size;
  }
  parts.push(`${rest}s`);
  return parts.join(" ");
}

interface HealthBody {
  status?: unknown;
  version?: unknown;
  uptimeSeconds?: unknown;
}

/** The parts of `GET /control/status` the human output shows. */
interface ControlStatus {
  connectedChannels?: unknown;
  totalChannels?: unknown;
  runtime?: { platform?: unknown; arch?: unknown };
}

/** `cara status [-p PORT] [--host HOST] [--json]`. */
export function statusCommand(
  ctx: CliContext,
): Command<[], { port?: number; host: string; json?: true }> {
  return new Command("status")
    .description("check whether the gateway is running (GET /health)")
    .option(
      "-p, --port <port>",
      "gateway port (default: gateway.port from config, else 18789)",
      parsePort,
    )
    .option("--host <host>", "gateway host", "127.0.0.1")
    .option("--json", "print the health (and control status) payloads as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  cara status\n  cara status --port 18789 --json\n",
    )
    .action(async (options) => {
      const port = await resolveClientPort(ctx, options.port);
      const base = `http://${formatHost(options.host)}:${port}`;
      let health: HealthBody;
      try {
        health = await fetchJson(`${base}/health`, {
          timeoutMs: HEALTH_TIMEOUT_MS,
        }) as HealthBody;
      } catch (error) {
        throw new CliError(describeFailure(error, base));
      }
      const controlStatus = await controlAuthHeaders(ctx, options.host)
        .then((headers) =>
          fetchJson(`${base}/control/status`, {
            timeoutMs: HEALTH_TIMEOUT_MS,
            headers,
          })
        )
        .catch(() => undefined) as ControlStatus | undefined;
      if (options.json) {
        const report = controlStatus === undefined
          ? { health }
          : { health, controlStatus };
        ctx.io.out(`${JSON.stringify(sanitizeJson(report), null, 2)}\n`);
        return;
      }
      const uptime = typeof health.uptimeSeconds === "number"
        ? formatUptime(health.uptimeSeconds)
        : "unknown";
      const lines = [
        `Version: ${stripTerminalUnsafe(String(health.version ?? "unknown"))}`,
        `Uptime:  ${uptime}`,
        `Address: ${base}`,
        `Status:  ${stripTerminalUnsafe(String(health.status ?? "unknown"))}`,
      ];
      if (controlStatus !== undefined) {
        const text = (value: unknown) =>
          stripTerminalUnsafe(String(value ?? "?"));
        lines.push(
          `Channels: ${text(controlStatus.connectedChannels)}/${
            text(controlStatus.totalChannels)
          }`,
          `Platform: ${text(controlStatus.runtime?.platform)} (${
            text(controlStatus.runtime?.arch)
          })`,
        );
      }
      ctx.io.out(lines.join("\n") + "\n");
    });
}

function formatHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

function describeFailure(error: unknown, base: string): string {
  if (error instanceof HttpClientError && error.status !== undefined) {
    return `Gateway at ${base} is not healthy: HTTP ${error.status}: ${
      stripTerminalUnsafe(error.message)
    }`;
  }
  const reason = error instanceof Error
    ? stripTerminalUnsafe(error.message)
    : String(error);
  return `Cannot reach the gateway at ${base}: ${reason}; start it with "cara start" or check --port/--host`;
}
