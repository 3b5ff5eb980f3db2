/**
 * `cara setup [--provider P] [--model M] [--auth-mode A] [--key-stdin] [--force]`
 * (cli.md §4): writes a first config. With stdin on a terminal and no
 * provider flags it runs the wizard; otherwise it is fully scripted.
 *
 * @module
 */
import {
  Command,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import type { CliContext } from "./context.ts";
import { runNonInteractiveSetup } from "./setup/non_interactive.ts";
import {
  AUTH_MODES,
  providerChoices,
  type SetupProvider,
  setupProviderOf,
} from "./setup/providers.ts";
import { readKeyFrom } from "./setup/stdin_key.ts";

const HELP_AFTER = `
Provider keys are never taken from the command line. Setup writes a
placeholder such as "\${ANTHROPIC_API_KEY}" that the gateway fills from its
environment, or, with --key-stdin and CARAPACE_CONFIG_PASSWORD set, stores
the key piped to stdin sealed (enc:v2).

Models are "provider:model"; a bare id gets the provider's prefix. Ids that
contain ":" themselves must be given in full (ollama:qwen3-coder:30b).

Examples:
  cara setup
  ANTHROPIC_API_KEY=… cara setup --provider claude --model claude-sonnet-4-5
  printf '%s' "$KEY" | CARAPACE_CONFIG_PASSWORD=… cara setup --provider openai --model gpt-4o --key-stdin
`;

function parseProvider(value: string): SetupProvider {
  const provider = setupProviderOf(value);
  if (provider === null) {
    throw new InvalidArgumentError(`Expected one of ${providerChoices()}.`);
  }
  return provider;
}

/** The `cara setup` command. */
export function setupCommand(ctx: CliContext): Command<
  [],
  {
    provider?: SetupProvider;
    model?: string;
    authMode?: typeof AUTH_MODES[number];
    keyStdin?: true;
    force?: true;
  }
> {
  return new Command("setup")
    .description("write a first config: provider, model and gateway auth")
    .option(
      "--provider <provider>",
      `LLM provider (${providerChoices()})`,
      parseProvider,
    )
    .option("--model <model>", `model, "provider:model" or a bare id`)
    .addOption(
      new Option("--auth-mode <mode>", "anthropic or gemini auth").choices(
        AUTH_MODES,
      ),
    )
    .option("--key-stdin", "read the provider key from stdin (sealed)")
    .option("--force", "replace an existing config")
    .addHelpText("after", HELP_AFTER)
    .action(async (flags) => {
      const scripted = flags.provider !== undefined ||
        flags.model !== undefined || flags.authMode !== undefined ||
        flags.keyStdin !== undefined;
      if (!scripted && Deno.stdin.isTerminal()) {
        const { runSetupWizard } = await import("./setup/wizard.ts");
        await runSetupWizard(ctx, { force: flags.force === true });
        return;
      }
      await runNonInteractiveSetup(ctx, flags, {
        readKey: () => readKeyFrom(Deno.stdin.readable),
      });
    });
}
