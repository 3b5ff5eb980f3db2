/**
 * Where each provider's key, base URL and options come from: the
 * environment first, then the config file (ops-and-security.md §9). A
 * provider whose credentials are missing is "not configured", with a reason
 * that says what to set.
 *
 * @module
 */
import { profileSettings } from "../auth_profiles/provider_credentials.ts";
import type { ProfileCredentials } from "../auth_profiles/types.ts";
import type { CaraConfig } from "../config/schema.ts";
import type { Env } from "../config/paths.ts";
import type { ProviderId } from "./types.ts";

/** Everything a provider module needs to talk to its vendor. */
export interface ProviderSettings {
  apiKey?: string;
  /** Trailing `/` trimmed. */
  baseUrl: string;
  /** Extra HTTP headers sent on every call (e.g. `HTTP-Referer`). */
  headers?: Record<string, string>;
  /** Provider-specific values (`region`, `accessKeyId`, `path`, …). */
  options?: Record<string, string>;
  /** An auth profile (OAuth or setup token) used in place of `apiKey`. */
  credentials?: ProfileCredentials;
}

/** A provider that can be built, or why not. */
export type SettingsResult =
  | { configured: true; settings: ProviderSettings }
  | { configured: false; reason: string };

type Section = Record<string, unknown>;

function section(config: CaraConfig, ...path: string[]): Section {
  let node: unknown = config;
  for (const key of path) {
    node = typeof node === "object" && node !== null
      ? (node as Section)[key]
      : undefined;
  }
  return typeof node === "object" && node !== null ? node as Section : {};
}

function pick(env: Env, names: string[], ...configValues: unknown[]) {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  for (const value of configValues) {
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}

/** Trims trailing slashes from a base URL. */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

function ok(
  apiKey: string | undefined,
  baseUrl: string,
  extra: Omit<ProviderSettings, "apiKey" | "baseUrl"> = {},
): SettingsResult {
  const settings: ProviderSettings = {
    baseUrl: normalizeBaseUrl(baseUrl),
    ...extra,
  };
  if (apiKey !== undefined) settings.apiKey = apiKey;
  return { configured: true, settings };
}

function missing(what: string): SettingsResult {
  return { configured: false, reason: `set ${what}` };
}

function keyed(
  env: Env,
  config: Section,
  names: { key: string; url: string; defaultUrl: string },
): SettingsResult {
  const apiKey = pick(env, [names.key], config.apiKey);
  if (apiKey === undefined) return missing(names.key);
  return ok(
    apiKey,
    pick(env, [names.url], config.baseUrl) ?? names.defaultUrl,
  );
}

/**
 * Resolves the settings of one provider from env and config.
 *
 * @example
 * ```ts
 * providerSettings("openai", config, { OPENAI_API_KEY: "sk-…" });
 * // { configured: true, settings: { apiKey: "sk-…", baseUrl: "https://api.openai.com" } }
 * ```
 */
export function providerSettings(
  id: ProviderId,
  config: CaraConfig,
  env: Env,
): SettingsResult {
  return RESOLVERS[id](env, config);
}

const RESOLVERS: Record<
  ProviderId,
  (env: Env, c: CaraConfig) => SettingsResult
> = {
  anthropic(env, c) {
    const s = section(c, "anthropic");
    const apiKey = pick(env, ["ANTHROPIC_API_KEY"], s.apiKey);
    const url = pick(env, ["ANTHROPIC_BASE_URL"], s.baseUrl) ??
      "https://api.anthropic.com";
    if (apiKey === undefined) {
      if (s.authProfile === undefined) {
        return missing(
          "ANTHROPIC_API_KEY, anthropic.apiKey or anthropic.authProfile",
        );
      }
      const profile = profileSettings("anthropic", s.authProfile, env, c);
      return "reason" in profile
        ? { configured: false, reason: profile.reason }
        : ok(undefined, url, { credentials: profile.credentials });
    }
    return ok(apiKey, url);
  },
  openai(env, c) {
    const s = section(c, "openai");
    const m = section(c, "models", "providers", "openai");
    const apiKey = pick(env, ["OPENAI_API_KEY"], s.apiKey, m.apiKey);
    if (apiKey === undefined) return missing("OPENAI_API_KEY or openai.apiKey");
    const headers: Record<string, string> = {};
    const referer = pick(env, ["OPENAI_HTTP_REFERER"], s.httpReferer);
    const title = pick(env, ["OPENAI_X_TITLE", "OPENAI_TITLE"], s.title);
    if (referer !== undefined) headers["HTTP-Referer"] = referer;
    if (title !== undefined) headers["X-Title"] = title;
    const url = pick(env, ["OPENAI_BASE_URL"], s.baseUrl, m.baseUrl);
    return ok(apiKey, url ?? "https://api.openai.com", { headers });
  },
  gemini(env, c) {
    const s = section(c, "google");
    const apiKey = pick(env, ["GOOGLE_API_KEY"], s.apiKey);
    if (apiKey === undefined) return missing("GOOGLE_API_KEY or google.apiKey");
    const url = pick(env, ["GOOGLE_API_BASE_URL"], s.baseUrl);
    return ok(apiKey, url ?? "https://generativelanguage.googleapis.com");
  },
  nearai: (env, c) =>
    keyed(env, section(c, "nearai"), {
      key: "NEARAI_API_KEY",
      url: "NEARAI_BASE_URL",
      defaultUrl: "https://cloud-api.near.ai/v1",
    }),
  venice: (env, c) =>
    keyed(env, section(c, "venice"), {
      key: "VENICE_API_KEY",
      url: "VENICE_BASE_URL",
      defaultUrl: "https://api.venice.ai/api",
    }),
  ollama(env, c) {
    const nested = section(c, "providers", "ollama");
    const s = { ...section(c, "ollama"), ...nested };
    const url = pick(env, ["OLLAMA_BASE_URL"], s.baseUrl);
    const declared = typeof section(c, "providers").ollama === "object";
    if (url === undefined && !declared) {
      return missing("OLLAMA_BASE_URL or providers.ollama.baseUrl");
    }
    return ok(
      pick(env, ["OLLAMA_API_KEY"], s.apiKey),
      url ?? "http://localhost:11434",
    );
  },
  bedrock(env, c) {
    const s = section(c, "bedrock");
    if (s.enabled === false) {
      return { configured: false, reason: `"bedrock.enabled" is false` };
    }
    const region = pick(env, ["AWS_REGION", "AWS_DEFAULT_REGION"], s.region);
    const accessKeyId = pick(env, ["AWS_ACCESS_KEY_ID"], s.accessKeyId);
    const secretAccessKey = pick(
      env,
      ["AWS_SECRET_ACCESS_KEY"],
      s.secretAccessKey,
    );
    if (!region || !accessKeyId || !secretAccessKey) {
      return missing(
        "AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or bedrock.*)",
      );
    }
    const options: Record<string, string> = {
      region,
      accessKeyId,
      secretAccessKey,
    };
    const sessionToken = pick(env, ["AWS_SESSION_TOKEN"], s.sessionToken);
    if (sessionToken !== undefined) options.sessionToken = sessionToken;
    const url = pick(env, ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"], s.baseUrl);
    return ok(
      undefined,
      url ?? `https://bedrock-runtime.${region}.amazonaws.com`,
      { options },
    );
  },
  vertex(env, c) {
    const s = section(c, "vertex");
    const projectId = pick(env, ["VERTEX_PROJECT_ID"], s.projectId);
    if (projectId === undefined) {
      return missing("VERTEX_PROJECT_ID or vertex.projectId");
    }
    const location = pick(env, ["VERTEX_LOCATION"], s.location) ??
      "us-central1";
    const options: Record<string, string> = { projectId, location };
    const timeout = pick(
      env,
      ["CARAPACE_GCLOUD_TOKEN_TIMEOUT_MS"],
      String(s.gcloudTokenTimeoutMs ?? ""),
    );
    if (timeout !== undefined) options.gcloudTokenTimeoutMs = timeout;
    const globals = pick(env, ["VERTEX_GLOBAL_MODELS"]) ??
      (Array.isArray(s.globalModels) ? s.globalModels.join(",") : undefined);
    if (globals !== undefined) options.globalModels = globals;
    const model = pick(env, ["VERTEX_MODEL"], s.model);
    if (model !== undefined) options.model = model;
    const url = pick(env, ["VERTEX_BASE_URL"], s.baseUrl);
    return ok(
      undefined,
      url ?? `https://${location}-aiplatform.googleapis.com`,
      { options },
    );
  },
  codex(env, c) {
    const s = section(c, "codex");
    if (s.authProfile === undefined) {
      return missing(
        'codex.authProfile (sign in with "cara setup --provider codex")',
      );
    }
    const profile = profileSettings("codex", s.authProfile, env, c);
    if ("reason" in profile) {
      return { configured: false, reason: profile.reason };
    }
    const options: Record<string, string> = {};
    const model = pick({}, [], s.model);
    if (model !== undefined) options.defaultModel = model;
    return ok(undefined, pick({}, [], s.baseUrl) ?? "https://api.openai.com", {
      credentials: profile.credentials,
      options,
    });
  },
  "claude-cli"(env, c) {
    const s = section(c, "claudeCli");
    const flag = env.CLAUDE_CLI_ENABLED?.trim().toLowerCase();
    const enabled = flag !== undefined && flag !== ""
      ? ["1", "true", "yes", "on"].includes(flag)
      : s.enabled === true;
    if (!enabled) return missing("CLAUDE_CLI_ENABLED=1 or claudeCli.enabled");
    const options: Record<string, string> = {
      path: typeof s.path === "string" && s.path !== "" ? s.path : "claude",
    };
    if (typeof s.maxTurns === "number") options.maxTurns = String(s.maxTurns);
    return ok(undefined, "", { options });
  },
};
