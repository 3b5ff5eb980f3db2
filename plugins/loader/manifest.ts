/**
 * A plugin's manifest: from its `plugin-manifest` custom section when
 * present, otherwise inferred from its exports and file (plugins.md §2),
 * then validated.
 *
 * @module
 */
import { RESERVED_PLUGIN_IDS } from "../../gateway/config/schema/plugins.ts";
import { CaraError } from "../../gateway/errors.ts";
import { componentName, customSections } from "./wasm_binary.ts";

/** What a plugin provides (WIT `plugin-kind`). */
export type PluginKind = "channel" | "tool" | "webhook" | "service" | "hook";

/** The closed set of {@linkcode PluginKind}s. */
export const PLUGIN_KINDS: readonly PluginKind[] = [
  "channel",
  "tool",
  "webhook",
  "service",
  "hook",
];

/** WIT `plugin-manifest` plus the optional declared `permissions`. */
export interface PluginManifest {
  id: string;
  name: string;
  description: string;
  version: string;
  kind: PluginKind;
  /** Declared permissions, checked by the host policy (plugins/policy). */
  permissions?: unknown;
}

/** What {@linkcode resolveManifest} reads. */
export interface ManifestInput {
  /** The runtime id: the `.wasm` file stem. */
  pluginId: string;
  bytes: Uint8Array;
  /** Exported interface names, e.g. `["manifest", "tool"]`. */
  exports: readonly string[];
  /** The file's modification time, for the fallback version. */
  mtime: Date | null;
}

const MAX_SECTION_BYTES = 64 * 1024;
const ID_PATTERN = /^[a-z0-9-]{1,32}$/;

function invalid(message: string): never {
  throw new CaraError("plugin_manifest_invalid", message);
}

/**
 * Checks a runtime plugin id (file stem or manifest id).
 *
 * @throws {CaraError} `plugin_id_invalid` with the rule broken
 */
export function validatePluginId(id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new CaraError(
      "plugin_id_invalid",
      `Invalid plugin id "${
        id.slice(0, 64)
      }": use 1 to 32 lowercase letters, digits or hyphens`,
    );
  }
  if (RESERVED_PLUGIN_IDS.includes(id)) {
    throw new CaraError(
      "plugin_id_invalid",
      `Invalid plugin id "${id}": it is reserved (${
        RESERVED_PLUGIN_IDS.join(", ")
      })`,
    );
  }
}

/** The kind a component's exports suggest; `tool` when unrecognisable. */
export function inferKind(exports: readonly string[]): PluginKind {
  const has = (name: string) => exports.includes(name);
  if (has("channel-meta") || has("channel-adapter")) return "channel";
  if (has("tool")) return "tool";
  if (has("webhook")) return "webhook";
  if (has("service")) return "service";
  if (has("hooks")) return "hook";
  return "tool";
}

function titleCase(stem: string): string {
  return stem.split("-").filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
}

function mtimeVersion(mtime: Date | null): string {
  const d = mtime ?? new Date(0);
  const p = (n: number) => String(n).padStart(2, "0");
  return `0.0.${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${
    p(d.getUTCDate())
  }${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function readSection(payload: Uint8Array): Record<string, unknown> {
  if (payload.length > MAX_SECTION_BYTES) {
    invalid(
      `Invalid plugin-manifest section: it is ${payload.length} bytes, the limit is ${MAX_SECTION_BYTES}`,
    );
  }
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  return invalid("Invalid plugin-manifest section: expected a JSON object");
}

function field(
  section: Record<string, unknown>,
  key: string,
): string | undefined {
  const value = section[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    invalid(`Invalid plugin manifest "${key}": expected a string`);
  }
  return value;
}

/** Checks the manifest rules of plugins.md §2. */
export function validateManifest(manifest: PluginManifest): void {
  validatePluginId(manifest.id);
  const { name, description, version, kind } = manifest;
  if (name.length < 1 || name.length > 64) {
    invalid(
      `Invalid plugin manifest name "${
        name.slice(0, 80)
      }": use 1 to 64 characters`,
    );
  }
  if (description.length > 500) {
    invalid(
      `Invalid plugin manifest description: it has ${description.length} characters, the limit is 500`,
    );
  }
  if (!version.includes(".") || version.length > 64) {
    invalid(
      `Invalid plugin manifest version "${
        version.slice(0, 64)
      }": expected a semantic version such as "1.0.0"`,
    );
  }
  if (!PLUGIN_KINDS.includes(kind)) {
    invalid(
      `Invalid plugin manifest kind "${kind}": expected one of ${
        PLUGIN_KINDS.join(", ")
      }`,
    );
  }
}

/**
 * The validated manifest of a component, section first, then fallbacks.
 *
 * @throws {CaraError} `plugin_manifest_invalid` / `plugin_id_invalid`
 * @example
 * ```ts
 * const manifest = resolveManifest({ pluginId: "my-tool", bytes, exports: ["manifest", "tool"], mtime });
 * ```
 */
export function resolveManifest(input: ManifestInput): PluginManifest {
  const sections = customSections(input.bytes);
  const raw = sections.get("plugin-manifest");
  const section = raw ? readSection(raw) : {};
  const named = sections.get("component-name");
  const kind = field(section, "kind") ?? inferKind(input.exports);
  const manifest: PluginManifest = {
    id: field(section, "id") ?? input.pluginId,
    name: field(section, "name") ??
      (named ? componentName(named) : undefined) ?? titleCase(input.pluginId),
    description: field(section, "description") ?? "",
    version: field(section, "version") ?? mtimeVersion(input.mtime),
    kind: kind as PluginKind,
    ...(section.permissions === undefined
      ? {}
      : { permissions: section.permissions }),
  };
  validateManifest(manifest);
  return manifest;
}
