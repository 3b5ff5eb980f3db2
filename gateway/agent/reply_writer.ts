/**
 * Stores a streaming assistant reply as it arrives: while text streams, the
 * row is written (appended with `incomplete: true`, then rewritten) on the
 * ticks of a {@linkcode FlushTicker}, and the final text is written complete
 * at the end. A short reply usually costs a single write; a crash mid-stream
 * leaves the text of the last flush, still marked incomplete. Without a
 * ticker every delta is written.
 *
 * @module
 */
import type { MessageStore } from "../state/mod.ts";

/**
 * Writes the streaming replies that grew since the last tick, once every
 * `intervalMs`, with one timer for all of them; the timer stops on a tick
 * that finds nothing to write.
 */
export class FlushTicker {
  readonly intervalMs: number;
  #due = new Set<ReplyWriter>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs;
  }

  /** Writes `writer` on the next tick (at most `intervalMs` from now). */
  queue(writer: ReplyWriter): void {
    this.#due.add(writer);
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.intervalMs);
    Deno.unrefTimer(this.#timer);
  }

  /** Takes `writer` off the next tick (it writes its final text itself). */
  cancel(writer: ReplyWriter): void {
    this.#due.delete(writer);
  }

  #tick(): void {
    if (this.#due.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const due = [...this.#due];
    this.#due.clear();
    for (const writer of due) {
      try {
        writer.flush();
      } catch {
        // The disk refused an interim write: the final write reports it.
      }
    }
  }
}

/** Options of {@linkcode ReplyWriter}. */
export interface ReplyWriterOptions {
  sessionId: string;
  /** Paces interim writes; null writes every delta. */
  ticker: FlushTicker | null;
}

/** The stored row of one streamed reply. */
export class ReplyWriter {
  readonly #messages: MessageStore;
  readonly #options: ReplyWriterOptions;
  #id: string | undefined;
  #text = "";
  #written = "";

  constructor(messages: MessageStore, options: ReplyWriterOptions) {
    this.#messages = messages;
    this.#options = options;
  }

  /** The text so far. */
  get text(): string {
    return this.#text;
  }

  /** Adds a delta; queues (or, without a ticker, does) a write. */
  add(delta: string): void {
    this.#text += delta;
    if (this.#options.ticker === null) return this.#write(true);
    this.#options.ticker.queue(this);
  }

  /** Writes the text so far, still marked incomplete, if it grew. */
  flush(): void {
    if (this.#written !== this.#text) this.#write(true);
  }

  /** Writes the final text; `complete: false` keeps it marked cut off. */
  finish(complete: boolean): void {
    this.#options.ticker?.cancel(this);
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
