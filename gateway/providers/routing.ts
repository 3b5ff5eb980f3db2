/**
 * Which `provider:model` a turn uses: the first scope that names a route or
 * a model wins, in the order request → session → agent → defaults, and
 * within a scope a route beats a model (config.md "agents / routes").
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";
import { modelRefProblem } from "../config/schema/model_ref.ts";
import { RoutingError } from "./routing_error.ts";

/** A scope that may name a route or a model. */
export interface ModelScope {
  route?: string | undefined;
  model?: string | undefined;
}

/** The scopes of one turn, most specific first. */
export interface ModelScopes {
  request?: ModelScope;
  session?: ModelScope;
  agent?: ModelScope;
}

/** The chosen reference and where it came from. */
export interface ResolvedRef {
  ref: string;
  scope: "request" | "session" | "agent" | "defaults";
  route?: string;
}

/**
 * Checks that `ref` is a canonical `provider:model` string.
 *
 * @throws {RoutingError} `invalid_request` with a suggestion for bare and slash forms.
 */
export function checkModelRef(ref: string): string {
  const problem = modelRefProblem(ref);
  if (problem !== null) {
    throw new RoutingError(
      "invalid_request",
      `Cannot use model "${ref}": ${problem}`,
    );
  }
  return ref;
}

/**
 * Picks the model reference of a turn.
 *
 * @throws {RoutingError} `unknown_route`, `missing_model` or `invalid_request`.
 * @example
 * ```ts
 * resolveModelRef(config, { request: { route: "fast" }, agent: { model: "openai:gpt-4o" } });
 * // { ref: "anthropic:claude-haiku-4-5", scope: "request", route: "fast" }
 * ```
 */
export function resolveModelRef(
  config: CaraConfig,
  scopes: ModelScopes,
): ResolvedRef {
  const ordered: [ResolvedRef["scope"], ModelScope | undefined][] = [
    ["request", scopes.request],
    ["session", scopes.session],
    ["agent", scopes.agent],
    ["defaults", config.agents.defaults],
  ];
  for (const [scope, value] of ordered) {
    const route = value?.route?.trim();
    if (route) {
      const entry = Object.hasOwn(config.routes, route)
        ? config.routes[route]
        : undefined;
      if (entry === undefined) {
        const known = Object.keys(config.routes);
        throw new RoutingError(
          "unknown_route",
          `Cannot use route "${route}": it is not defined under "routes" (${
            known.length > 0
              ? known.map((k) => `"${k}"`).join(", ")
              : "none defined"
          })`,
        );
      }
      return { ref: checkModelRef(entry.model), scope, route };
    }
    const model = value?.model?.trim();
    if (model) return { ref: checkModelRef(model), scope };
  }
  throw new RoutingError(
    "missing_model",
    `Cannot choose a model: none is set; set "agents.defaults.model" (e.g. "anthropic:claude-sonnet-4-5") or pass a model or route`,
  );
}
