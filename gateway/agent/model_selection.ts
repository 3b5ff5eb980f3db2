/**
 * Which `provider:model` a run uses: the first scope of request → session →
 * agent → `agents.defaults` that names a route or a model wins; inside a
 * scope a route beats a model. An unknown route is a hard error.
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";
import { CaraError } from "../errors.ts";
import { type ErrorCode, ProtocolError } from "../protocol/errors.ts";
import type { Provider } from "../providers/types.ts";

/** A route and/or model named by one scope. */
export interface ModelScope {
  route?: string | undefined;
  model?: string | undefined;
}

/** The chosen reference and the route it came from. */
export interface ModelChoice {
  ref: string;
  route: string | undefined;
}

/** The provider seam: engineer V's `ProviderRegistry` satisfies it. */
export interface ProviderLookup {
  /** Throws `unknown_route` / `missing_model` / `provider_not_configured`. */
  resolve(ref: string): { provider: Provider; model: string };
}

const ROUTE_CODES: readonly string[] = [
  "unknown_route",
  "missing_model",
  "provider_not_configured",
];

/**
 * Picks the model reference for a run.
 *
 * @throws {ProtocolError} `unknown_route` for a route missing from `routes`,
 *   `missing_model` when no scope names a model
 * @example
 * ```ts
 * chooseModel(config, [{ model: "openai:gpt-4o" }]).ref; // "openai:gpt-4o"
 * ```
 */
export function chooseModel(
  config: CaraConfig,
  scopes: readonly ModelScope[],
): ModelChoice {
  const defaults = config.agents.defaults;
  for (const scope of [...scopes, defaults]) {
    if (scope.route !== undefined) {
      const route = config.routes[scope.route];
      if (route === undefined) {
        throw new ProtocolError(
          "unknown_route",
          `Cannot use route "${scope.route}": it is not defined under "routes" (${
            Object.keys(config.routes).join(", ") || "none defined"
          }); add it or pick another`,
        );
      }
      return { ref: route.model, route: scope.route };
    }
    if (scope.model !== undefined) {
      return { ref: scope.model, route: undefined };
    }
  }
  throw new ProtocolError(
    "missing_model",
    `Cannot start a run: no model is configured; set "agents.defaults.model" (e.g. "anthropic:claude-sonnet-4-5") or pass a model`,
  );
}

/**
 * Resolves `ref` through the provider lookup, turning its typed failures
 * into protocol errors with the same code.
 */
export function resolveProvider(
  lookup: ProviderLookup,
  ref: string,
): { provider: Provider; model: string } {
  try {
    return lookup.resolve(ref);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    if (error instanceof CaraError && ROUTE_CODES.includes(error.code)) {
      throw new ProtocolError(error.code as ErrorCode, error.message, {
        cause: error,
      });
    }
    throw error;
  }
}
