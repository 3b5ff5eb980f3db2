/**
 * The constructor of each provider, keyed by its `provider:` prefix.
 *
 * @module
 */
import type { Env } from "../config/paths.ts";
import { anthropicProvider } from "./anthropic.ts";
import { claudeCliProvider } from "./claude_cli.ts";
import { geminiProvider } from "./gemini.ts";
import { ollamaProvider } from "./ollama.ts";
import { openaiChatProvider } from "./openai_chat.ts";
import type { ProviderSettings } from "./settings.ts";
import { type Provider, ProviderError, type ProviderId } from "./types.ts";

/** What the registry passes to every provider constructor besides its settings. */
export interface ProviderFactoryOptions {
  /** Environment for subprocess providers (`claude-cli`); default: the registry's env. */
  processEnv?: Env;
}

/** Builds one provider from its settings. */
export type ProviderFactory = (
  settings: ProviderSettings,
  options: ProviderFactoryOptions,
) => Provider;

function unavailable(id: ProviderId): ProviderFactory {
  return () => ({
    id,
    // deno-lint-ignore require-yield
    async *stream() {
      throw new ProviderError(
        id,
        "bad_request",
        `Cannot call ${id}: this build of cara has no ${id} provider yet`,
      );
    },
  });
}

/** Every provider constructor. */
export const PROVIDER_FACTORIES: Readonly<Record<ProviderId, ProviderFactory>> =
  {
    anthropic: anthropicProvider,
    openai: (settings) => openaiChatProvider("openai", settings),
    gemini: geminiProvider,
    vertex: unavailable("vertex"),
    bedrock: unavailable("bedrock"),
    ollama: ollamaProvider,
    codex: unavailable("codex"),
    nearai: (settings) => openaiChatProvider("nearai", settings),
    venice: (settings) => openaiChatProvider("venice", settings),
    "claude-cli": claudeCliProvider,
  };
