/**
 * `PATCH /control/config {path, value, baseHash}`: the control API may change
 * only `gateway.controlUi.enabled` and `gateway.controlUi.basePath`.
 * 403 protected or not allowed, 409 base hash missing or stale, 422 invalid
 * config, 200 `{ok, applied, hash}`.
 *
 * @module
 */
import type { Context } from "hono";
import { isRecord } from "../config/_object.ts";
import { ConfigEditError } from "../config/config_edit_error.ts";
import type { ConfigEditor } from "../config/config_editor.ts";
import { setKeyPath } from "../config/key_path.ts";
import { PROTECTED_PREFIXES } from "../config/protected.ts";

/** The only keys `PATCH /control/config` may change. */
export const CONTROL_PATCH_KEYS: readonly string[] = [
  "gateway.controlUi.enabled",
  "gateway.controlUi.basePath",
];

/** The largest accepted body: 256 KiB. */
export const MAX_CONTROL_PATCH_BYTES = 256 * 1024;

const STATUS: Record<ConfigEditError["kind"], 400 | 403 | 409 | 422 | 503> = {
  hash_required: 409,
  conflict: 409,
  protected: 403,
  not_allowed: 403,
  invalid: 422,
  rejected: 400,
  unavailable: 503,
};

/**
 * Handles one PATCH request.
 *
 * @example
 * ```ts
 * app.patch("/control/config", (c) => patchControlConfig(c, editor));
 * ```
 */
export async function patchControlConfig(
  c: Context,
  editor: ConfigEditor,
): Promise<Response> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return fail(c, 400, "Cannot read the request body: expected JSON");
  }
  if (!isRecord(body) || typeof body.path !== "string") {
    return fail(
      c,
      400,
      `Cannot patch config: expected {"path", "value", "baseHash"} with "path" a string`,
    );
  }
  const { path, value } = body;
  if (value === undefined) {
    return fail(
      c,
      400,
      `Cannot patch config "${clip(path)}": "value" is required`,
    );
  }
  try {
    checkAllowed(path);
    const result = await editor.edit({
      baseHash: typeof body.baseHash === "string" ? body.baseHash : null,
      actor: { source: "control", path },
      build: (before) => setKeyPath(before, path.split("."), value),
    });
    return c.json({ ok: true, applied: { path, value }, hash: result.hash });
  } catch (error) {
    if (!(error instanceof ConfigEditError)) throw error;
    const issues = error.details?.issues as { message: string }[] | undefined;
    const detail = issues?.[0] === undefined
      ? { kind: error.kind }
      : { kind: error.kind, reason: issues[0].message };
    return c.json(
      { ok: false, error: error.message, detail },
      STATUS[error.kind],
    );
  }
}

function checkAllowed(path: string): void {
  const touched = PROTECTED_PREFIXES.filter((prefix) =>
    path === prefix || path.startsWith(`${prefix}.`) ||
    prefix.startsWith(`${path}.`)
  );
  if (touched.length > 0) {
    throw new ConfigEditError(
      "protected",
      `Cannot patch config "${
        clip(path)
      }": it is protected config; edit the file by hand`,
    );
  }
  if (!CONTROL_PATCH_KEYS.includes(path)) {
    throw new ConfigEditError(
      "not_allowed",
      `Cannot patch config "${clip(path)}": the control API may change only ${
        CONTROL_PATCH_KEYS.map((k) => `"${k}"`).join(" and ")
      }`,
    );
  }
}

function fail(c: Context, status: 400, error: string): Response {
  return c.json({ ok: false, error }, status);
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
