/**
 * The `plugins` section. Keys other than the reserved ones are free-form
 * runtime config of the plugin with that id.
 *
 * @module
 */
import { z } from "zod";
import { bool, int, section, str, strList } from "./_types.ts";

/** Ids a plugin may not use: they name sections of `plugins`. */
export const RESERVED_PLUGIN_IDS: readonly string[] = [
  "enabled",
  "entries",
  "load",
  "sandbox",
  "signature",
  "permissions",
];

const HEX_KEY = /^[0-9a-f]{64}$/i;

const capabilities = section({
  allow_http: bool().default(false),
  allow_credentials: bool().default(false),
  allow_media: bool().default(false),
});

const permissionOverride = section({
  http_allowed_urls: strList().optional(),
  http_max_requests_per_minute: int(1).optional(),
  credential_allowed_keys: strList().optional(),
  media_allowed_urls: strList().optional(),
  deny_all: bool().optional(),
});

function recordOf<T extends z.ZodTypeAny>(item: T, what: string) {
  return z.record(str(), item, {
    invalid_type_error: `expected an object of ${what}`,
  });
}

/** Schema of `plugins`. */
export const pluginsSchema = section({
  enabled: bool().default(true),
  load: section({ paths: strList("an array of directory paths").default([]) })
    .default({}),
  entries: recordOf(
    z.object({
      enabled: bool().default(true),
      installId: str().optional(),
      requestedAt: z.union([str(), z.number()]).optional(),
    }, { invalid_type_error: "expected an object" }).strict(),
    "plugin entries",
  ).default({}),
  signature: z.object({
    enabled: bool().default(true),
    requireSignature: bool().default(true),
    trustedPublishers: z.array(
      str("a hex Ed25519 public key").regex(
        HEX_KEY,
        "expected a 64-character hex Ed25519 public key",
      ),
      { invalid_type_error: "expected an array of hex Ed25519 public keys" },
    ).default([]),
  }, { invalid_type_error: "expected an object" }).strict().default({}),
  sandbox: section({
    enabled: bool().default(true),
    allow_tailscale: bool().default(false),
    defaults: capabilities.default({}),
    overrides: recordOf(capabilities, "per-plugin sandbox overrides").default(
      {},
    ),
  }).default({}),
  permissions: section({
    enabled: bool().default(false),
    overrides: recordOf(permissionOverride, "per-plugin permission overrides")
      .default({}),
  }).default({}),
}).default({});
