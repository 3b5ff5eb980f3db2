/**
 * The provider seam of the run service: picks the model with the provider
 * module's `resolveModelRef` (request → session → agent → defaults, route
 * before model) and resolves it through the provider registry, turning their
 * typed failures into protocol errors with the same code.
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";
import { CaraError } from "../errors.ts";
import {
  ERROR_CODES,
  type ErrorCode,
  ProtocolError,
} from "../protocol/errors.ts";
import { type ModelScopes, resolveModelRef } from "../providers/routing.ts";
import type { Provider } from "../providers/types.ts";

/** What the run service needs of the provider registry (`ProviderRegistry` fits). */
export interface ProviderLookup {
  /** Throws a `RoutingError` (`provider_not_configured`, `invalid_request`). */
  resolve(ref: string): { provider: Provider; model: string };
}

/** The resolved model of a run. */
export interface ModelSelection {
  provider: Provider;
  /** The provider-native model id. */
  model: string;
  /** The canonical `provider:model`. */
  ref: string;
}

/**
 * Chooses and resolves the model of a run.
 *
 * @throws {ProtocolError} `unknown_route`, `missing_model`,
 *   `provider_not_configured` or `invalid_request`
 * @example
 * ```ts
 * selectModel(config, providers, { request: { model: "openai:gpt-4o" } }).model; // "gpt-4o"
 * ```
 */
export function selectModel(
  config: CaraConfig,
  lookup: ProviderLookup,
  scopes: ModelScopes,
): ModelSelection {
  try {
    const { ref } = resolveModelRef(config, scopes);
    return { ...lookup.resolve(ref), ref };
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    if (error instanceof CaraError && Object.hasOwn(ERROR_CODES, error.code)) {
      throw new ProtocolError(error.code as ErrorCode, error.message, {
        cause: error,
      });
    }
    throw error;
  }
}
