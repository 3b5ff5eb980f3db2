/**
 * Read-only WS methods about agents and models: `agents.list`,
 * `agent.identity.get` and `models.list` (protocol.md §7).
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";
import type { MethodDefinition } from "../protocol/types.ts";
import type { ModelInfo } from "../providers/types.ts";
import {
  type AgentProfile,
  agentProfile,
  agentProfiles,
} from "./agent_profile.ts";
import { MethodParams } from "./method_params.ts";

function identity(profile: AgentProfile) {
  return {
    name: profile.name,
    description: profile.description ?? null,
    avatar: profile.avatar ?? null,
  };
}

/** `agents.list` and `agent.identity.get`. */
export function agentsMethods(
  deps: { config: () => CaraConfig },
): MethodDefinition[] {
  return [{
    name: "agents.list",
    scope: "operator.read",
    handler() {
      const profiles = agentProfiles(deps.config());
      return {
        agents: profiles.map((profile) => ({
          id: profile.id,
          name: profile.name,
          default: profile.isDefault,
          enabled: true,
          description: profile.description ?? null,
          identity: identity(profile),
        })),
        count: profiles.length,
        defaultId: profiles.find((profile) => profile.isDefault)?.id ?? null,
        mainKey: "main",
        scope: deps.config().session?.scope ?? "per-sender",
      };
    },
  }, {
    name: "agent.identity.get",
    scope: "operator.read",
    handler({ params }) {
      const p = new MethodParams("agent.identity.get", params);
      const profile = agentProfile(
        deps.config(),
        p.optionalText("agentId", 128),
      );
      return { agentId: profile.id, ...identity(profile) };
    },
  }];
}

/** What `models.list` needs of the provider registry (`ProviderRegistry` fits). */
export interface ModelSource {
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
}

/** How long `models.list` waits for providers to list their models. */
export const MODELS_LIST_TIMEOUT_MS = 5000;

function configuredModels(config: CaraConfig): ModelInfo[] {
  const refs = new Map<string, string | undefined>();
  const add = (ref: string | undefined, name?: string) => {
    if (ref !== undefined && !refs.has(ref)) refs.set(ref, name);
  };
  add(config.agents.defaults.model);
  for (const [id, route] of Object.entries(config.routes)) {
    add(route.model, route.label ?? id);
  }
  for (const agent of config.agents.list) add(agent.model);
  return [...refs].map(([id, name]) => ({
    id,
    provider: id.slice(0, id.indexOf(":")) as ModelInfo["provider"],
    ...(name === undefined ? {} : { name }),
  }));
}

/**
 * `models.list`: the models named in config (defaults, routes, agents) plus
 * whatever the configured providers report (providers that fail or take
 * longer than 5 s are skipped).
 */
export function modelsMethods(
  deps: { config: () => CaraConfig; providers: ModelSource },
): MethodDefinition[] {
  return [{
    name: "models.list",
    scope: "operator.read",
    async handler({ signal }) {
      const configured = configuredModels(deps.config());
      const timeout = AbortSignal.timeout(MODELS_LIST_TIMEOUT_MS);
      const listed = await deps.providers.listModels(
        AbortSignal.any([signal, timeout]),
      )
        .catch(() => [] as ModelInfo[]);
      const seen = new Set(configured.map((model) => model.id));
      const models = [
        ...configured,
        ...listed.filter((model) => !seen.has(model.id)),
      ];
      return { models };
    },
  }];
}
