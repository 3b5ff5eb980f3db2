/**
 * Caps the linear memory of a core WebAssembly module before it is compiled
 * (sandbox layer "memory"): every memory the module defines gets a maximum of
 * at most `maxPages` 64 KiB pages, so `memory.grow` past the cap returns -1
 * inside the plugin instead of taking gateway memory. Imported memories come
 * from sibling core modules of the same component, which are patched too.
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";
import { readU32, writeU32 } from "../loader/leb128.ts";

/** 64 MiB in 64 KiB pages: the per-instance memory limit of plugins.md §8. */
export const DEFAULT_MAX_MEMORY_PAGES = 1024;

const MEMORY_SECTION = 5;

function refuse(message: string): never {
  throw new CaraError(
    "plugin_memory_refused",
    `Cannot load the plugin: ${message}`,
  );
}

/** Rewrites one memory section body with every maximum capped. */
function capMemories(body: Uint8Array, maxPages: number): number[] {
  let [count, pos] = readU32(body, 0);
  const out = writeU32(count);
  for (; count > 0; count--) {
    const flags = body[pos++] ?? refuse("its memory section is truncated");
    if (flags & 0x04) refuse("it uses 64-bit memory, which is not supported");
    const [min, afterMin] = readU32(body, pos);
    pos = afterMin;
    let max = maxPages;
    if (flags & 0x01) [max, pos] = readU32(body, pos);
    if (min > maxPages) {
      refuse(
        `it needs ${min} pages of memory at start, the limit is ${maxPages}`,
      );
    }
    out.push(
      flags | 0x01,
      ...writeU32(min),
      ...writeU32(Math.min(max, maxPages)),
    );
  }
  return out;
}

/**
 * Returns a copy of a core module whose memories grow to at most `maxPages`.
 *
 * @throws {CaraError} when a memory starts above the cap or is 64-bit
 * @example
 * ```ts
 * const module = await WebAssembly.compile(limitMemory(bytes));
 * ```
 */
export function limitMemory(
  bytes: Uint8Array,
  maxPages = DEFAULT_MAX_MEMORY_PAGES,
): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos] ?? 0;
    const [size, bodyStart] = readU32(bytes, pos + 1);
    const end = bodyStart + size;
    if (end > bytes.length) refuse("a section runs past the end of the file");
    if (id === MEMORY_SECTION) {
      const body = capMemories(bytes.subarray(bodyStart, end), maxPages);
      chunks.push(new Uint8Array([id, ...writeU32(body.length), ...body]));
    } else {
      chunks.push(bytes.subarray(pos, end));
    }
    pos = end;
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
