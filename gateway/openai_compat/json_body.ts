/**
 * Reads a JSON request body under a byte cap without trusting
 * `Content-Length`: a declared size over the cap is refused before reading, a
 * chunked body as soon as it grows past the cap.
 *
 * @module
 */

/** Why a body was refused: 413 too large, 400 not a JSON object. */
export interface BodyProblem {
  status: 400 | 413;
  message: string;
}

/** A JSON object body, or the problem with it. */
export type JsonBody =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; problem: BodyProblem };

/**
 * Reads `request`'s body as a JSON object of at most `maxBytes` bytes.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(c.req.raw, 4 * 1024 * 1024);
 * if (!body.ok) return c.json({ error: body.problem.message }, body.problem.status);
 * ```
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
): Promise<JsonBody> {
  const tooLarge: JsonBody = {
    ok: false,
    problem: {
      status: 413,
      message:
        `Request body too large: the limit is ${maxBytes} bytes; send a smaller body`,
    },
  };
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body !== null) {
    const reader = request.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooLarge;
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    return {
      ok: false,
      problem: {
        status: 400,
        message: `Cannot parse the request body: ${
          error instanceof Error ? error.message : String(error)
        }; send a JSON object`,
      },
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      problem: {
        status: 400,
        message: "Cannot use the request body: expected a JSON object",
      },
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
