/**
 * Verifies the signed `device` block of `connect` (protocol.md §4): key and
 * id, clock skew, nonce rules and the Ed25519 signature over the exact v1/v2
 * string.
 *
 * @module
 */
import { decodeBase64Loose, encodeBase64Url } from "../protocol/base64url.ts";
import { deviceIdOf, signedPayload } from "../protocol/device_signature.ts";
import { ConnectRefused } from "../protocol/errors.ts";
import type { ConnectParams } from "../protocol/types.ts";

/** Largest allowed `|signedAt - now|` in ms. */
export const SIGNATURE_SKEW_MS = 600_000;

/** A device whose signature checked out. */
export interface VerifiedDevice {
  deviceId: string;
  /** The raw public key as base64url without padding (normalised form). */
  publicKey: string;
}

/** Options of {@linkcode verifyDeviceProof}. */
export interface VerifyDeviceOptions {
  /** The nonce of this connection's `connect.challenge`. */
  nonce: string;
  localDirect: boolean;
  nowMs: number;
  /** Reuses imported keys across connects (default: none kept). */
  keys?: DeviceKeyCache;
}

function refuse(message: string): ConnectRefused {
  return new ConnectRefused("invalid_request", message);
}

type NodeCrypto = typeof import("node:crypto");
let nodeCrypto: Promise<NodeCrypto> | undefined;

/**
 * Imported keys and device ids of recently seen public keys: both are pure
 * functions of the key, and importing plus hashing costs a tenth of a
 * handshake. Bounded; the oldest entry goes first.
 *
 * Verification goes through node:crypto's synchronous Ed25519 verify: it is
 * about half the cost of WebCrypto's and needs no trip through the event
 * loop, which matters on the connect path. The module loads on first use.
 */
export class DeviceKeyCache {
  #entries = new Map<string, DeviceKey>();
  #max: number;

  constructor(max = 256) {
    this.#max = max;
  }

  /**
   * The verify key and device id of a public key as the client sent it
   * (base64url or base64 of 32 bytes); `null` when it is not one.
   */
  async get(text: string): Promise<DeviceKey | null> {
    const hit = this.#entries.get(text);
    if (hit !== undefined) return hit;
    const publicKey = text.length <= 128 ? decodeBase64Loose(text) : null;
    if (publicKey === null || publicKey.length !== 32) return null;
    const id = encodeBase64Url(publicKey);
    const crypto = await (nodeCrypto ??= import("node:crypto"));
    const key = crypto.createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: id },
      format: "jwk",
    });
    const entry: DeviceKey = {
      publicKey: id,
      verify: (signature, message) => {
        try {
          return crypto.verify(null, message, key, signature);
        } catch {
          return false;
        }
      },
      deviceId: await deviceIdOf(publicKey as Uint8Array<ArrayBuffer>),
    };
    if (this.#entries.size >= this.#max) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(text, entry);
    return entry;
  }
}

/** A device public key ready to check signatures, and the id it gives. */
export interface DeviceKey {
  /** The raw key as base64url without padding (normalised form). */
  publicKey: string;
  /** Whether `signature` is a valid Ed25519 signature of `message`. */
  verify(signature: Uint8Array, message: Uint8Array): boolean;
  deviceId: string;
}

/**
 * Checks `params.device` and returns the verified identity.
 *
 * @throws {ConnectRefused} `invalid_request` (close 1008) with one of
 *   `device public key invalid`, `device identity mismatch`,
 *   `device signature expired`, `device nonce required`,
 *   `device nonce mismatch`, `device signature invalid`
 * @example
 * ```ts
 * const device = await verifyDeviceProof(params, { nonce, localDirect, nowMs: Date.now() });
 * ```
 */
export async function verifyDeviceProof(
  params: ConnectParams,
  options: VerifyDeviceOptions,
): Promise<VerifiedDevice> {
  const proof = params.device;
  if (proof === undefined) throw refuse("device identity required");
  let known: DeviceKey | null;
  try {
    known = typeof proof.publicKey === "string"
      ? await (options.keys ?? new DeviceKeyCache(1)).get(proof.publicKey)
      : null;
  } catch {
    known = null;
  }
  if (known === null) throw refuse("device public key invalid");
  const deviceId = known.deviceId;
  if (proof.id !== deviceId) throw refuse("device identity mismatch");
  if (
    !Number.isSafeInteger(proof.signedAt) ||
    Math.abs(proof.signedAt - options.nowMs) > SIGNATURE_SKEW_MS
  ) {
    throw refuse("device signature expired");
  }
  const nonce = proof.nonce === undefined || proof.nonce === ""
    ? undefined
    : proof.nonce;
  if (nonce === undefined && !options.localDirect) {
    throw refuse("device nonce required");
  }
  if (nonce !== undefined && nonce !== options.nonce) {
    throw refuse("device nonce mismatch");
  }
  const signature = typeof proof.signature === "string" &&
      proof.signature.length <= 128
    ? decodeBase64Loose(proof.signature)
    : null;
  const message = signedPayload({
    deviceId,
    clientId: params.client.id,
    clientMode: params.client.mode,
    role: params.role,
    scopes: params.scopes,
    signedAtMs: proof.signedAt,
    token: params.auth?.token,
    nonce,
  });
  if (
    signature === null || signature.length !== 64 ||
    !known.verify(signature, new TextEncoder().encode(message))
  ) {
    throw refuse("device signature invalid");
  }
  return { deviceId, publicKey: known.publicKey };
}
