/**
 * Measures the nesting depth of JSON text with one linear scan and no
 * recursion, so hostile input cannot exhaust the stack or build a deep value.
 *
 * @module
 */

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether the brackets of `text` nest deeper than `maxDepth` (the outermost
 * object or array is depth 1). Brackets inside strings do not count.
 *
 * @example
 * ```ts
 * exceedsJsonDepth('{"a":[1]}', 1); // true
 * exceedsJsonDepth('{"a":"[[["}', 1); // false
 * ```
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}
