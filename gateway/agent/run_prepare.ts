/**
 * Everything a run needs, checked before the run is accepted: the agent, the
 * session (created when missing, refused when archived), the model and its
 * provider. Nothing is stored when a check fails, except a new session.
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { Provider } from "../providers/types.ts";
import type { Session } from "../state/mod.ts";
import { type AgentProfile, agentProfile } from "./agent_profile.ts";
import { selectModel } from "./model_selection.ts";
import type { AgentRunsDeps } from "./runs.ts";
import type { RunRequest } from "./types.ts";

/** The largest message a run accepts, in characters. */
export const MAX_RUN_MESSAGE_CHARS = 1_000_000;

/** A run ready to execute. */
export interface PreparedRun {
  request: RunRequest;
  profile: AgentProfile;
  session: Session;
  provider: Provider;
  /** The provider-native model id. */
  model: string;
  /** The canonical `provider:model`. */
  modelRef: string;
  maxTurns: number;
  timeoutSeconds: number;
}

function metaString(session: Session | undefined, key: string) {
  const value = session?.metadata[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function invalid(message: string): ProtocolError {
  return new ProtocolError("invalid_request", message);
}

function checkRequest(request: RunRequest): void {
  if (request.message.length > MAX_RUN_MESSAGE_CHARS) {
    throw invalid(
      `Cannot start a run: the message has ${request.message.length} characters; the limit is ${MAX_RUN_MESSAGE_CHARS}`,
    );
  }
  if (request.route !== undefined && request.model !== undefined) {
    throw invalid(
      `Cannot start a run: both route "${request.route}" and model "${request.model}" were given; pass only one`,
    );
  }
}

function createSession(
  deps: Pick<AgentRunsDeps, "state">,
  input: { sessionKey: string; agentId: string },
): Session {
  const sessions = deps.state.sessions;
  try {
    return sessions.create({
      sessionKey: input.sessionKey,
      metadata: { agent_id: input.agentId },
    });
  } catch (error) {
    const raced = sessions.getByKey(input.sessionKey);
    if (raced !== undefined) return raced;
    if (error instanceof CaraError) throw invalid(error.message);
    throw error;
  }
}

/**
 * Checks and resolves a run request.
 *
 * @throws {ProtocolError} `invalid_request`, `unknown_route`,
 *   `missing_model` or `provider_not_configured`
 */
export function prepareRun(
  request: RunRequest,
  deps: Pick<AgentRunsDeps, "config" | "state" | "providers">,
): PreparedRun {
  checkRequest(request);
  const config = deps.config();
  const sessions = deps.state.sessions;
  const existing = sessions.getByKey(request.sessionKey);
  if (existing?.status === "archived") {
    throw invalid(
      `Cannot run in session "${request.sessionKey}": it is archived; restore it with sessions.restore first`,
    );
  }
  const agentId = request.agentId ?? metaString(existing, "agent_id");
  const profile = agentProfile(config, agentId);
  const { provider, model, ref } = selectModel(config, deps.providers, {
    request: { route: request.route, model: request.model },
    session: {
      route: metaString(existing, "route"),
      model: metaString(existing, "model"),
    },
    agent: { route: profile.route, model: profile.model },
  });
  const session = existing ?? createSession(deps, {
    sessionKey: request.sessionKey,
    agentId: profile.id,
  });
  return {
    request,
    profile,
    session,
    provider,
    model,
    modelRef: ref,
    maxTurns: request.maxTurns ?? profile.maxTurns,
    timeoutSeconds: request.timeoutSeconds ?? profile.timeoutSeconds,
  };
}
