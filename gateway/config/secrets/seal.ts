/**
 * The write side of config secrets: seal plaintext at the sealed paths, keep
 * unchanged ciphertext, and refuse to touch ciphertext without the password.
 *
 * @module
 */
import {
  cloneJson,
  formatKeyPath,
  isRecord,
  setOwn,
  valueAt,
} from "../_object.ts";
import { ConfigError } from "../errors.ts";
import { isPlaceholder } from "../substitute.ts";
import { isEnvelope, openValue, sealValue } from "./envelope.ts";
import type { SecretKeyring } from "./keyring.ts";
import { sealedPaths } from "./sealed_paths.ts";

const SALT_BYTES = 16;

/** Options of {@linkcode sealSecrets}. */
export interface SealOptions {
  /** The config currently on disk (its ciphertext is reused when unchanged). */
  before: unknown;
  keyring: SecretKeyring;
}

/**
 * Returns a copy of `candidate` whose sealed paths hold `enc:v2` envelopes.
 * One fresh salt serves the whole write; `${VAR}` placeholders and existing
 * envelopes are left alone; a value equal to the old ciphertext's plaintext
 * keeps the old ciphertext so files do not churn.
 */
export async function sealSecrets(
  candidate: unknown,
  options: SealOptions,
): Promise<{ value: unknown; warnings: string[] }> {
  const value = cloneJson(candidate);
  const warnings: string[] = [];
  let salt: Uint8Array | null = null;
  for (const segments of sealedPaths()) {
    const current = valueAt(value, segments);
    if (current === undefined || current === null) continue;
    const key = formatKeyPath(segments);
    if (typeof current !== "string") {
      warnings.push(`Not sealing "${key}": expected a string`);
      continue;
    }
    if (isEnvelope(current) || isPlaceholder(current)) continue;
    const previous = valueAt(options.before, segments);
    const parent = valueAt(value, segments.slice(0, -1));
    const leaf = segments[segments.length - 1];
    if (!isRecord(parent) || leaf === undefined) continue;
    if (typeof previous === "string" && isEnvelope(previous)) {
      const old = await openValue(previous, options.keyring).catch(() => null);
      if (old === current) {
        setOwn(parent, leaf, previous);
        continue;
      }
    }
    salt ??= crypto.getRandomValues(new Uint8Array(SALT_BYTES));
    setOwn(parent, leaf, await sealValue(current, options.keyring, salt));
  }
  return { value, warnings };
}

/**
 * Without a password, refuses a write that changes or removes any existing
 * encrypted value (including replacing it with plaintext).
 *
 * @throws {ConfigError} kind `locked_write`
 */
export function assertUnlockedWrite(
  before: unknown,
  after: unknown,
  file: string,
): void {
  for (const segments of envelopePaths(before, [])) {
    if (valueAt(after, segments) !== valueAt(before, segments)) {
      const key = formatKeyPath(segments);
      throw new ConfigError(
        "locked_write",
        `Cannot write config "${file}": it would change the encrypted value at "${key}"; set CARAPACE_CONFIG_PASSWORD and retry`,
        { path: file, keyPath: key },
      );
    }
  }
}

function envelopePaths(
  node: unknown,
  at: (string | number)[],
): (string | number)[][] {
  if (typeof node === "string") return isEnvelope(node) ? [at] : [];
  if (Array.isArray(node)) {
    return node.flatMap((item, i) => envelopePaths(item, [...at, i]));
  }
  if (isRecord(node)) {
    return Object.entries(node).flatMap(([key, item]) =>
      envelopePaths(item, [...at, key])
    );
  }
  return [];
}
