/**
 * `{state_dir}/plugins/plugins-manifest.json`: the record of managed plugins,
 * keyed by name (plugins.md §3). Unknown fields are preserved.
 *
 * @module
 */
import { join } from "node:path";
import { CaraError } from "../../gateway/errors.ts";
import {
  readPrivateFile,
  writePrivateFile,
} from "../../gateway/credentials/private_file.ts";

/** One manifest entry (snake_case on disk). */
export interface ManagedEntry {
  name: string;
  version?: string;
  installed_at?: number;
  updated_at?: number;
  path?: string;
  sha256?: string;
  publisher_key?: string;
  signature?: string;
  url?: string;
  [unknown: string]: unknown;
}

/** The whole manifest. */
export type ManagedManifest = Record<string, ManagedEntry>;

/** The manifest file name inside the managed dir. */
export const MANIFEST_FILE = "plugins-manifest.json";

/** Reads the manifest of `dir`; an absent file is an empty manifest. */
export async function readManagedManifest(
  dir: string,
): Promise<ManagedManifest> {
  const path = join(dir, MANIFEST_FILE);
  const text = await readPrivateFile(path, {
    maxBytes: 4 * 1024 * 1024,
    what: "plugin manifest",
  });
  if (text === null) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CaraError(
      "plugin_manifest_invalid",
      `Cannot read plugin manifest "${path}": it is not valid JSON; fix or remove it`,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new CaraError(
      "plugin_manifest_invalid",
      `Cannot read plugin manifest "${path}": expected a JSON object keyed by plugin name`,
    );
  }
  return data as ManagedManifest;
}

/** Atomically replaces the manifest of `dir` (0600). */
export async function writeManagedManifest(
  dir: string,
  manifest: ManagedManifest,
): Promise<void> {
  await writePrivateFile(
    join(dir, MANIFEST_FILE),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
}
