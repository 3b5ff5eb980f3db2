/**
 * `credential-get` / `credential-set`: keys scoped to `<plugin-id>:<key>`,
 * values ≤ 64 KiB, ≤ 100 keys and ≤ 10 writes per minute per plugin. A get
 * that is refused answers "unset"; a set that is refused answers `false`.
 *
 * @module
 */
import { permits } from "../policy/permissions.ts";
import {
  capabilityDenied,
  type HostContext,
  permissionDenied,
} from "./host_context.ts";
import { credentialPrefix, scopedCredentialKey } from "./credential_key.ts";

/** The largest credential value, in UTF-8 bytes. */
export const MAX_CREDENTIAL_VALUE_BYTES = 64 * 1024;
/** Keys one plugin may hold. */
export const MAX_CREDENTIAL_KEYS = 100;
/** Credential writes per minute per plugin. */
export const MAX_CREDENTIAL_WRITES_PER_MINUTE = 10;

/** `credentialGet` and `credentialSet` of one plugin. */
export function createCredentialFunctions(ctx: HostContext): {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<boolean>;
} {
  const refuse = (message: string) => {
    ctx.logger.warn(ctx.target, message);
  };
  const scope = (action: string, key: string): string | null => {
    if (ctx.grant.enforced && !ctx.grant.credentials) {
      refuse(capabilityDenied(ctx, "credentials"));
      return null;
    }
    const scoped = scopedCredentialKey(ctx.pluginId, String(key));
    if (scoped === null) {
      refuse(
        `Cannot ${action} credential: the key must be 1 to 64 characters without control characters`,
      );
      return null;
    }
    const bare = scoped.slice(credentialPrefix(ctx.pluginId).length);
    if (
      !permits(ctx.permissions, ctx.permissions.credentialAllowedKeys, bare)
    ) {
      refuse(permissionDenied(ctx, "credential keys", bare));
      return null;
    }
    return scoped;
  };
  return {
    async get(key) {
      const scoped = scope("read", key);
      if (scoped === null) return undefined;
      try {
        const value = await ctx.credentials.get(scoped);
        return value === "" ? undefined : value;
      } catch (error) {
        refuse(
          `Cannot read credential: the credential store failed (${
            describe(error)
          })`,
        );
        return undefined;
      }
    },
    async set(key, value) {
      const scoped = scope("store", key);
      if (scoped === null) return false;
      const text = String(value);
      if (new TextEncoder().encode(text).length > MAX_CREDENTIAL_VALUE_BYTES) {
        refuse(
          `Cannot store credential: the value is larger than ${MAX_CREDENTIAL_VALUE_BYTES} bytes`,
        );
        return false;
      }
      if (!ctx.credentialWriteLimiter.tryTake()) {
        refuse(
          `Cannot store credential: more than ${MAX_CREDENTIAL_WRITES_PER_MINUTE} writes in a minute; try again later`,
        );
        return false;
      }
      try {
        if (text === "") {
          await ctx.credentials.delete(scoped);
          return true;
        }
        const existing = await ctx.credentials.list(
          credentialPrefix(ctx.pluginId),
        );
        if (
          !existing.includes(scoped) && existing.length >= MAX_CREDENTIAL_KEYS
        ) {
          refuse(
            `Cannot store credential: the plugin already holds ${MAX_CREDENTIAL_KEYS} keys; delete one first`,
          );
          return false;
        }
        await ctx.credentials.set(scoped, text);
        return true;
      } catch (error) {
        refuse(
          `Cannot store credential: the credential store failed (${
            describe(error)
          })`,
        );
        return false;
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.name : "unknown error";
}
