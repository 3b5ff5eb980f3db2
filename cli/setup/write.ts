/**
 * The two ends of `cara setup` shared by both modes: the checks before any
 * question (daemon, existing config) and the write with its report.
 *
 * @module
 */
import { writeConfig } from "../../gateway/config/write.ts";
import {
  resolveConfigPath,
  resolveStateDir,
} from "../../gateway/config/paths.ts";
import { CONFIG_PASSWORD_ENV } from "../../gateway/config/secrets/keyring.ts";
import { assertNoDaemonRunning } from "../../gateway/daemon/find.ts";
import { isSecretKey, REDACTED } from "../../gateway/secret_keys.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import type { SetupPlan } from "./plan.ts";

const PLACEHOLDER = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

/**
 * Refuses to start while a daemon runs or when a config exists without
 * `force`; returns the config path setup will write.
 *
 * @throws {CaraError} `daemon_running`
 * @throws {CliError} when the config exists and `force` is not set
 */
export async function setupPreflight(
  ctx: CliContext,
  options: { force: boolean },
): Promise<string> {
  await assertNoDaemonRunning(resolveStateDir(ctx.env), "run setup");
  const path = resolveConfigPath(ctx.env);
  if (!options.force && await exists(path)) {
    throw new CliError(
      `Cannot run setup: config "${path}" already exists; pass --force to replace it`,
    );
  }
  return path;
}

/** Writes `plan` to `path` (validated, atomic, 0600, sealed with a password) and reports it. */
export async function writeSetup(
  ctx: CliContext,
  plan: SetupPlan,
  path: string,
): Promise<void> {
  const written = await writeConfig({ env: ctx.env, path, value: plan.value });
  const sealed = Boolean(ctx.env[CONFIG_PASSWORD_ENV]);
  const lines = [
    `Wrote "${written.path}" (mode 0600):`,
    JSON.stringify(displayed(plan.value), null, 2),
    sealed
      ? `Secrets in the file are sealed (enc:v2) with ${CONFIG_PASSWORD_ENV}; the gateway needs it set to start.`
      : `Secrets in the file are stored unsealed (owner-only file); set ${CONFIG_PASSWORD_ENV} and rerun setup to seal them.`,
    ...written.warnings.map((w) => `warning: ${w}`),
  ];
  if (plan.missingEnv.length > 0) {
    lines.push(
      `Before starting, export ${plan.missingEnv.join(", ")} ` +
        `(the config refers to ${
          plan.missingEnv.length === 1 ? "it" : "them"
        } as \${…}).`,
    );
  }
  lines.push(
    "Next steps:",
    "  cara start",
    "  cara verify --outcome local-chat",
  );
  ctx.io.out(`${lines.join("\n")}\n`);
}

/** The config as shown: secrets redacted, `${ENV}` placeholders kept. */
function displayed(value: unknown, secret = false): unknown {
  if (typeof value === "string") {
    return secret && !PLACEHOLDER.test(value) ? REDACTED : value;
  }
  if (Array.isArray(value)) return value.map((v) => displayed(v, secret));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map((
        [key, item],
      ) => [key, displayed(item, secret || isSecretKey(key))]),
    );
  }
  return value;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
