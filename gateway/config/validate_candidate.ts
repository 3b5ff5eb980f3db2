/**
 * `config.validate`: runs a candidate config through the same pipeline a
 * write does (includes, secrets, `env`, `${VAR}`, schema) without writing.
 *
 * @module
 */
import type { ConfigIssue } from "./config_edit_error.ts";
import { ConfigError } from "./errors.ts";
import type { Env } from "./paths.ts";
import { resolveConfig } from "./pipeline.ts";
import type { SecretKeyring } from "./secrets/keyring.ts";

/** The verdict on a candidate. */
export interface CandidateVerdict {
  valid: boolean;
  issues: ConfigIssue[];
  warnings: string[];
}

/**
 * Validates `candidate` as if it were the file at `path` (includes resolve
 * next to it; unset `${VAR}` are left in place, as on a write).
 *
 * @example
 * ```ts
 * const { valid, issues } = await validateCandidate({ gateway: { port: 0 } }, { env, keyring: null, path });
 * ```
 */
export async function validateCandidate(
  candidate: unknown,
  options: { env: Env; keyring: SecretKeyring | null; path: string },
): Promise<CandidateVerdict> {
  try {
    const resolved = await resolveConfig(candidate, {
      file: options.path,
      env: options.env,
      keyring: options.keyring,
      missingEnv: "keep",
    });
    return {
      valid: true,
      issues: [],
      warnings: resolved.warnings,
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      valid: false,
      issues: [{
        severity: "error",
        path: error.keyPath ?? "(root)",
        message: error.message,
      }],
      warnings: [],
    };
  }
}
