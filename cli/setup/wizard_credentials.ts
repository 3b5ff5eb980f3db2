/**
 * The credentials step of the setup wizard: use the key from the
 * environment, or type one (hidden) when it can be stored sealed; check it
 * live where the provider has a cheap call.
 *
 * @module
 */
import * as clack from "@clack/prompts";
import type { Env } from "../../gateway/config/paths.ts";
import { CONFIG_PASSWORD_ENV } from "../../gateway/config/secrets/keyring.ts";
import { checkProviderLive } from "./live_check.ts";
import { DEFAULT_PORT, setupPlan } from "./plan.ts";
import { PROVIDER_FACTS, type SetupProvider } from "./providers.ts";
import { answered, wizardOutput } from "./wizard_io.ts";

/**
 * Asks for the provider key; `null` means "write the `${ENV}` placeholder".
 *
 * @throws {CliError} when the wizard is cancelled
 */
export async function askProviderKey(
  provider: SetupProvider,
  model: string,
  env: Env,
): Promise<string | null> {
  const key = PROVIDER_FACTS[provider].key;
  if (key === null) {
    clack.log.info(
      `${
        PROVIDER_FACTS[provider].label
      } reads its credentials from the environment; setup writes \${…} placeholders for them.`,
      wizardOutput(),
    );
    await report(provider, model, null, env);
    return null;
  }
  if (env[key.env]?.trim()) {
    clack.log.info(
      `Using ${key.env} from the environment (the config refers to it as \${${key.env}}).`,
      wizardOutput(),
    );
    await report(provider, model, null, env);
    return null;
  }
  if (!env[CONFIG_PASSWORD_ENV]) {
    clack.log.warn(
      `${key.env} is not set and ${CONFIG_PASSWORD_ENV} is not set, so setup will not store a key in plain text: ` +
        `it writes \${${key.env}}. Export ${key.env} before "cara start", or set ${CONFIG_PASSWORD_ENV} and rerun setup to store the key sealed.`,
      wizardOutput(),
    );
    return null;
  }
  for (;;) {
    const typed = answered(
      await clack.password({
        ...wizardOutput(),
        message: `${key.env}${
          key.optional ? " (optional, Enter to skip)" : ""
        } — stored sealed`,
        validate: (value) =>
          key.optional || value?.trim()
            ? undefined
            : "Enter the key (input is hidden)",
      }),
    ).trim();
    if (typed === "") return null;
    const check = await report(provider, model, typed, env);
    if (check !== "failed") return typed;
    const keep = answered(
      await clack.confirm({
        ...wizardOutput(),
        message: "Keep this key anyway?",
        initialValue: false,
      }),
    );
    if (keep) return typed;
  }
}

async function report(
  provider: SetupProvider,
  model: string,
  typed: string | null,
  env: Env,
): Promise<"passed" | "failed" | "skipped"> {
  const key = PROVIDER_FACTS[provider].key;
  const checkEnv = typed !== null && key !== null
    ? { ...env, [key.env]: typed }
    : env;
  const plan = setupPlan({
    provider,
    model,
    apiKey: null,
    auth: { mode: "token", token: "check" },
    bind: "loopback",
    port: DEFAULT_PORT,
  }, checkEnv);
  const spin = clack.spinner(wizardOutput());
  spin.start(`Checking the credentials with ${PROVIDER_FACTS[provider].label}`);
  const check = await checkProviderLive(plan.value, model, checkEnv);
  const text = `Credentials check ${check.result}: ${check.detail}`;
  if (check.result === "failed") spin.error(text);
  else spin.stop(text);
  return check.result;
}
