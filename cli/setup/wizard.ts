/**
 * The interactive `cara setup` wizard (cli.md §4 order): provider, model,
 * credentials, gateway auth, bind, port, outcome, Control UI; then the
 * write and an offer to run `cara verify`. Cancelling writes nothing.
 *
 * @module
 */
import * as clack from "@clack/prompts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { verifyCommand } from "../verify.ts";
import { setupModelRef } from "./model.ts";
import {
  DEFAULT_PORT,
  type GatewayAuthAnswer,
  randomHex,
  type SetupAnswers,
  setupPlan,
} from "./plan.ts";
import {
  PROVIDER_FACTS,
  SETUP_PROVIDERS,
  type SetupProvider,
} from "./providers.ts";
import { answered, wizardOutput } from "./wizard_io.ts";
import { askProviderKey } from "./wizard_credentials.ts";
import { setupPreflight, writeSetup } from "./write.ts";

/**
 * Runs the wizard on the terminal and writes the config.
 *
 * @throws {CliError} when cancelled or refused (daemon running, config exists)
 * @example
 * ```ts
 * await runSetupWizard(ctx, { force: false });
 * ```
 */
export async function runSetupWizard(
  ctx: CliContext,
  options: { force: boolean },
): Promise<void> {
  const path = await setupPreflight(ctx, options);
  clack.intro("cara setup", wizardOutput());
  const provider = answered(
    await clack.select<SetupProvider>({
      ...wizardOutput(),
      message: "LLM provider",
      options: SETUP_PROVIDERS.map((id) => ({
        value: id,
        label: PROVIDER_FACTS[id].label,
        ...(id === "codex"
          ? { hint: "OAuth sign-in not in this build", disabled: true }
          : {}),
      })),
    }),
  );
  const model = setupModelRef(
    provider,
    answered(
      await clack.text({
        ...wizardOutput(),
        message: `Model (provider:model or a bare ${provider} id)`,
        placeholder: PROVIDER_FACTS[provider].example,
        validate: (value) => modelProblem(provider, value ?? ""),
      }),
    ),
  );
  const apiKey = await askProviderKey(provider, model, ctx.env);
  const answers: SetupAnswers = {
    provider,
    model,
    apiKey,
    auth: await askGatewayAuth(),
    bind: await askBind(),
    port: await askPort(),
  };
  const outcome = answered(
    await clack.select<"local-chat" | "hooks">({
      ...wizardOutput(),
      message: "What do you want to use first?",
      options: [
        { value: "local-chat", label: "local chat (cara chat)" },
        { value: "hooks", label: "webhooks (POST /hooks/wake, /hooks/agent)" },
      ],
    }),
  );
  if (outcome === "hooks") answers.hooksToken = randomHex(32);
  answers.controlUi = answered(
    await clack.confirm({
      ...wizardOutput(),
      message: "Enable the Control UI?",
      initialValue: false,
    }),
  );
  await writeSetup(ctx, setupPlan(answers, ctx.env), path);
  const verify = answered(
    await clack.confirm({
      ...wizardOutput(),
      message:
        `Run "cara verify --outcome ${outcome}" now? (the gateway must be running)`,
      initialValue: false,
    }),
  );
  if (verify) await runVerify(ctx, outcome, answers.port);
  clack.outro("Setup done.", wizardOutput());
}

function modelProblem(provider: SetupProvider, value: string) {
  try {
    setupModelRef(provider, value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function askGatewayAuth(): Promise<GatewayAuthAnswer> {
  const mode = answered(
    await clack.select<"token" | "password">({
      ...wizardOutput(),
      message: "Gateway auth",
      options: [
        { value: "token", label: "token", hint: "recommended" },
        { value: "password", label: "password" },
      ],
    }),
  );
  const custom = answered(
    await clack.select<boolean>({
      ...wizardOutput(),
      message: `Gateway ${mode}`,
      options: [
        { value: false, label: "generate one" },
        { value: true, label: "type my own" },
      ],
    }),
  );
  const secret = custom
    ? answered(
      await clack.password({
        ...wizardOutput(),
        message: `Gateway ${mode} (at least 16 characters)`,
        validate: (v) =>
          (v ?? "").trim().length >= 16 && !/\s/.test((v ?? "").trim())
            ? undefined
            : "Use at least 16 characters without spaces",
      }),
    ).trim()
    : randomHex(mode === "token" ? 32 : 24);
  return mode === "token"
    ? { mode, token: secret }
    : { mode, password: secret };
}

async function askBind(): Promise<"loopback" | "lan"> {
  const bind = answered(
    await clack.select<"loopback" | "lan">({
      ...wizardOutput(),
      message: "Listen on",
      options: [
        { value: "loopback", label: "loopback (this machine only)" },
        { value: "lan", label: "lan (the local network)" },
      ],
    }),
  );
  if (bind === "loopback") return bind;
  const sure = answered(
    await clack.confirm({
      ...wizardOutput(),
      message: "Other machines on the network will reach the gateway. Sure?",
      initialValue: false,
    }),
  );
  return sure ? "lan" : "loopback";
}

async function askPort(): Promise<number> {
  const text = answered(
    await clack.text({
      ...wizardOutput(),
      message: "Port",
      defaultValue: String(DEFAULT_PORT),
      placeholder: String(DEFAULT_PORT),
      validate: (v) =>
        v === undefined || v === "" || /^\d{1,5}$/.test(v) &&
            Number(v) >= 1 && Number(v) <= 65535
          ? undefined
          : "Enter a port from 1 to 65535",
    }),
  );
  return text === "" ? DEFAULT_PORT : Number(text);
}

async function runVerify(
  ctx: CliContext,
  outcome: string,
  port: number,
): Promise<void> {
  try {
    await verifyCommand(ctx).exitOverride().parseAsync(
      ["--outcome", outcome, "-p", String(port)],
      { from: "user" },
    );
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    clack.log.warn(`Verify did not pass: ${error.message}`, wizardOutput());
  }
}
