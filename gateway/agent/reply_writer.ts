/**
 * Stores a streaming assistant reply as it arrives: the row is appended at
 * the first delta with `incomplete: true`, rewritten at most every
 * `flushIntervalMs` while text streams, and marked complete at the end. A
 * crash mid-stream leaves the text flushed so far, still marked incomplete.
 *
 * @module
 */
import type { MessageStore } from "../state/mod.ts";

/** Options of {@linkcode ReplyWriter}. */
export interface ReplyWriterOptions {
  sessionId: string;
  /** Least time between two rewrites, in ms. */
  flushIntervalMs: number;
  now?: () => number;
}

/** The stored row of one streamed reply. */
export class ReplyWriter {
  readonly #messages: MessageStore;
  readonly #options: ReplyWriterOptions;
  readonly #now: () => number;
  #id: string | undefined;
  #text = "";
  #flushedAt = 0;
  #dirty = false;

  constructor(messages: MessageStore, options: ReplyWriterOptions) {
    this.#messages = messages;
    this.#options = options;
    this.#now = options.now ?? performance.now.bind(performance);
  }

  /** The text so far. */
  get text(): string {
    return this.#text;
  }

  /** Adds a delta (appends the row on the first one). */
  add(delta: string): void {
    this.#text += delta;
    if (this.#id === undefined) {
      this.#id = this.#messages.append({
        sessionId: this.#options.sessionId,
        role: "assistant",
        content: this.#text,
        incomplete: true,
      }).id;
      this.#flushedAt = this.#now();
      return;
    }
    this.#dirty = true;
    if (this.#now() - this.#flushedAt >= this.#options.flushIntervalMs) {
      this.#write(true);
    }
  }

  /** Writes the final text; `complete: false` keeps it marked cut off. */
  finish(complete: boolean): void {
    if (this.#id === undefined) return;
    if (this.#dirty || complete) this.#write(!complete);
  }

  #write(incomplete: boolean): void {
    if (this.#id === undefined) return;
    this.#messages.updateContent(this.#id, this.#text, { incomplete });
    this.#flushedAt = this.#now();
    this.#dirty = false;
  }
}
