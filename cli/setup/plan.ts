/**
 * The config `cara setup` writes from the answers it collected (cli.md §4):
 * gateway listener and auth, `agents.defaults.model`, and one provider
 * section whose credentials are `${ENV}` placeholders unless a key was typed
 * or piped in (then it is stored, and sealed on write).
 *
 * @module
 */
import type { ConfigObject } from "../../gateway/config/_object.ts";
import type { Env } from "../../gateway/config/paths.ts";
import { PROVIDER_FACTS, type SetupProvider } from "./providers.ts";

/** Default gateway port (cli.md §0). */
export const DEFAULT_PORT = 18789;

/** Gateway credentials setup writes. */
export type GatewayAuthAnswer =
  | { mode: "token"; token: string }
  | { mode: "password"; password: string };

/** Everything setup decided. */
export interface SetupAnswers {
  provider: SetupProvider;
  /** Canonical `provider:model`. */
  model: string;
  /** A key to store in the file, or `null` to write the `${ENV}` placeholder. */
  apiKey: string | null;
  auth: GatewayAuthAnswer;
  bind: "loopback" | "lan";
  port: number;
  /** Enables `gateway.hooks` with this token. */
  hooksToken?: string;
  controlUi?: boolean;
}

/** The config to write and the env variables it references that are unset now. */
export interface SetupPlan {
  value: ConfigObject;
  missingEnv: string[];
}

/** A new random secret: `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Builds the config for `answers`; `env` decides which placeholders to use.
 *
 * @example
 * ```ts
 * const { value } = setupPlan(answers, ctx.env);
 * await writeConfig({ env: ctx.env, value });
 * ```
 */
export function setupPlan(answers: SetupAnswers, env: Env): SetupPlan {
  const missing = new Set<string>();
  const ref = (name: string) => {
    if (!env[name]?.trim()) missing.add(name);
    return `\${${name}}`;
  };
  const gateway: ConfigObject = {
    port: answers.port,
    bind: answers.bind,
    auth: answers.auth.mode === "token"
      ? { mode: "token", token: answers.auth.token }
      : { mode: "password", password: answers.auth.password },
  };
  if (answers.hooksToken !== undefined) {
    gateway.hooks = { enabled: true, token: answers.hooksToken };
  }
  if (answers.controlUi === true) gateway.controlUi = { enabled: true };
  const value: ConfigObject = {
    gateway,
    agents: { defaults: { model: answers.model } },
  };
  const section = providerSection(answers, env, ref);
  for (const [key, item] of Object.entries(section)) value[key] = item;
  return { value, missingEnv: [...missing] };
}

function providerSection(
  answers: SetupAnswers,
  env: Env,
  ref: (name: string) => string,
): ConfigObject {
  const isSet = (name: string) => Boolean(env[name]?.trim());
  const model = answers.model.slice(answers.model.indexOf(":") + 1);
  switch (answers.provider) {
    case "ollama": {
      const ollama: ConfigObject = {
        baseUrl: isSet("OLLAMA_BASE_URL")
          ? ref("OLLAMA_BASE_URL")
          : "http://localhost:11434",
      };
      if (answers.apiKey !== null) ollama.apiKey = answers.apiKey;
      else if (isSet("OLLAMA_API_KEY")) ollama.apiKey = ref("OLLAMA_API_KEY");
      return { providers: { ollama } };
    }
    case "bedrock": {
      const region = !isSet("AWS_REGION") && isSet("AWS_DEFAULT_REGION")
        ? ref("AWS_DEFAULT_REGION")
        : ref("AWS_REGION");
      const bedrock: ConfigObject = {
        region,
        accessKeyId: ref("AWS_ACCESS_KEY_ID"),
        secretAccessKey: ref("AWS_SECRET_ACCESS_KEY"),
      };
      if (isSet("AWS_SESSION_TOKEN")) {
        bedrock.sessionToken = ref("AWS_SESSION_TOKEN");
      }
      return { bedrock };
    }
    case "vertex":
      return {
        vertex: {
          projectId: ref("VERTEX_PROJECT_ID"),
          location: isSet("VERTEX_LOCATION")
            ? ref("VERTEX_LOCATION")
            : "us-central1",
          model: model === "default" ? ref("VERTEX_MODEL") : model,
        },
      };
    case "codex":
      return {};
    default: {
      const key = PROVIDER_FACTS[answers.provider].key;
      if (key === null) return {};
      const [top, leaf] = key.path;
      if (top === undefined || leaf === undefined) return {};
      return { [top]: { [leaf]: answers.apiKey ?? ref(key.env) } };
    }
  }
}
