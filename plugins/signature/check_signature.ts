/**
 * Ed25519 signatures of plugin artifacts (plugins.md §4): the signature is
 * over the raw `.wasm` bytes (no prehash, no domain tag); `publisher_key` is
 * the hex 32-byte public key, `signature` the hex 64-byte signature. Policy
 * comes from `plugins.signature`.
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";

/** `plugins.signature` as written in config. */
export interface SignatureConfig {
  enabled?: boolean;
  requireSignature?: boolean;
  trustedPublishers?: readonly string[];
}

/** The signature fields of a manifest entry. */
export interface SignatureRecord {
  publisher_key?: string | undefined;
  signature?: string | undefined;
}

/** The outcome of an accepted check. */
export type SignatureVerdict =
  | { status: "verified"; publisherKey: string }
  | { status: "disabled" }
  /** Unsigned but `requireSignature` is false: log `warning`. */
  | { status: "unsigned"; warning: string };

/** An artifact was refused by the signature policy. */
export class SignatureError extends CaraError {
  constructor(message: string) {
    super("plugin_signature_invalid", message);
    this.name = "SignatureError";
  }
}

/**
 * Applies the signature policy to `bytes` of plugin `name`.
 *
 * @throws {SignatureError} unsigned when required, untrusted publisher, malformed or wrong signature
 * @example
 * ```ts
 * await checkSignature("weather", wasm, { publisher_key, signature }, config.plugins.signature);
 * ```
 */
export async function checkSignature(
  name: string,
  bytes: Uint8Array,
  record: SignatureRecord,
  config: SignatureConfig = {},
): Promise<SignatureVerdict> {
  if (config.enabled === false) return { status: "disabled" };
  const key = record.publisher_key?.trim() ?? "";
  const signature = record.signature?.trim() ?? "";
  if (key === "" || signature === "") {
    if (config.requireSignature ?? true) {
      throw new SignatureError(
        `Cannot accept plugin "${name}": it has no publisher key and signature, and plugins.signature.requireSignature is true; pass --publisher-key and --signature`,
      );
    }
    return {
      status: "unsigned",
      warning:
        `Plugin "${name}" is not signed; accepted because plugins.signature.requireSignature is false`,
    };
  }
  const keyBytes = fromHex(key, 32);
  const sigBytes = fromHex(signature, 64);
  if (keyBytes === null) {
    throw new SignatureError(
      `Cannot accept plugin "${name}": the publisher key must be 64 hex characters (an Ed25519 public key)`,
    );
  }
  if (sigBytes === null) {
    throw new SignatureError(
      `Cannot accept plugin "${name}": the signature must be 128 hex characters (an Ed25519 signature)`,
    );
  }
  const trusted = config.trustedPublishers ?? [];
  if (
    trusted.length > 0 &&
    !trusted.some((t) => t.toLowerCase() === key.toLowerCase())
  ) {
    throw new SignatureError(
      `Cannot accept plugin "${name}": publisher key "${key.toLowerCase()}" is not in plugins.signature.trustedPublishers`,
    );
  }
  let valid = false;
  try {
    const publicKey = await crypto.subtle.importKey(
      "raw",
      keyBytes,
      { name: "Ed25519" },
      false,
      ["verify"],
    );
    valid = await crypto.subtle.verify(
      { name: "Ed25519" },
      publicKey,
      sigBytes,
      bytes as Uint8Array<ArrayBuffer>,
    );
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new SignatureError(
      `Cannot accept plugin "${name}": the signature does not match the artifact for publisher key "${key.toLowerCase()}"`,
    );
  }
  return { status: "verified", publisherKey: key.toLowerCase() };
}

function fromHex(text: string, length: number): Uint8Array<ArrayBuffer> | null {
  if (text.length !== length * 2 || !/^[0-9a-fA-F]+$/.test(text)) return null;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}
