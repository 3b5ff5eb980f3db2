/**
 * The effective settings of one agent: its `agents.list[]` entry merged with
 * `agents.defaults`. An unknown id is refused; no id means the default agent
 * (the one marked `default`, else the first, else a built-in `main`).
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";
import { ProtocolError } from "../protocol/errors.ts";

/** The tool policy of an agent (`unknown` denies every tool). */
export interface ToolPolicyConfig {
  policy: string;
  list: readonly string[];
}

/** An agent's effective settings. */
export interface AgentProfile {
  id: string;
  name: string;
  description: string | undefined;
  avatar: string | undefined;
  isDefault: boolean;
  system: string | undefined;
  /** The agent's own route/model (defaults apply later, see model_selection.ts). */
  route: string | undefined;
  model: string | undefined;
  maxTurns: number;
  maxTokens: number;
  temperature: number | undefined;
  maxConcurrent: number;
  timeoutSeconds: number;
  contextTokens: number;
  tools: ToolPolicyConfig;
  exfiltrationGuard: boolean;
}

/** The id of the agent used when none is configured. */
export const MAIN_AGENT_ID = "main";

type AgentEntry = CaraConfig["agents"]["list"][number];

/** Every configured agent's profile (a built-in `main` when the list is empty). */
export function agentProfiles(config: CaraConfig): AgentProfile[] {
  const list = config.agents.list;
  if (list.length === 0) return [profileOf(config, undefined, true)];
  const marked = list.find((agent) => agent.default === true) ?? list[0];
  return list.map((agent) => profileOf(config, agent, agent === marked));
}

/**
 * The profile of `agentId`, or of the default agent.
 *
 * @throws {ProtocolError} `invalid_request` for an unknown agent id
 */
export function agentProfile(
  config: CaraConfig,
  agentId?: string,
): AgentProfile {
  const profiles = agentProfiles(config);
  const found = agentId === undefined
    ? profiles.find((profile) => profile.isDefault)
    : profiles.find((profile) => profile.id === agentId);
  if (found === undefined) {
    throw new ProtocolError(
      "invalid_request",
      `Cannot use agent "${agentId}": no such agent; configured agents: ${
        profiles.map((profile) => profile.id).join(", ")
      }`,
    );
  }
  return found;
}

function profileOf(
  config: CaraConfig,
  agent: AgentEntry | undefined,
  isDefault: boolean,
): AgentProfile {
  const defaults = config.agents.defaults;
  return {
    id: agent?.id ?? MAIN_AGENT_ID,
    name: agent?.identity?.name ?? agent?.id ?? MAIN_AGENT_ID,
    description: agent?.identity?.description,
    avatar: agent?.identity?.avatar,
    isDefault,
    system: agent?.system,
    route: agent?.route,
    model: agent?.model,
    maxTurns: agent?.maxTurns ?? 25,
    maxTokens: agent?.maxTokens ?? 8192,
    temperature: agent?.temperature,
    maxConcurrent: defaults.maxConcurrent,
    timeoutSeconds: defaults.timeoutSeconds,
    contextTokens: defaults.contextTokens,
    tools: toolPolicyOf(agent, defaults.tools),
    exfiltrationGuard: agent?.exfiltrationGuard ?? false,
  };
}

function toolPolicyOf(
  agent: AgentEntry | undefined,
  fallback: Record<string, unknown> | undefined,
): ToolPolicyConfig {
  if (agent?.tools !== undefined) return agent.tools;
  if (agent?.toolPolicy !== undefined) {
    return { policy: agent.toolPolicy, list: [] };
  }
  if (fallback !== undefined) {
    const list = Array.isArray(fallback.list)
      ? fallback.list.filter((item): item is string => typeof item === "string")
      : [];
    return {
      policy: typeof fallback.policy === "string" ? fallback.policy : "unknown",
      list,
    };
  }
  return { policy: "allow-all", list: [] };
}
