/**
 * `codex:` — OpenAI models called with the OAuth access token of a Codex
 * sign-in (`codex.authProfile`) instead of an API key, over the chat
 * completions API of the `openai` SDK. The token is refreshed before it
 * expires; `codex:default` asks for `codex.model` (default `gpt-5-codex`).
 *
 * @module
 */
import { profileProvider } from "../auth_profiles/profile_provider.ts";
import { openaiChatProvider } from "./openai_chat.ts";
import type { ProviderSettings } from "./settings.ts";
import { type Provider, ProviderError } from "./types.ts";

/** The model `codex:default` stands for when `codex.model` is not set. */
export const CODEX_DEFAULT_MODEL = "gpt-5-codex";

/**
 * Builds the Codex provider from settings that carry profile credentials.
 *
 * @throws {ProviderError} `auth` when the settings have no credentials
 * @example
 * ```ts
 * const codex = codexProvider({ baseUrl: "https://api.openai.com", credentials });
 * ```
 */
export function codexProvider(settings: ProviderSettings): Provider {
  const credentials = settings.credentials;
  if (credentials === undefined) {
    throw new ProviderError(
      "codex",
      "auth",
      `Cannot build the codex provider: no auth profile; run "cara setup --provider codex"`,
    );
  }
  const defaultModel = settings.options?.defaultModel ?? CODEX_DEFAULT_MODEL;
  const inner = profileProvider(
    "codex",
    credentials,
    (token) => openaiChatProvider("codex", { ...settings, apiKey: token }),
  );
  return {
    id: "codex",
    stream: (request) =>
      inner.stream(
        request.model === "default"
          ? { ...request, model: defaultModel }
          : request,
      ),
    listModels: (signal) => inner.listModels!(signal),
  };
}
