/**
 * The providers `cara setup` offers (cli.md §4): their aliases, auth modes,
 * the environment variable of their key and the config key it goes to.
 *
 * @module
 */

/** Providers `cara setup --provider` accepts (claude-cli is configured by hand). */
export const SETUP_PROVIDERS = [
  "anthropic",
  "openai",
  "gemini",
  "ollama",
  "bedrock",
  "vertex",
  "codex",
  "nearai",
  "venice",
] as const;

/** One provider `cara setup` can configure. */
export type SetupProvider = typeof SETUP_PROVIDERS[number];

/** How a provider authenticates. */
export type AuthMode = "api-key" | "setup-token" | "oauth";

/** Auth modes `--auth-mode` accepts, in help order. */
export const AUTH_MODES: readonly AuthMode[] = [
  "api-key",
  "setup-token",
  "oauth",
];

const ALIASES: Readonly<Record<string, SetupProvider>> = {
  claude: "anthropic",
  gpt: "openai",
  near: "nearai",
  "near-ai": "nearai",
};

/** Where a provider's single API key lives: env variable and config key path. */
export interface ProviderKey {
  env: string;
  path: readonly string[];
  /** The provider works without a key (Ollama). */
  optional?: true;
}

/** What setup knows about one provider. */
export interface ProviderFacts {
  label: string;
  /** Auth modes `--auth-mode` accepts for it; empty = the flag is refused. */
  authModes: readonly AuthMode[];
  /** `null` for providers without a single key (Bedrock, Vertex, Codex). */
  key: ProviderKey | null;
  /** A model id to show as an example (setup never picks one). */
  example: string;
}

/** Facts per provider; model prefixes equal the provider ids. */
export const PROVIDER_FACTS: Readonly<Record<SetupProvider, ProviderFacts>> = {
  anthropic: {
    label: "Anthropic",
    authModes: ["api-key", "setup-token"],
    key: { env: "ANTHROPIC_API_KEY", path: ["anthropic", "apiKey"] },
    example: "claude-sonnet-4-5",
  },
  openai: {
    label: "OpenAI",
    authModes: [],
    key: { env: "OPENAI_API_KEY", path: ["openai", "apiKey"] },
    example: "gpt-4o",
  },
  gemini: {
    label: "Google Gemini",
    authModes: ["api-key", "oauth"],
    key: { env: "GOOGLE_API_KEY", path: ["google", "apiKey"] },
    example: "gemini-2.5-flash",
  },
  ollama: {
    label: "Ollama",
    authModes: [],
    key: {
      env: "OLLAMA_API_KEY",
      path: ["providers", "ollama", "apiKey"],
      optional: true,
    },
    example: "qwen3-coder:30b",
  },
  bedrock: {
    label: "AWS Bedrock",
    authModes: [],
    key: null,
    example: "anthropic.claude-sonnet-4-5-v1:0",
  },
  vertex: {
    label: "Google Vertex AI",
    authModes: [],
    key: null,
    example: "default",
  },
  codex: {
    label: "OpenAI Codex (OAuth)",
    authModes: [],
    key: null,
    example: "default",
  },
  nearai: {
    label: "NEAR AI Cloud",
    authModes: [],
    key: { env: "NEARAI_API_KEY", path: ["nearai", "apiKey"] },
    example: "deepseek-ai/DeepSeek-V3.1",
  },
  venice: {
    label: "Venice",
    authModes: [],
    key: { env: "VENICE_API_KEY", path: ["venice", "apiKey"] },
    example: "llama-3.3-70b",
  },
};

/**
 * The provider a `--provider` value names (aliases resolved, case-insensitive),
 * or `null` when it names none.
 *
 * @example
 * ```ts
 * setupProviderOf("claude"); // "anthropic"
 * ```
 */
export function setupProviderOf(value: string): SetupProvider | null {
  const name = value.trim().toLowerCase();
  if ((SETUP_PROVIDERS as readonly string[]).includes(name)) {
    return name as SetupProvider;
  }
  return ALIASES[name] ?? null;
}

/** The accepted `--provider` values for messages: ids then aliases. */
export function providerChoices(): string {
  return [...SETUP_PROVIDERS, ...Object.keys(ALIASES)].join(", ");
}
