/**
 * Unsigned LEB128 integers as the WebAssembly binary format writes them.
 *
 * @module
 */

/** Reads a u32 at `at`; returns `[value, position after it]`. */
export function readU32(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = bytes[pos++];
    if (byte === undefined || shift > 28) {
      throw new RangeError(`Invalid LEB128 integer at byte ${at}`);
    }
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, pos];
  }
}

/** Encodes a u32. */
export function writeU32(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    const byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}
