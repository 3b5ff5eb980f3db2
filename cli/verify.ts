/**
 * `cara verify [--outcome auto|local-chat|hooks|…] [-p PORT]`
 * (ops-and-security.md §7): PASS/FAIL/SKIP lines with a next step; exit 0
 * only when at least one check passed and none failed. Channel and autonomy
 * outcomes print SKIP: those features are not in this build.
 *
 * @module
 */
import { Command, Option } from "@commander-js/extra-typings";
import { openGatewaySession } from "./client/gateway_session.ts";
import { resolveClientPort } from "./client/port.ts";
import { runChatTurn } from "./chat_turn.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { parsePort } from "./status.ts";

const OUTCOMES = [
  "auto",
  "local-chat",
  "hooks",
  "discord",
  "telegram",
  "matrix",
  "autonomy",
] as const;
type Outcome = typeof OUTCOMES[number];

interface Check {
  result: "PASS" | "FAIL" | "SKIP";
  name: string;
  detail: string;
}

async function reachable(port: number): Promise<Check> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, {
      signal: AbortSignal.timeout(2000),
    });
    await res.body?.cancel();
    return res.ok
      ? {
        result: "PASS",
        name: "gateway reachable",
        detail: `http://127.0.0.1:${port}/health answered ${res.status}`,
      }
      : {
        result: "FAIL",
        name: "gateway reachable",
        detail: `health answered ${res.status}; check "cara logs"`,
      };
  } catch {
    return {
      result: "FAIL",
      name: "gateway reachable",
      detail:
        `nothing answers on 127.0.0.1:${port}; start the gateway with "cara start"`,
    };
  }
}

async function localChat(ctx: CliContext, port: number): Promise<Check> {
  const name = "local chat round trip";
  try {
    await using client = await openGatewaySession(ctx, {
      host: "127.0.0.1",
      port,
    }, { role: "operator", scopes: ["operator.write"] });
    const result = await runChatTurn(client, {
      message: "Reply with the single word verification-ok.",
      sessionKey: `cli-verify-${crypto.randomUUID()}`,
      timeoutMs: 45_000,
    });
    if (result.status === "final") {
      return { result: "PASS", name, detail: `run ${result.runId} finished` };
    }
    if (result.status === "queued") {
      return {
        result: "FAIL",
        name,
        detail: `no provider available; configure one with "cara setup"`,
      };
    }
    return {
      result: "FAIL",
      name,
      detail: `run ended with ${result.status}${
        result.error ? `: ${result.error}` : ""
      }; check "cara logs"`,
    };
  } catch (error) {
    return {
      result: "FAIL",
      name,
      detail: `${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

async function hooks(ctx: CliContext, port: number): Promise<Check> {
  const name = "hooks wake";
  const { loadConfig } = await import("../gateway/config/mod.ts");
  const { config } = await loadConfig({ env: ctx.env });
  if (!config.gateway.hooks.enabled) {
    return {
      result: "FAIL",
      name,
      detail: "gateway.hooks.enabled is false; set it to true and restart",
    };
  }
  const token = config.gateway.hooks.token ??
    ctx.env.CARAPACE_HOOKS_TOKEN?.trim();
  if (!token) {
    return {
      result: "FAIL",
      name,
      detail:
        "no hooks token; set gateway.hooks.token (or CARAPACE_HOOKS_TOKEN)",
    };
  }
  try {
    const res = await fetch(
      `http://127.0.0.1:${port}${config.gateway.hooks.path}/wake`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ text: "verify-hook" }),
        signal: AbortSignal.timeout(10_000),
      },
    );
    await res.body?.cancel();
    return res.ok
      ? {
        result: "PASS",
        name,
        detail: `POST ${config.gateway.hooks.path}/wake answered ${res.status}`,
      }
      : {
        result: "FAIL",
        name,
        detail:
          `POST ${config.gateway.hooks.path}/wake answered ${res.status}; check the hooks token`,
      };
  } catch (error) {
    return {
      result: "FAIL",
      name,
      detail: `${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

async function inferOutcome(ctx: CliContext): Promise<"local-chat" | "hooks"> {
  const { loadConfig } = await import("../gateway/config/mod.ts");
  const { config } = await loadConfig({ env: ctx.env });
  return config.gateway.hooks.enabled ? "hooks" : "local-chat";
}

/** The `cara verify` command. */
export function verifyCommand(
  ctx: CliContext,
): Command<[], { outcome: Outcome; port?: number }> {
  return new Command("verify")
    .description("check that the gateway works end to end")
    .addOption(
      new Option("--outcome <outcome>", "what to verify").choices(OUTCOMES)
        .default("auto" as Outcome),
    )
    .option(
      "-p, --port <port>",
      "gateway port (default: gateway.port, else 18789)",
      parsePort,
    )
    .addHelpText(
      "after",
      `
Each check prints PASS, FAIL or SKIP with the next step; the exit code is 0
only when at least one check passed and none failed.

Examples:
  cara verify
  cara verify --outcome local-chat --port 18789
  cara verify --outcome hooks
`,
    )
    .action(async (options) => {
      const port = await resolveClientPort(ctx, options.port);
      const outcome = options.outcome === "auto"
        ? await inferOutcome(ctx)
        : options.outcome;
      const checks: Check[] = [];
      if (outcome === "local-chat" || outcome === "hooks") {
        const reach = await reachable(port);
        checks.push(reach);
        if (reach.result === "PASS") {
          checks.push(
            outcome === "hooks"
              ? await hooks(ctx, port)
              : await localChat(ctx, port),
          );
        }
      } else {
        checks.push({
          result: "SKIP",
          name: outcome,
          detail: "not available in this build",
        });
      }
      for (const c of checks) {
        ctx.io.out(`${c.result} ${c.name}: ${c.detail}\n`);
      }
      if (checks.some((c) => c.result === "FAIL")) {
        throw new CliError(
          `Verification of "${outcome}" failed: fix the FAIL lines above and run "cara verify --outcome ${outcome}" again`,
        );
      }
      if (!checks.some((c) => c.result === "PASS")) {
        throw new CliError(
          `Verification of "${outcome}" is incomplete: every check was skipped`,
        );
      }
    });
}
