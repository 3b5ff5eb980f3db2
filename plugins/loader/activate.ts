/**
 * Start-up activation (plugins.md §3): managed plugins from
 * `<state dir>/plugins/` (sha256 pinned, signature policy), then every
 * `*.wasm` in `plugins.load.paths`. Each plugin ends active, disabled,
 * ignored or failed with a reason that names no path and no raw I/O error.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { CaraError } from "../../gateway/errors.ts";
import {
  type ManagedEntry,
  type ManagedManifest,
  readManagedManifest,
} from "../install/managed_manifest.ts";
import {
  checkSignature,
  type SignatureConfig,
} from "../signature/check_signature.ts";
import { sha256Hex } from "./cache.ts";
import {
  loadArtifact,
  type LoadedArtifact,
  MAX_ARTIFACT_BYTES,
} from "./load_artifact.ts";

/** The `plugins` config this module reads. */
export interface ActivationConfig {
  enabled?: boolean;
  load?: { paths?: readonly string[] };
  entries?: Readonly<
    Record<
      string,
      { enabled?: boolean; installId?: string; requestedAt?: string | number }
    >
  >;
  signature?: SignatureConfig;
}

/** One row of `plugins.status` (plugins.md §6). */
export interface PluginStatus {
  name: string;
  pluginId: string | null;
  enabled: boolean;
  installId: string | null;
  requestedAt: string | number | null;
  source: "managed" | "config";
  state: "active" | "disabled" | "ignored" | "failed";
  reason: string | null;
}

/** A plugin that activated, with the sandbox its source calls for. */
export interface ActivePlugin {
  artifact: LoadedArtifact;
  /** Managed plugins are untrusted (child process); config paths trusted. */
  trust: "trusted" | "untrusted";
}

/** What {@linkcode activatePlugins} found. */
export interface ActivationResult {
  plugins: PluginStatus[];
  active: ActivePlugin[];
  /** Warnings for the log (e.g. an unsigned plugin accepted by policy). */
  warnings: string[];
}

function reasonOf(error: unknown): string {
  return error instanceof CaraError
    ? error.message
    : "the plugin failed to load";
}

async function wasmFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.endsWith(".wasm")) names.push(entry.name);
    }
  } catch {
    return [];
  }
  return names.sort();
}

async function checkManaged(
  name: string,
  entry: ManagedEntry | undefined,
  dir: string,
  config: ActivationConfig,
): Promise<{ bytes: Uint8Array; warning?: string }> {
  const fail = (message: string): never => {
    throw new CaraError(
      "plugin_managed_invalid",
      `Cannot load managed plugin "${name}": ${message}`,
    );
  };
  if (!entry) fail("it has no entry in plugins-manifest.json; reinstall it");
  if (entry!.path !== undefined && entry!.path !== `${name}.wasm`) {
    fail(`its manifest path must be "${name}.wasm"`);
  }
  const expected = entry!.sha256?.toLowerCase();
  if (!expected) fail("its manifest entry has no sha256; reinstall it");
  const info = await Deno.lstat(join(dir, `${name}.wasm`)).catch(() =>
    undefined
  );
  if (!info?.isFile) fail("its artifact is missing or not a regular file");
  if (info!.size > MAX_ARTIFACT_BYTES) {
    fail(`its artifact is larger than ${MAX_ARTIFACT_BYTES} bytes`);
  }
  const bytes = await Deno.readFile(join(dir, `${name}.wasm`));
  if (await sha256Hex(bytes) !== expected) {
    fail(
      "the artifact's sha256 does not match plugins-manifest.json; reinstall it",
    );
  }
  const verdict = await checkSignature(name, bytes, entry!, config.signature);
  return verdict.status === "unsigned"
    ? { bytes, warning: verdict.warning }
    : { bytes };
}

/**
 * Activates every plugin the config names, in the order of plugins.md §3.
 *
 * @example
 * ```ts
 * const { plugins, active } = await activatePlugins(stateDir, config.plugins);
 * ```
 */
export async function activatePlugins(
  stateDir: string,
  config: ActivationConfig,
): Promise<ActivationResult> {
  const result: ActivationResult = { plugins: [], active: [], warnings: [] };
  const pluginsOn = config.enabled !== false;
  const managedDir = join(stateDir, "plugins");
  const entries = config.entries ?? {};
  const seen = new Set<string>();
  let manifest: ManagedManifest | undefined;
  let manifestError: string | undefined;
  try {
    manifest = await readManagedManifest(managedDir);
  } catch {
    manifestError = "plugins-manifest.json could not be read; fix or remove it";
  }
  for (const name of Object.keys(entries).sort()) {
    const entry = entries[name] ?? {};
    const enabled = entry.enabled !== false;
    const row: PluginStatus = {
      name,
      pluginId: null,
      enabled,
      installId: entry.installId ?? null,
      requestedAt: entry.requestedAt ?? null,
      source: "managed",
      state: "disabled",
      reason: null,
    };
    result.plugins.push(row);
    if (!pluginsOn || !enabled) continue;
    try {
      if (manifestError) {
        throw new CaraError("plugin_managed_invalid", manifestError);
      }
      const checked = await checkManaged(
        name,
        manifest?.[name],
        managedDir,
        config,
      );
      if (checked.warning) result.warnings.push(checked.warning);
      const artifact = await loadArtifact(join(managedDir, `${name}.wasm`), {
        stateDir,
        bytes: checked.bytes,
      });
      admit(result, row, artifact, seen, "untrusted");
    } catch (error) {
      Object.assign(row, { state: "failed", reason: reasonOf(error) });
    }
  }
  for (const file of await wasmFiles(managedDir)) {
    const name = file.slice(0, -".wasm".length);
    if (Object.hasOwn(entries, name)) continue;
    const valid = /^[A-Za-z0-9_-]{1,128}$/.test(name);
    result.plugins.push({
      name: valid ? name : "invalid-managed-artifact",
      pluginId: null,
      enabled: false,
      installId: null,
      requestedAt: null,
      source: "managed",
      state: "ignored",
      reason: "not listed in plugins.entries",
    });
  }
  const dirs = [...new Set((config.load?.paths ?? []).map((p) => resolve(p)))];
  for (const dir of dirs) {
    for (const file of await wasmFiles(dir)) {
      const name = file.slice(0, -".wasm".length);
      const row: PluginStatus = {
        name,
        pluginId: null,
        enabled: pluginsOn,
        installId: null,
        requestedAt: null,
        source: "config",
        state: "disabled",
        reason: null,
      };
      result.plugins.push(row);
      if (!pluginsOn) continue;
      try {
        admit(
          result,
          row,
          await loadArtifact(join(dir, file), { stateDir }),
          seen,
          "trusted",
        );
      } catch (error) {
        Object.assign(row, { state: "failed", reason: reasonOf(error) });
      }
    }
  }
  return result;
}

function admit(
  result: ActivationResult,
  row: PluginStatus,
  artifact: LoadedArtifact,
  seen: Set<string>,
  trust: ActivePlugin["trust"],
): void {
  row.pluginId = artifact.pluginId;
  if (seen.has(artifact.pluginId)) {
    row.state = "failed";
    row.reason =
      `Duplicate plugin id "${artifact.pluginId}": another plugin already uses it`;
    return;
  }
  seen.add(artifact.pluginId);
  row.state = "active";
  result.active.push({ artifact, trust });
}
