/**
 * Reads a provider key piped to `cara setup --key-stdin`, so it never
 * appears in argv or shell history.
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";

/** Largest key accepted on stdin. */
export const MAX_KEY_BYTES = 16 * 1024;

/**
 * Reads all of `stream` (at most {@linkcode MAX_KEY_BYTES}) as one key,
 * trimmed of surrounding whitespace.
 *
 * @throws {CaraError} `invalid_key` when empty, too large or not one line
 * @example
 * ```ts
 * const key = await readKeyFrom(Deno.stdin.readable);
 * ```
 */
export async function readKeyFrom(
  stream: ReadableStream<Uint8Array>,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_KEY_BYTES) {
      throw new CaraError(
        "invalid_key",
        `Cannot read the key from stdin: it is larger than ${MAX_KEY_BYTES} bytes; pipe only the key`,
      );
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
    chunk.fill(0);
  }
  const key = new TextDecoder().decode(bytes).trim();
  bytes.fill(0);
  if (key === "") {
    throw new CaraError(
      "invalid_key",
      `Cannot read the key from stdin: it is empty; pipe it in, e.g. printf '%s' "$KEY" | cara setup … --key-stdin`,
    );
  }
  if (/[\s\p{Cc}]/u.test(key)) {
    throw new CaraError(
      "invalid_key",
      "Cannot read the key from stdin: it contains spaces, line breaks or control characters; pipe only the key",
    );
  }
  return key;
}
