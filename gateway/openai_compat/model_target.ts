/**
 * Maps the `model` of an OpenAI-compatible request to a provider call:
 * `carapace` (the default agent), `carapace:<agent>` / `agent:<agent>` (that
 * agent's model, else the defaults), or a canonical `provider:model`.
 *
 * @module
 */
import type { CaraConfig } from "../config/mod.ts";
import { modelRefProblem } from "../config/schema/model_ref.ts";
import type { Provider } from "../providers/types.ts";
import { CompatError } from "./compat_error.ts";

/** The provider registry seam (engineer V's `ProviderRegistry` satisfies it). */
export interface ModelResolver {
  /** Resolves a canonical `provider:model`; throws `provider_not_configured` etc. */
  resolve(ref: string): { provider: Provider; model: string };
}

/** Where a request goes and with which agent settings. */
export interface ModelTarget {
  provider: Provider;
  model: string;
  system?: string;
  maxTokens: number;
  temperature?: number;
}

type AgentEntry = CaraConfig["agents"]["list"][number];

const DEFAULT_MAX_TOKENS = 4096;

function routeModel(config: CaraConfig, route: string | undefined) {
  return route === undefined ? undefined : config.routes[route]?.model;
}

function agentFor(config: CaraConfig, id: string | null): AgentEntry | null {
  const list = config.agents.list;
  if (id === null) {
    return list.find((a) => a.default === true) ?? list[0] ?? null;
  }
  const agent = list.find((a) => a.id === id);
  if (agent === undefined) {
    throw new CompatError(
      404,
      "not_found_error",
      `Cannot use model "agent:${id}": no agent "${id}" in agents.list; use "carapace" or one of: ${
        list.map((a) => a.id).join(", ") || "(none)"
      }`,
      { code: "model_not_found" },
    );
  }
  return agent;
}

/**
 * Resolves `model` against `config` and the provider registry.
 *
 * @throws {CompatError} 400 bad model string, 404 unknown agent, 422 alias without a default model
 * @example
 * ```ts
 * const target = resolveModelTarget("carapace", config, registry);
 * ```
 */
export function resolveModelTarget(
  model: unknown,
  config: CaraConfig,
  providers: ModelResolver,
): ModelTarget {
  if (typeof model !== "string" || model.trim() === "") {
    throw new CompatError(
      400,
      "invalid_request_error",
      `Cannot answer the request: "model" is required; use "carapace", "agent:<id>" or "provider:model"`,
    );
  }
  const alias = /^(?:carapace|carapace:(.+)|agent:(.+))$/.exec(model);
  let ref = model;
  let agent: AgentEntry | null = null;
  if (alias !== null) {
    agent = agentFor(config, alias[1] ?? alias[2] ?? null);
    const defaults = config.agents.defaults;
    const found = agent?.model ?? routeModel(config, agent?.route) ??
      defaults.model ?? routeModel(config, defaults.route);
    if (found === undefined) {
      throw new CompatError(
        422,
        "invalid_request_error",
        `Cannot resolve model "${model}": no model is configured for this agent; set agents.defaults.model or send a "provider:model"`,
        { code: "missing_model" },
      );
    }
    ref = found;
  } else {
    const problem = modelRefProblem(model);
    if (problem !== null) {
      throw new CompatError(
        400,
        "invalid_request_error",
        `Cannot use model "${model}": ${problem}`,
        { code: "model_not_found" },
      );
    }
  }
  const { provider, model: native } = providers.resolve(ref);
  return {
    provider,
    model: native,
    maxTokens: agent?.maxTokens ?? DEFAULT_MAX_TOKENS,
    ...(agent?.system === undefined ? {} : { system: agent.system }),
    ...(agent?.temperature === undefined
      ? {}
      : { temperature: agent.temperature }),
  };
}
