/**
 * What a config reload changed, and which of those changes only take effect
 * after a restart (the listener, TLS, plugins, filesystem tools).
 *
 * @module
 */
import type { CaraConfig } from "../config/mod.ts";

/** Top-level keys (or dotted prefixes) whose change needs a restart. */
export const RESTART_PREFIXES: readonly string[] = [
  "gateway.port",
  "gateway.bind",
  "gateway.tls",
  "plugins",
  "filesystem",
  "logging.level",
];

/** Summary of a reload. */
export interface ReloadReport {
  /** Dotted paths of the top-level sections (and gateway keys) that changed. */
  changed: string[];
  /** The changed paths that only apply after a restart. */
  restartRequired: string[];
}

// Sections compared key by key, so a port change is told apart from an auth change.
const SPLIT_SECTIONS = new Set(["gateway", "logging"]);

function sections(config: CaraConfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(config)) {
    if (
      SPLIT_SECTIONS.has(key) && value !== null && typeof value === "object"
    ) {
      for (const [sub, subValue] of Object.entries(value)) {
        out.set(`${key}.${sub}`, JSON.stringify(subValue));
      }
    } else {
      out.set(key, JSON.stringify(value));
    }
  }
  return out;
}

/** Compares two validated configs section by section. */
export function describeReload(
  before: CaraConfig,
  after: CaraConfig,
): ReloadReport {
  const a = sections(before);
  const b = sections(after);
  const changed = [...new Set([...a.keys(), ...b.keys()])]
    .filter((key) => a.get(key) !== b.get(key))
    .sort();
  const restartRequired = changed.filter((key) =>
    RESTART_PREFIXES.some((prefix) =>
      key === prefix || key.startsWith(`${prefix}.`)
    )
  );
  return { changed, restartRequired };
}
