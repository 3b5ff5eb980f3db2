/**
 * Makes text that came from a peer (a server's health body, an error message)
 * safe to print on a terminal.
 *
 * @module
 */

// ANSI CSI/OSC sequences, C0/C1 controls except tab and newline, bidi
// overrides, zero-width characters and the BOM can rewrite or hide what an
// operator sees on screen.
const ANSI_SEQUENCE =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
const UNSAFE_CHARS =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

/**
 * Removes escape sequences and invisible or direction-changing characters.
 *
 * @example
 * ```ts
 * stripTerminalUnsafe("ok\u001b[2J"); // "ok"
 * ```
 */
export function stripTerminalUnsafe(text: string): string {
  return text.replace(ANSI_SEQUENCE, "").replace(UNSAFE_CHARS, "");
}

/** Applies {@linkcode stripTerminalUnsafe} to every string inside a JSON value. */
export function sanitizeJson(value: unknown): unknown {
  if (typeof value === "string") return stripTerminalUnsafe(value);
  if (Array.isArray(value)) return value.map(sanitizeJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map((
        [k, v],
      ) => [stripTerminalUnsafe(k), sanitizeJson(v)]),
    );
  }
  return value;
}
