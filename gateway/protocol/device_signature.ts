/**
 * The exact bytes a device signs in `connect` (protocol.md §4) and a WebCrypto
 * Ed25519 signer for them. The gateway verifies against the same builder, so
 * client and server can never drift apart.
 *
 * @module
 */
import { encodeBase64Url } from "./base64url.ts";
import type { DeviceProof } from "./types.ts";

/** The fields of the signed device payload. */
export interface SignedPayloadFields {
  /** Lowercase hex SHA-256 of the raw public key. */
  deviceId: string;
  clientId: string;
  clientMode: string;
  /** Effective role (`operator` when the client sent none). */
  role: string;
  /** Effective scopes AFTER server defaulting (operators with none sign `operator.admin`). */
  scopes: readonly string[];
  signedAtMs: number;
  /** `auth.token`; a password is never signed (empty slot). */
  token?: string | undefined;
  /** The challenge nonce: present → `v2`, absent → `v1`. */
  nonce?: string | undefined;
}

/**
 * Builds the signed string: `v2|id|client|mode|role|scopes|signedAt|token|nonce`
 * with a nonce, `v1|…|token` without.
 *
 * @example
 * ```ts
 * signedPayload({ deviceId: "ab", clientId: "cli", clientMode: "cli", role: "operator",
 *   scopes: ["operator.read"], signedAtMs: 1, nonce: "n" });
 * // "v2|ab|cli|cli|operator|operator.read|1||n"
 * ```
 */
export function signedPayload(fields: SignedPayloadFields): string {
  const parts = [
    fields.deviceId,
    fields.clientId,
    fields.clientMode,
    fields.role,
    fields.scopes.join(","),
    String(Math.trunc(fields.signedAtMs)),
    fields.token ?? "",
  ];
  return fields.nonce === undefined
    ? ["v1", ...parts].join("|")
    : ["v2", ...parts, fields.nonce].join("|");
}

/** Lowercase hex SHA-256 of a raw Ed25519 public key: the device id. */
export async function deviceIdOf(
  publicKeyRaw: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    publicKeyRaw,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/**
 * Signs the payload with an Ed25519 key pair and returns the `device` block
 * of `connect` params (public key and signature base64url, no padding).
 *
 * @example
 * ```ts
 * const keys = await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"]) as CryptoKeyPair;
 * const device = await signDeviceProof(keys, { clientId: "cli", clientMode: "cli",
 *   role: "operator", scopes: ["operator.read"], signedAtMs: Date.now(), nonce });
 * ```
 */
export async function signDeviceProof(
  keys: CryptoKeyPair,
  fields: Omit<SignedPayloadFields, "deviceId">,
): Promise<DeviceProof> {
  const publicKeyRaw = new Uint8Array(
    await crypto.subtle.exportKey("raw", keys.publicKey),
  );
  const deviceId = await deviceIdOf(publicKeyRaw);
  const message = new TextEncoder().encode(
    signedPayload({ ...fields, deviceId }),
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign("Ed25519", keys.privateKey, message),
  );
  const proof: DeviceProof = {
    id: deviceId,
    publicKey: encodeBase64Url(publicKeyRaw),
    signature: encodeBase64Url(signature),
    signedAt: Math.trunc(fields.signedAtMs),
  };
  if (fields.nonce !== undefined) proof.nonce = fields.nonce;
  return proof;
}
