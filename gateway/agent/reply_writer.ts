/**
 * Stores a streaming assistant reply as it arrives: while text streams, the
 * row is written (appended with `incomplete: true`, then rewritten) at most
 * once per `flushIntervalMs`, and the final text is written complete at the
 * end. A reply that finishes within one interval costs a single write; a
 * crash mid-stream leaves the text of the last flush, still marked
 * incomplete. `flushIntervalMs: 0` writes on every delta.
 *
 * @module
 */
import type { MessageStore } from "../state/mod.ts";

/** Options of {@linkcode ReplyWriter}. */
export interface ReplyWriterOptions {
  sessionId: string;
  /** Least time between two writes while streaming, in ms. */
  flushIntervalMs: number;
}

/** The stored row of one streamed reply. */
export class ReplyWriter {
  readonly #messages: MessageStore;
  readonly #options: ReplyWriterOptions;
  #id: string | undefined;
  #text = "";
  #written = "";
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(messages: MessageStore, options: ReplyWriterOptions) {
    this.#messages = messages;
    this.#options = options;
  }

  /** The text so far. */
  get text(): string {
    return this.#text;
  }

  /** Adds a delta; schedules (or, with a 0 interval, does) a write. */
  add(delta: string): void {
    this.#text += delta;
    if (this.#options.flushIntervalMs <= 0) return this.#write(true);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#write(true);
    }, this.#options.flushIntervalMs);
  }

  /** Writes the final text; `complete: false` keeps it marked cut off. */
  finish(complete: boolean): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#text === "" && this.#id === undefined) return;
    if (complete || this.#written !== this.#text) this.#write(!complete);
  }

  #write(incomplete: boolean): void {
    const text = this.#text;
    if (this.#id === undefined) {
      this.#id = this.#messages.append({
        sessionId: this.#options.sessionId,
        role: "assistant",
        content: text,
        incomplete,
      }).id;
    } else this.#messages.updateContent(this.#id, text, { incomplete });
    this.#written = text;
  }
}
