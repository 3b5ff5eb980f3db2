/**
 * The CLI's own device identity (cli.md §2): an Ed25519 key pair kept in the
 * credential store under `device:cli:identity`, or — when no store is usable
 * and `CARAPACE_DEVICE_IDENTITY_STRICT` is off — in
 * `<state dir>/device-identity.json` (0600) with a warning.
 *
 * @module
 */
import { join } from "node:path";
import { type Env, resolveStateDir } from "../gateway/config/paths.ts";
import {
  readPrivateFile,
  writePrivateFile,
} from "../gateway/credentials/private_file.ts";
import {
  type CredentialStore,
  CredentialStoreError,
} from "../gateway/credentials/store.ts";
import { CaraError } from "../gateway/errors.ts";
import {
  decodeBase64Loose,
  encodeBase64Url,
} from "../gateway/protocol/base64url.ts";
import { deviceIdOf } from "../gateway/protocol/device_signature.ts";

/** The credential store key of the CLI identity. */
export const DEVICE_IDENTITY_KEY = "device:cli:identity";
/** `1|true|yes|on`: never use the file fallback. */
export const DEVICE_IDENTITY_STRICT_ENV = "CARAPACE_DEVICE_IDENTITY_STRICT";
const FILE = "device-identity.json";
const MAX_BYTES = 64 * 1024;

/** A loaded identity. */
export interface DeviceIdentity {
  deviceId: string;
  keys: CryptoKeyPair;
}

/**
 * Loads the identity, creating one on first use.
 *
 * @throws {CaraError} for a corrupt identity, or strict mode without a usable store
 * @example
 * ```ts
 * const identity = await loadDeviceIdentity(ctx.env, { store, warn: (l) => ctx.io.err(l) });
 * ```
 */
export async function loadDeviceIdentity(
  env: Env,
  options: { store: CredentialStore; warn: (line: string) => void },
): Promise<DeviceIdentity> {
  const strict = /^(1|true|yes|on)$/i.test(
    (env[DEVICE_IDENTITY_STRICT_ENV] ?? "").trim(),
  );
  const path = join(resolveStateDir(env), FILE);
  const stored = await options.store.get(DEVICE_IDENTITY_KEY);
  if (stored !== null) return await parseIdentity(stored, "credential store");
  const fromFile = strict ? null : await readPrivateFile(path, {
    maxBytes: MAX_BYTES,
    what: "device identity",
  });
  const text = fromFile ?? await generateIdentityJson();
  const identity = await parseIdentity(text, fromFile === null ? "new" : path);
  try {
    await options.store.set(DEVICE_IDENTITY_KEY, text);
    if (fromFile !== null) await Deno.remove(path).catch(() => {});
    return identity;
  } catch (error) {
    if (!(error instanceof CredentialStoreError) || !error.allowsFallback) {
      throw error;
    }
    if (strict) {
      throw new CaraError(
        "device_identity_strict",
        `Cannot keep the device identity: ${error.message}; ${DEVICE_IDENTITY_STRICT_ENV} forbids the file fallback`,
        { cause: error },
      );
    }
    if (fromFile === null) await writePrivateFile(path, text);
    options.warn(
      `Warning: no credential store is usable, so the device identity is kept in "${path}" (mode 0600)\n`,
    );
    return identity;
  }
}

async function generateIdentityJson(): Promise<string> {
  const keys = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", keys.privateKey);
  const raw = new Uint8Array(
    await crypto.subtle.exportKey("raw", keys.publicKey),
  );
  return JSON.stringify({
    device_id: await deviceIdOf(raw),
    public_key: encodeBase64Url(raw),
    secret_key: jwk.d,
  });
}

async function parseIdentity(
  text: string,
  where: string,
): Promise<DeviceIdentity> {
  const fail = (why: string) =>
    new CaraError(
      "device_identity_invalid",
      `Cannot load the device identity from ${where}: ${why}; delete it to create a new identity (the gateway will ask to pair again)`,
    );
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text);
  } catch {
    throw fail("it is not JSON");
  }
  const { device_id, public_key, secret_key } = record;
  if (
    typeof device_id !== "string" || typeof public_key !== "string" ||
    typeof secret_key !== "string"
  ) throw fail("expected device_id, public_key and secret_key strings");
  const publicRaw = decodeBase64Loose(public_key);
  const seed = decodeBase64Loose(secret_key);
  if (publicRaw?.length !== 32 || seed?.length !== 32) {
    throw fail("the keys are not 32-byte base64url values");
  }
  if (await deviceIdOf(publicRaw) !== device_id) {
    throw fail("device_id does not match the public key");
  }
  const jwk = { kty: "OKP", crv: "Ed25519", x: encodeBase64Url(publicRaw) };
  const keys = {
    privateKey: await crypto.subtle.importKey(
      "jwk",
      { ...jwk, d: encodeBase64Url(seed) },
      "Ed25519",
      false,
      ["sign"],
    ),
    publicKey: await crypto.subtle.importKey(
      "raw",
      publicRaw,
      "Ed25519",
      true,
      [
        "verify",
      ],
    ),
  };
  const probe = new TextEncoder().encode("cara identity check");
  const signature = await crypto.subtle.sign("Ed25519", keys.privateKey, probe);
  if (
    !await crypto.subtle.verify("Ed25519", keys.publicKey, signature, probe)
  ) {
    throw fail("the secret key does not belong to the public key");
  }
  return { deviceId: device_id, keys };
}
