/**
 * Keeps an audit event's data within its byte budget by shortening the
 * longest strings, marking each cut with `…[truncated]`.
 *
 * @module
 */
import { byteLength, type JsonObject, type JsonValue } from "./json.ts";

/** The most bytes an event's serialised data may take. */
export const AUDIT_DATA_MAX_BYTES = 4096;
/** The most bytes any one string field keeps. */
export const AUDIT_TEXT_MAX_BYTES = 3072;
/** Appended to every shortened string. */
export const TRUNCATION_MARKER = "…[truncated]";

const MARKER_BYTES = byteLength(TRUNCATION_MARKER);

/** Shortens `text` to at most `maxBytes` UTF-8 bytes, marker included. */
export function truncateText(text: string, maxBytes: number): string {
  const limit = Math.max(maxBytes, MARKER_BYTES);
  const bytes = new TextEncoder().encode(text);
  if (bytes.byteLength <= limit) return text;
  let cut = limit - MARKER_BYTES;
  // Never split a multi-byte character: back off over continuation bytes.
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return new TextDecoder().decode(bytes.subarray(0, cut)) + TRUNCATION_MARKER;
}

function capStrings(value: JsonValue, maxBytes: number): JsonValue {
  if (typeof value === "string") return truncateText(value, maxBytes);
  if (Array.isArray(value)) return value.map((v) => capStrings(v, maxBytes));
  if (value !== null && typeof value === "object") {
    const out: JsonObject = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = capStrings(v, maxBytes);
    }
    return out;
  }
  return value;
}

/**
 * Serialises `data` within {@linkcode AUDIT_DATA_MAX_BYTES}: every string is
 * first capped at {@linkcode AUDIT_TEXT_MAX_BYTES}, then the longest strings
 * are cut further (the largest per-string cap that fits wins). Data whose
 * structure alone is too large is replaced by `{_truncated, original_bytes}`.
 */
export function serializeAuditData(data: JsonObject): string {
  const full = JSON.stringify(data);
  if (byteLength(full) <= AUDIT_DATA_MAX_BYTES) return full;
  // Capping a capped string again equals capping the original, so search on
  // the (much smaller) capped copy.
  const capped = capStrings(data, AUDIT_TEXT_MAX_BYTES);
  let best = JSON.stringify(capped);
  if (byteLength(best) <= AUDIT_DATA_MAX_BYTES) return best;
  const render = (cap: number) => JSON.stringify(capStrings(capped, cap));
  // Serialised size only grows with the cap, so binary-search the largest fit.
  let low = 0;
  let high = AUDIT_TEXT_MAX_BYTES;
  best = "";
  while (low <= high) {
    const cap = Math.floor((low + high) / 2);
    const candidate = render(cap);
    if (byteLength(candidate) <= AUDIT_DATA_MAX_BYTES) {
      best = candidate;
      low = cap + 1;
    } else {
      high = cap - 1;
    }
  }
  if (best !== "") return best;
  return JSON.stringify({ _truncated: true, original_bytes: byteLength(full) });
}
