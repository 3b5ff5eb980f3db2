/**
 * Emits one run's `agent` and `chat` events (protocol.md §8) with a `seq`
 * per run and stream. Both go to connections holding `operator.read`: §8
 * does not gate them, but they carry conversation text, which a node-role
 * connection (no operator scopes) has no business reading.
 *
 * @module
 */
import type { EventSink } from "../protocol/types.ts";
import type { AgentEventPayload, ChatEventPayload } from "./types.ts";

/** The scope `agent` and `chat` events are delivered under. */
export const RUN_EVENT_SCOPE = "operator.read";

/** The events of one run. */
export class RunEvents {
  readonly #sink: EventSink;
  readonly #runId: string;
  readonly #sessionKey: string;
  readonly #now: () => number;
  #agentSeq = 0;
  #chatSeq = 0;

  constructor(
    sink: EventSink,
    run: { runId: string; sessionKey: string; now?: () => number },
  ) {
    this.#sink = sink;
    this.#runId = run.runId;
    this.#sessionKey = run.sessionKey;
    this.#now = run.now ?? Date.now;
  }

  /** An `agent` event on `stream`. */
  agent(
    stream: AgentEventPayload["stream"],
    data: Record<string, unknown>,
  ): void {
    const payload: AgentEventPayload = {
      runId: this.#runId,
      seq: ++this.#agentSeq,
      stream,
      ts: this.#now(),
      data,
    };
    this.#sink.broadcast("agent", payload, { scope: RUN_EVENT_SCOPE });
  }

  /** A `chat` event; `fields` adds message/errorMessage/usage/stopReason. */
  chat(
    state: ChatEventPayload["state"],
    fields: Omit<ChatEventPayload, "runId" | "sessionKey" | "seq" | "state">,
  ): void {
    const payload: ChatEventPayload = {
      runId: this.#runId,
      sessionKey: this.#sessionKey,
      seq: ++this.#chatSeq,
      state,
      ...fields,
    };
    this.#sink.broadcast("chat", payload, { scope: RUN_EVENT_SCOPE });
  }

  /** A streamed text delta on both streams. */
  text(delta: string): void {
    this.agent("text", { delta });
    this.chat("delta", { message: delta });
  }

  /** The error on both streams. */
  error(message: string): void {
    this.agent("error", { message });
    this.chat("error", { errorMessage: message });
  }
}
