/**
 * The constructor of each provider, keyed by its `provider:` prefix.
 *
 * @module
 */
import { anthropicProfileProvider } from "../auth_profiles/anthropic_profile.ts";
import type { Env } from "../config/paths.ts";
import { anthropicProvider } from "./anthropic.ts";
import { bedrockProvider } from "./bedrock.ts";
import { claudeCliProvider } from "./claude_cli.ts";
import { codexProvider } from "./codex.ts";
import { geminiProvider } from "./gemini.ts";
import { ollamaProvider } from "./ollama.ts";
import { openaiChatProvider } from "./openai_chat.ts";
import type { ProviderSettings } from "./settings.ts";
import type { Provider, ProviderId } from "./types.ts";
import { vertexProvider } from "./vertex.ts";

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

/** Every provider constructor. */
export const PROVIDER_FACTORIES: Readonly<
  Partial<Record<ProviderId, ProviderFactory>>
> = {
  anthropic: (settings) =>
    settings.credentials === undefined
      ? anthropicProvider(settings)
      : anthropicProfileProvider(settings, settings.credentials),
  openai: (settings) => openaiChatProvider("openai", settings),
  gemini: geminiProvider,
  bedrock: bedrockProvider,
  vertex: (settings, options) =>
    vertexProvider(settings, { env: options.processEnv ?? {} }),
  ollama: ollamaProvider,
  nearai: (settings) => openaiChatProvider("nearai", settings),
  venice: (settings) => openaiChatProvider("venice", settings),
  codex: codexProvider,
  "claude-cli": claudeCliProvider,
};
