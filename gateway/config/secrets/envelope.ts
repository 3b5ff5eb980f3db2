/**
 * The `enc:v2` secret envelope:
 * `enc:v2:<base64 nonce>:<base64 ciphertext+tag>:<base64 salt>`, AES-256-GCM
 * with a 12-byte nonce and no additional data.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { MIN_SALT_BYTES, type SecretKeyring } from "./keyring.ts";

/** The prefix of every sealed value. */
export const ENVELOPE_PREFIX = "enc:v2:";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const VERSIONED = /^enc:v(\d+):/;

/** Whether `text` is an `enc:v2` envelope (well-formed or not). */
export function isEnvelope(text: string): boolean {
  return text.startsWith(ENVELOPE_PREFIX);
}

/**
 * Throws for an envelope of another version such as `enc:v1:`.
 *
 * @throws {ConfigError} kind `unsupported_secret_envelope`
 */
export function assertSupportedEnvelope(
  text: string,
  where: { keyPath: string; file?: string },
): void {
  const { keyPath, file } = where;
  const version = VERSIONED.exec(text)?.[1];
  if (version !== undefined && version !== "2") {
    throw new ConfigError(
      "unsupported_secret_envelope",
      `Cannot read secret at "${keyPath}": unsupported encrypted config secret envelope "enc:v${version}"; only enc:v2 is supported, replace the value and write it again`,
      { keyPath, ...(file === undefined ? {} : { path: file }) },
    );
  }
}

/** Encrypts `plaintext` with the key of `salt` from `keyring`. */
export async function sealValue(
  plaintext: string,
  keyring: SecretKeyring,
  salt: Uint8Array,
): Promise<string> {
  const key = await keyring.keyFor(salt);
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `${ENVELOPE_PREFIX}${nonce.toBase64()}:${
    new Uint8Array(sealed).toBase64()
  }:${salt.toBase64()}`;
}

/**
 * Decrypts an `enc:v2` envelope.
 *
 * @throws {Error} when the envelope is malformed or the password/ciphertext is wrong
 */
export async function openValue(
  envelope: string,
  keyring: SecretKeyring,
): Promise<string> {
  const parts = envelope.slice(ENVELOPE_PREFIX.length).split(":");
  if (!isEnvelope(envelope) || parts.length !== 3) {
    throw new SyntaxError(
      "malformed envelope, expected enc:v2:<nonce>:<ciphertext>:<salt>",
    );
  }
  const [nonce, sealed, salt] = parts.map(decodeBase64) as [
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
  ];
  if (nonce.length !== NONCE_BYTES) {
    throw new SyntaxError(
      `nonce is ${nonce.length} bytes, expected ${NONCE_BYTES}`,
    );
  }
  if (sealed.length < TAG_BYTES) {
    throw new SyntaxError("ciphertext is shorter than its tag");
  }
  if (salt.length < MIN_SALT_BYTES) {
    throw new SyntaxError(
      `salt is ${salt.length} bytes, expected at least ${MIN_SALT_BYTES}`,
    );
  }
  const key = await keyring.keyFor(salt);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce },
      key,
      sealed,
    );
  } catch (error) {
    throw new Error("wrong password or corrupted ciphertext", { cause: error });
  }
  return new TextDecoder("utf-8", { fatal: true }).decode(plain);
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.fromBase64(text, { lastChunkHandling: "strict" });
  } catch {
    throw new SyntaxError("envelope part is not valid base64");
  }
}
