/**
 * Reads what the loader needs from a WebAssembly binary without compiling
 * it: whether it is a component or a core module, and its top-level custom
 * sections (`plugin-manifest`, `component-name`).
 *
 * @module
 */
import { readU32 } from "./leb128.ts";

/** What a `\0asm` file holds. */
export type WasmKind = "component" | "core-module";

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** The kind of a binary by its preamble, or undefined when not wasm. */
export function wasmKind(bytes: Uint8Array): WasmKind | undefined {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    return undefined;
  }
  // Core modules have layer 0 (bytes 6-7), components layer 1.
  if (bytes[6] === 0 && bytes[7] === 0) return "core-module";
  if (bytes[6] === 1 && bytes[7] === 0) return "component";
  return undefined;
}

function utf8(bytes: Uint8Array, at: number): [string, number] {
  const [length, start] = readU32(bytes, at);
  const end = start + length;
  if (end > bytes.length) throw new RangeError("Name runs past its section");
  const text = new TextDecoder("utf-8", { fatal: true }).decode(
    bytes.subarray(start, end),
  );
  return [text, end];
}

/**
 * The top-level custom sections of a binary by name (the first of each
 * name wins; nested modules' sections are not visited).
 */
export function customSections(bytes: Uint8Array): Map<string, Uint8Array> {
  const sections = new Map<string, Uint8Array>();
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, start] = readU32(bytes, pos + 1);
    const end = start + size;
    if (end > bytes.length) throw new RangeError("Section runs past the end");
    if (id === 0) {
      const [name, payload] = utf8(bytes, start);
      if (!sections.has(name)) sections.set(name, bytes.subarray(payload, end));
    }
    pos = end;
  }
  return sections;
}

/** The component's own name from a `component-name` section payload. */
export function componentName(payload: Uint8Array): string | undefined {
  // Subsection 0 holds the component name: id, size, then the name.
  if (payload[0] !== 0) return undefined;
  const [, start] = readU32(payload, 1);
  return utf8(payload, start)[0];
}
