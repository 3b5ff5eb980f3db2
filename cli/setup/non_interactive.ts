/**
 * `cara setup --provider P --model M [--auth-mode A] [--key-stdin] [--force]`:
 * the scripted path. Keys never come from argv: setup writes `${ENV}`
 * placeholders, or stores a key piped to stdin sealed with the config password.
 *
 * @module
 */
import { CONFIG_PASSWORD_ENV } from "../../gateway/config/secrets/keyring.ts";
import type { CliContext } from "../context.ts";
import { CliError, EXIT_USAGE } from "../errors.ts";
import { setupModelRef } from "./model.ts";
import { DEFAULT_PORT, randomHex, setupPlan } from "./plan.ts";
import {
  type AuthMode,
  PROVIDER_FACTS,
  type SetupProvider,
} from "./providers.ts";
import { setupPreflight, writeSetup } from "./write.ts";

/** Parsed flags of `cara setup`. */
export interface SetupFlags {
  provider?: SetupProvider;
  model?: string;
  authMode?: AuthMode;
  keyStdin?: true;
  force?: true;
}

/**
 * Checks the flags, then writes the config.
 *
 * @throws {CliError} exit 2 without `--provider`/`--model`; exit 1 for every refused combination
 * @example
 * ```ts
 * await runNonInteractiveSetup(ctx, { provider: "anthropic", model: "claude-sonnet-4-5" }, {
 *   readKey: () => readKeyFrom(Deno.stdin.readable),
 * });
 * ```
 */
export async function runNonInteractiveSetup(
  ctx: CliContext,
  flags: SetupFlags,
  options: { readKey: () => Promise<string> },
): Promise<void> {
  const { provider, model: input } = flags;
  if (provider === undefined || input === undefined) {
    throw new CliError(
      `Cannot run setup non-interactively: --provider and --model are required (stdin is not a terminal); e.g. "cara setup --provider anthropic --model claude-sonnet-4-5"`,
      { exitCode: EXIT_USAGE },
    );
  }
  checkAuthMode(provider, flags.authMode, ctx);
  const model = setupModelRef(provider, input);
  const path = await setupPreflight(ctx, { force: flags.force === true });
  const apiKey = flags.keyStdin ? await stdinKey(ctx, provider, options) : null;
  const plan = setupPlan({
    provider,
    model,
    apiKey,
    auth: { mode: "token", token: randomHex(32) },
    bind: "loopback",
    port: DEFAULT_PORT,
  }, ctx.env);
  await writeSetup(ctx, plan, path);
}

function checkAuthMode(
  provider: SetupProvider,
  mode: AuthMode | undefined,
  ctx: CliContext,
): void {
  if (provider === "codex") {
    throw new CliError(
      `Cannot set up "codex" non-interactively: Codex signs in through a browser (OAuth), and this build has no Codex sign-in yet; use --provider openai with OPENAI_API_KEY`,
    );
  }
  if (mode === undefined) return;
  const allowed = PROVIDER_FACTS[provider].authModes;
  if (allowed.length === 0) {
    throw new CliError(
      `Cannot use --auth-mode with provider "${provider}": only anthropic (api-key, setup-token) and gemini (api-key, oauth) take it; drop the flag`,
    );
  }
  if (!allowed.includes(mode)) {
    throw new CliError(
      `Cannot use --auth-mode "${mode}" with provider "${provider}": expected one of ${
        allowed.join(", ")
      }`,
    );
  }
  if (mode === "oauth") {
    throw new CliError(
      `Cannot set up "gemini" with --auth-mode oauth non-interactively: the Google sign-in runs in a browser; run "cara setup" in a terminal or use --auth-mode api-key with GOOGLE_API_KEY`,
    );
  }
  if (mode === "setup-token") {
    if (!ctx.env[CONFIG_PASSWORD_ENV]) {
      throw new CliError(
        `Cannot use --auth-mode setup-token: ${CONFIG_PASSWORD_ENV} is not set and the token may only be stored sealed; export it and retry`,
      );
    }
    throw new CliError(
      `Cannot use --auth-mode setup-token: this build's anthropic provider cannot use setup-token profiles yet; use --auth-mode api-key with ANTHROPIC_API_KEY`,
    );
  }
}

async function stdinKey(
  ctx: CliContext,
  provider: SetupProvider,
  options: { readKey: () => Promise<string> },
): Promise<string> {
  const key = PROVIDER_FACTS[provider].key;
  if (key === null) {
    throw new CliError(
      `Cannot use --key-stdin with provider "${provider}": it has no single API key; setup writes \${…} placeholders for its environment variables`,
    );
  }
  if (!ctx.env[CONFIG_PASSWORD_ENV]) {
    throw new CliError(
      `Cannot store the key from stdin: ${CONFIG_PASSWORD_ENV} is not set and setup never writes a plaintext key; either export ${key.env} and rerun without --key-stdin (setup writes "\${${key.env}}"), or set ${CONFIG_PASSWORD_ENV} so the key is sealed`,
    );
  }
  return await options.readKey();
}
