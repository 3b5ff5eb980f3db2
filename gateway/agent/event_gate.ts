/**
 * Holds a run's events until the request that started it has been answered,
 * so a client always reads the response carrying the `runId` before the
 * run's first event, even when the run finishes first.
 *
 * @module
 */
import type { BroadcastOptions, EventSink } from "../protocol/types.ts";

/** An {@linkcode EventSink} that queues until {@linkcode EventGate.release}. */
export class EventGate implements EventSink {
  readonly #sink: EventSink;
  #held: [string, unknown, BroadcastOptions | undefined][] | null = [];

  constructor(sink: EventSink) {
    this.#sink = sink;
  }

  broadcast(event: string, payload: unknown, options?: BroadcastOptions): void {
    if (this.#held === null) this.#sink.broadcast(event, payload, options);
    else this.#held.push([event, payload, options]);
  }

  /** Sends what was held, in order; later events pass straight through. */
  release(): void {
    const held = this.#held;
    this.#held = null;
    for (const [event, payload, options] of held ?? []) {
      this.#sink.broadcast(event, payload, options);
    }
  }
}
