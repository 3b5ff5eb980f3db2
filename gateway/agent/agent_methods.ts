/**
 * WS methods that start and follow turns: `agent`, `agent.wait`,
 * `chat.send`, `chat.abort`, `chat.history` (protocol.md §7). Their `agent`
 * and `chat` events come from the run service. Without a session key,
 * `agent` and `chat.send` use the connection's `sessions.switch` default.
 *
 * @module
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { MethodContext, MethodDefinition } from "../protocol/types.ts";
import type { SessionStore } from "../state/mod.ts";
import { agentProfile } from "./agent_profile.ts";
import { asProtocolError, MethodParams } from "./method_params.ts";
import { MAX_RUN_MESSAGE_CHARS } from "./run_prepare.ts";
import { type AgentRunService, RunWaitTimeout } from "./runs.ts";
import type { CaraConfig } from "../config/schema.ts";
import type { RunHandle, RunRequest } from "./types.ts";

/** Collaborators of {@linkcode agentMethods}. */
export interface AgentMethodsDeps {
  runs: AgentRunService;
  sessions: SessionStore;
  config: () => CaraConfig;
  /** Each connection's `sessions.switch` default (gateway/sessions). */
  defaultSessions?: { get(connId: string): string | undefined };
}

/** The longest `agent.wait` timeout, ms. */
export const MAX_WAIT_MS = 10 * 60_000;

function runRequest(
  p: MethodParams,
  options: { config: CaraConfig; switched: string | undefined },
): RunRequest {
  const agentId = p.optionalText("agentId", 128);
  const request: RunRequest = {
    message: p.text("message", MAX_RUN_MESSAGE_CHARS),
    sessionKey: p.optionalText(["sessionKey", "key"]) ?? options.switched ??
      `${agentProfile(options.config, agentId).id}:default:default`,
    source: "ws",
  };
  const optional = {
    agentId,
    route: p.optionalText("route", 128),
    model: p.optionalText("model", 256),
    system: p.optionalText("system", 100_000),
    idempotencyKey: p.optionalText("idempotencyKey", 256),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(request, { [key]: value });
  }
  if (request.route !== undefined && request.model !== undefined) {
    throw p.bad("pass route or model, not both");
  }
  return request;
}

/**
 * The methods, each with its protocol.md §6 scope.
 *
 * @example
 * ```ts
 * registry.register(agentMethods({ runs, sessions: state.sessions, config }));
 * ```
 */
export function agentMethods(deps: AgentMethodsDeps): MethodDefinition[] {
  const { runs, sessions } = deps;
  // The run's events wait for this method's response, when there is one.
  async function startAnswered(
    request: RunRequest,
    afterReply: MethodContext["afterReply"],
  ): Promise<RunHandle> {
    const handle = await runs.start(request, {
      holdEvents: afterReply !== undefined,
    });
    if (handle.release !== undefined) afterReply?.(handle.release);
    return handle;
  }
  const requestOf = (p: MethodParams, connId: string) =>
    runRequest(p, {
      config: deps.config(),
      switched: deps.defaultSessions?.get(connId),
    });
  return [{
    name: "agent",
    scope: "operator.write",
    async handler({ params, conn, afterReply }) {
      const p = new MethodParams("agent", params);
      p.text("idempotencyKey", 256);
      const streaming = p.flag("stream") ?? true;
      p.flag("deliver");
      const handle = await startAnswered(
        requestOf(p, conn.connId),
        afterReply,
      );
      if (handle.duplicate) {
        return {
          runId: handle.runId,
          status: handle.status,
          sessionKey: handle.sessionKey,
          duplicate: true,
          streaming,
        };
      }
      return {
        runId: handle.runId,
        status: "accepted",
        message: "Agent run accepted",
        sessionKey: handle.sessionKey,
        streaming,
      };
    },
  }, {
    name: "agent.wait",
    scope: "operator.write",
    async handler({ params, signal }) {
      const p = new MethodParams("agent.wait", params);
      const runId = p.text("runId", 128);
      const timeoutMs = p.int("timeoutMs", { min: 1, max: MAX_WAIT_MS }) ??
        30_000;
      try {
        return await runs.wait(runId, { timeoutMs, signal });
      } catch (error) {
        if (error instanceof RunWaitTimeout) {
          return { runId, status: "timeout" };
        }
        throw error;
      }
    },
  }, {
    name: "chat.send",
    scope: "operator.write",
    async handler({ params, conn, afterReply }) {
      const p = new MethodParams("chat.send", params);
      p.text("idempotencyKey", 256);
      const streaming = p.flag("stream") ?? true;
      const request = requestOf(p, conn.connId);
      const sessionId = p.optionalText("sessionId", 128);
      if (sessionId !== undefined) {
        const session = sessions.get(sessionId);
        if (session === undefined) {
          throw p.bad(`no session with id "${sessionId}"`);
        }
        request.sessionKey = session.sessionKey;
      }
      if (p.flag("triggerAgent") !== false) {
        try {
          const handle = await startAnswered(request, afterReply);
          return {
            runId: handle.runId,
            messageId: handle.messageId ?? null,
            status: handle.status,
            sessionKey: handle.sessionKey,
            agentTriggered: true,
            streaming,
            ...(handle.duplicate ? { duplicate: true } : {}),
          };
        } catch (error) {
          const noProvider = error instanceof ProtocolError &&
            (error.code === "provider_not_configured" ||
              error.code === "missing_model");
          if (!noProvider) throw error;
        }
      }
      const message = asProtocolError(() => {
        const session = sessions.getByKey(request.sessionKey) ??
          sessions.create({ sessionKey: request.sessionKey });
        return sessions.messages.append({
          sessionId: session.id,
          role: "user",
          content: request.message,
        });
      });
      return {
        runId: null,
        messageId: message.id,
        status: "queued",
        sessionKey: request.sessionKey,
        agentTriggered: false,
        streaming: false,
      };
    },
  }, {
    name: "chat.abort",
    scope: "operator.write",
    handler({ params }) {
      const p = new MethodParams("chat.abort", params);
      const runId = p.optionalText("runId", 128);
      const reason = p.optionalText("reason", 1024) ?? "aborted by the user";
      const sessionId = p.optionalText("sessionId", 128);
      let sessionKey = p.optionalText(["sessionKey", "key"]) ??
        (sessionId === undefined
          ? undefined
          : sessions.get(sessionId)?.sessionKey);
      if (runId === undefined && sessionKey === undefined) {
        throw p.bad("give runId, sessionKey or sessionId");
      }
      sessionKey ??= runs.get(runId!)?.sessionKey;
      const candidates = runId !== undefined
        ? [runId]
        : runs.activeRuns(sessionKey!);
      const runIds = candidates.filter((id) => runs.abort(id, reason));
      return {
        ok: true,
        aborted: runIds.length > 0,
        sessionKey: sessionKey ?? null,
        runIds,
        reason,
      };
    },
  }, {
    name: "chat.history",
    scope: "operator.read",
    handler({ params }) {
      const p = new MethodParams("chat.history", params);
      const sessionKey = p.text(["sessionKey", "key"]);
      const limit = p.int("limit", { min: 1, max: 1000 }) ?? 100;
      const beforeSeq = p.int("beforeSeq", {
        min: 1,
        max: Number.MAX_SAFE_INTEGER,
      });
      const session = sessions.getByKey(sessionKey);
      if (session === undefined) {
        return { sessionKey, messages: [], hasMore: false };
      }
      const messages = sessions.messages.list(session.id, {
        limit,
        ...(beforeSeq === undefined ? {} : { beforeSeq }),
      });
      return {
        sessionKey,
        sessionId: session.id,
        messages: messages.map((m) => ({
          id: m.id,
          seq: m.seq,
          role: m.role,
          content: m.content,
          toolCallId: m.toolCallId,
          toolName: m.toolName,
          incomplete: m.incomplete,
          createdAt: m.createdAt,
        })),
        hasMore: (messages[0]?.seq ?? 1) > 1,
      };
    },
  }];
}
