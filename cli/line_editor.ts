/**
 * A small line editor for the chat REPL: cursor movement, editing keys and
 * history recall with the up/down arrows. Pure logic: it turns key bytes into
 * an edited line plus the terminal output that shows it; cli/chat.ts feeds it
 * raw-mode stdin.
 *
 * @module
 */

/** What feeding a chunk of input produced. */
export interface EditResult {
  /** Text to write to the terminal (redraws, newlines). */
  output: string;
  /** A finished line (Enter), `""` after Ctrl-C, `null` on Ctrl-D at an empty line. */
  done?: string | null;
}

const MAX_HISTORY = 500;
const MAX_LINE = 64 * 1024;

/** An editable line with history; one instance per REPL. */
export class LineEditor {
  #history: string[] = [];
  #prompt: string;
  #chars: string[] = [];
  #cursor = 0;
  /** Index into history while browsing; `history.length` = the line being typed. */
  #browse = 0;
  #draft: string[] = [];
  #pending = "";

  constructor(prompt: string) {
    this.#prompt = prompt;
  }

  /** The line as typed so far. */
  get line(): string {
    return this.#chars.join("");
  }

  /** Starts a new line (after a finished one). */
  reset(): void {
    this.#chars = [];
    this.#cursor = 0;
    this.#browse = this.#history.length;
  }

  /** Adds a line to the history (blank lines and repeats of the last are skipped). */
  remember(line: string): void {
    if (line.trim() === "" || this.#history.at(-1) === line) return;
    this.#history.push(line);
    if (this.#history.length > MAX_HISTORY) this.#history.shift();
    this.#browse = this.#history.length;
  }

  /** Feeds input text; stops at the first finished line (the rest is kept). */
  feed(text: string): EditResult {
    let input = this.#pending + text;
    this.#pending = "";
    let output = "";
    while (input.length > 0) {
      const key = nextKey(input);
      if (key === null) {
        this.#pending = input; // an escape sequence split across reads
        break;
      }
      input = input.slice(key.length);
      const step = this.#apply(key);
      output += step.output;
      if (step.done !== undefined) {
        this.#pending = input;
        return { output, done: step.done };
      }
    }
    return { output };
  }

  #apply(key: string): EditResult {
    switch (key) {
      case "\r":
      case "\n": {
        const line = this.line;
        return { output: "\r\n", done: line };
      }
      case "\x03": // Ctrl-C abandons the line
        return { output: "^C\r\n", done: "" };
      case "\x04": // Ctrl-D: end of input at an empty line, else delete
        if (this.#chars.length === 0) return { output: "\r\n", done: null };
        return this.#edit(() => this.#chars.splice(this.#cursor, 1));
      case "\x7f":
      case "\b":
        return this.#edit(() => {
          if (this.#cursor > 0) this.#chars.splice(--this.#cursor, 1);
        });
      case "\x1b[3~":
        return this.#edit(() => this.#chars.splice(this.#cursor, 1));
      case "\x1b[D":
      case "\x02":
        return this.#edit(() => this.#cursor = Math.max(0, this.#cursor - 1));
      case "\x1b[C":
      case "\x06":
        return this.#edit(() =>
          this.#cursor = Math.min(this.#chars.length, this.#cursor + 1)
        );
      case "\x1b[H":
      case "\x1bOH":
      case "\x1b[1~":
      case "\x01":
        return this.#edit(() => this.#cursor = 0);
      case "\x1b[F":
      case "\x1bOF":
      case "\x1b[4~":
      case "\x05":
        return this.#edit(() => this.#cursor = this.#chars.length);
      case "\x15": // Ctrl-U: delete to the start
        return this.#edit(() => {
          this.#chars.splice(0, this.#cursor);
          this.#cursor = 0;
        });
      case "\x0b": // Ctrl-K: delete to the end
        return this.#edit(() => this.#chars.splice(this.#cursor));
      case "\x1b[A":
      case "\x10":
        return this.#edit(() => this.#recall(-1));
      case "\x1b[B":
      case "\x0e":
        return this.#edit(() => this.#recall(1));
      default:
        if (key.startsWith("\x1b") || key < " ") return { output: "" }; // unknown control: ignored
        return this.#edit(() => {
          if (this.#chars.length >= MAX_LINE) return;
          this.#chars.splice(this.#cursor++, 0, key);
        });
    }
  }

  #recall(direction: -1 | 1): void {
    const next = this.#browse + direction;
    if (next < 0 || next > this.#history.length) return;
    if (this.#browse === this.#history.length) this.#draft = [...this.#chars];
    this.#browse = next;
    this.#chars = next === this.#history.length
      ? [...this.#draft]
      : [...this.#history[next]!];
    this.#cursor = this.#chars.length;
  }

  #edit(change: () => unknown): EditResult {
    change();
    const back = this.#chars.length - this.#cursor;
    return {
      output: `\r${this.#prompt}${this.line}\x1b[K${
        back > 0 ? `\x1b[${back}D` : ""
      }`,
    };
  }
}

// deno-lint-ignore no-control-regex -- terminal escape sequences start with ESC
const CSI_COMPLETE = /^\x1b[[O][0-9;]*[A-Za-z~]/;
// deno-lint-ignore no-control-regex -- terminal escape sequences start with ESC
const CSI_PARTIAL = /^\x1b[[O][0-9;]*$/;

/** The next key in `input` (one character or one escape sequence); `null` if cut short. */
function nextKey(input: string): string | null {
  if (input[0] !== "\x1b") return String.fromCodePoint(input.codePointAt(0)!);
  if (input.length === 1) return null;
  if (input[1] === "[" || input[1] === "O") {
    const match = CSI_COMPLETE.exec(input);
    if (match) return match[0];
    return CSI_PARTIAL.test(input) ? null : input.slice(0, 2);
  }
  return input.slice(0, 2);
}
