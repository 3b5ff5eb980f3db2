/**
 * The read side of config secrets: decrypt every `enc:v2` string, or scrub
 * it to `null` when no password is available.
 *
 * @module
 */
import {
  type ConfigObject,
  formatKeyPath,
  isRecord,
  setOwn,
} from "../_object.ts";
import { assertSupportedEnvelope, isEnvelope, openValue } from "./envelope.ts";
import type { SecretKeyring } from "./keyring.ts";

/** Options of {@linkcode openSecrets}. */
export interface OpenSecretsOptions {
  /** Decrypts envelopes; `null` scrubs them. */
  keyring: SecretKeyring | null;
  /** The file being loaded, for messages. */
  file?: string;
}

/** A config with its secrets opened, and what could not be opened. */
export interface OpenedSecrets {
  value: unknown;
  warnings: string[];
}

/**
 * Returns a copy of `value` with each `enc:v2` string decrypted. A value that
 * does not decrypt, or any value when `keyring` is null, becomes `null` with a
 * warning naming its key (never its content).
 *
 * @throws {ConfigError} kind `unsupported_secret_envelope` for `enc:v1` and other versions
 */
export async function openSecrets(
  value: unknown,
  options: OpenSecretsOptions,
): Promise<OpenedSecrets> {
  const { keyring, file } = options;
  const warnings: string[] = [];
  let scrubbed = 0;
  const visit = async (
    node: unknown,
    at: (string | number)[],
  ): Promise<unknown> => {
    if (typeof node === "string") {
      assertSupportedEnvelope(node, {
        keyPath: formatKeyPath(at),
        ...(file === undefined ? {} : { file }),
      });
      if (!isEnvelope(node)) return node;
      if (keyring === null) {
        scrubbed++;
        return null;
      }
      try {
        return await openValue(node, keyring);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        warnings.push(
          `Cannot decrypt secret at "${
            formatKeyPath(at)
          }": ${reason}; using null`,
        );
        return null;
      }
    }
    if (Array.isArray(node)) {
      const items = [];
      for (const [i, item] of node.entries()) {
        items.push(await visit(item, [...at, i]));
      }
      return items;
    }
    if (isRecord(node)) {
      const out: ConfigObject = {};
      for (const [key, item] of Object.entries(node)) {
        setOwn(out, key, await visit(item, [...at, key]));
      }
      return out;
    }
    return node;
  };
  const opened = await visit(value, []);
  if (scrubbed > 0) {
    warnings.push(
      `${scrubbed} encrypted config secret(s) replaced by null: set CARAPACE_CONFIG_PASSWORD to decrypt them`,
    );
  }
  return { value: opened, warnings };
}
