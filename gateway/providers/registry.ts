/**
 * The set of providers built from config and env, and the lookup from a
 * canonical `provider:model` reference to the provider that serves it.
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";
import type { Env } from "../config/paths.ts";
import {
  PROVIDER_FACTORIES,
  type ProviderFactoryOptions,
} from "./factories.ts";
import { type RetryOptions, withRetries } from "./retry.ts";
import { checkModelRef } from "./routing.ts";
import { RoutingError } from "./routing_error.ts";
import { providerSettings } from "./settings.ts";
import {
  type ModelInfo,
  type Provider,
  PROVIDER_IDS,
  type ProviderId,
} from "./types.ts";

/** A provider plus the provider-native model id to ask it for. */
export interface ResolvedModel {
  provider: Provider;
  model: string;
}

/** The configured providers. */
export interface ProviderRegistry {
  /**
   * The provider and native model of a canonical reference.
   *
   * @throws {RoutingError} `invalid_request` or `provider_not_configured`.
   */
  resolve(ref: string): ResolvedModel;
  /** Ids of the providers that could be built, in {@linkcode PROVIDER_IDS} order. */
  configured(): ProviderId[];
  /** Why a provider is not configured, or `undefined` when it is. */
  whyNotConfigured(id: ProviderId): string | undefined;
  /** Models of every configured provider that can list them; failures are skipped. */
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
}

/** Options of {@linkcode createProviderRegistry}. */
export interface ProviderRegistryOptions extends ProviderFactoryOptions {
  /** Retry policy wrapped around every provider; `false` turns retries off. Default: {@linkcode withRetries} defaults. */
  retry?: RetryOptions | false;
}

/**
 * Builds every provider whose credentials are present in env or config.
 *
 * @example
 * ```ts
 * const providers = createProviderRegistry(config, Deno.env.toObject());
 * const { provider, model } = providers.resolve("anthropic:claude-sonnet-4-5");
 * for await (const event of provider.stream({ model, messages, maxTokens: 1024, signal })) {}
 * ```
 */
export function createProviderRegistry(
  config: CaraConfig,
  env: Env,
  options: ProviderRegistryOptions = {},
): ProviderRegistry {
  const built = new Map<ProviderId, Provider>();
  const reasons = new Map<ProviderId, string>();
  for (const id of PROVIDER_IDS) {
    const result = providerSettings(id, config, env);
    if (!result.configured) {
      reasons.set(id, result.reason);
      continue;
    }
    const factory = PROVIDER_FACTORIES[id];
    if (factory === undefined) {
      reasons.set(id, `this build of cara cannot call "${id}:" models yet`);
      continue;
    }
    const raw = factory(result.settings, {
      processEnv: options.processEnv ?? env,
    });
    built.set(
      id,
      options.retry === false ? raw : withRetries(raw, options.retry ?? {}),
    );
  }
  return {
    resolve(ref) {
      checkModelRef(ref);
      const colon = ref.indexOf(":");
      let id = ref.slice(0, colon) as ProviderId;
      const model = ref.slice(colon + 1);
      // config.md: `gemini:` falls back to Vertex when only Vertex is set up.
      if (id === "gemini" && !built.has("gemini") && built.has("vertex")) {
        id = "vertex";
      }
      const provider = built.get(id);
      if (provider === undefined) {
        throw new RoutingError(
          "provider_not_configured",
          `Cannot use model "${ref}": provider "${id}" is not configured; ${
            reasons.get(id) ?? "configure it"
          }`,
        );
      }
      return { provider, model };
    },
    configured: () => [...built.keys()],
    whyNotConfigured: (id) => reasons.get(id),
    async listModels(signal) {
      const lists = await Promise.allSettled(
        [...built.values()].map((p) =>
          p.listModels?.(signal) ?? Promise.resolve([])
        ),
      );
      return lists.flatMap((r) => r.status === "fulfilled" ? r.value : []);
    },
  };
}
