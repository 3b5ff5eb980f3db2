/**
 * Step (c) of the connect order (protocol.md §5): the shared token or
 * password a client presents against the gateway's own.
 *
 * @module
 */
import type { AuthMethod } from "../protocol/types.ts";
import { secretsEqual } from "./secret_compare.ts";
import type { ServerCredentials } from "./server_credentials.ts";

/** The outcome: the method that succeeded, or the refusal reason. */
export type CredentialCheck =
  | { ok: true; method: AuthMethod }
  | { ok: false; reason: string };

function presented(value: string | undefined): string | null {
  return value !== undefined && value.trim() !== "" ? value : null;
}

/**
 * Compares presented credentials with the server's (constant time).
 *
 * @example
 * ```ts
 * checkCredentials(creds, params.auth); // { ok: false, reason: "unauthorized: token missing" }
 * ```
 */
export function checkCredentials(
  server: ServerCredentials,
  auth: { token?: string; password?: string } | undefined,
): CredentialCheck {
  if (server.mode === "none") return { ok: false, reason: "unauthorized" };
  const kind = server.mode;
  const expected = kind === "token" ? server.token : server.password;
  if (expected === null) {
    return {
      ok: false,
      reason:
        `unauthorized: gateway ${kind} not configured on gateway (set gateway.auth.${kind})`,
    };
  }
  const given = presented(kind === "token" ? auth?.token : auth?.password);
  if (given === null) {
    return { ok: false, reason: `unauthorized: ${kind} missing` };
  }
  return secretsEqual(given, expected)
    ? { ok: true, method: kind }
    : { ok: false, reason: `unauthorized: ${kind} mismatch` };
}
