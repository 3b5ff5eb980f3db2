/**
 * The managed install/update core behind `plugins.install|update` (plugins.md
 * §3–§5): fetch (SSRF-guarded, ≤ 50 MiB) or adopt a staged artifact, check
 * it is a component, pin its sha256, apply the signature policy, then write
 * artifact, manifest and config entry as one transaction that rolls back.
 *
 * @module
 */
import { join } from "node:path";
import { ensurePrivateDir } from "../../gateway/credentials/private_file.ts";
import { CaraError } from "../../gateway/errors.ts";
import {
  guardedFetch,
  type GuardedFetchOptions,
} from "../../gateway/net/guarded_fetch.ts";
import {
  checkSignature,
  type SignatureConfig,
} from "../signature/check_signature.ts";
import {
  checkComponent,
  checkPluginName,
  MAX_ARTIFACT_BYTES,
  sha256Hex,
} from "./artifact_checks.ts";
import {
  type ManagedEntry,
  readManagedManifest,
  writeManagedManifest,
} from "./managed_manifest.ts";

/** Params of `plugins.install` / `plugins.update`. */
export interface InstallParams {
  name: string;
  url?: string | undefined;
  version?: string | undefined;
  publisherKey?: string | undefined;
  signature?: string | undefined;
  /** Expected lowercase hex sha256 of the artifact (pinning), if known. */
  sha256?: string | undefined;
}

/** Collaborators of {@linkcode installManagedPlugin}. */
export interface InstallDeps {
  stateDir: string;
  /** `plugins.signature` of the current config. */
  signature?: SignatureConfig;
  /** Writes `plugins.entries.<name>` into the config file. */
  setConfigEntry(
    name: string,
    entry: { enabled: true; requestedAt: number },
  ): Promise<void>;
  /** SSRF settings of downloads (operator config; tests inject a resolver). */
  fetch?: Pick<
    GuardedFetchOptions,
    "resolve" | "trustedAddresses" | "caCerts" | "allowTailscale"
  >;
  onProgress?: (received: number, total: number | null) => void;
  /** Download timeout (default 60 s). */
  timeoutMs?: number;
  clock?: () => number;
  signal?: AbortSignal;
}

/** The `plugins.install|update` response (snake_case fields as on the wire). */
export interface InstallResult {
  ok: true;
  name: string;
  version: string | null;
  installed_at?: number;
  updated_at?: number;
  publisher_key: string | null;
  signature: string | null;
  sha256: string;
  activation: { state: "restart-required"; message: string };
}

/**
 * Installs or updates managed plugin `params.name`.
 *
 * @throws {CaraError} bad params, download refused, not a component, sha256
 *   mismatch, signature refused, update of a plugin that is not installed
 * @example
 * ```ts
 * await installManagedPlugin("install", { name: "weather", url: "https://example.com/w.wasm" }, deps);
 * ```
 */
export async function installManagedPlugin(
  mode: "install" | "update",
  params: InstallParams,
  deps: InstallDeps,
): Promise<InstallResult> {
  const { name } = params;
  checkPluginName(name);
  checkLength("version", params.version, 256);
  checkLength("publisherKey", params.publisherKey, 1024);
  checkLength("signature", params.signature, 8192);
  const dir = join(deps.stateDir, "plugins");
  await ensurePrivateDir(dir);
  const manifest = await readManagedManifest(dir);
  const previous = Object.hasOwn(manifest, name) ? manifest[name] : undefined;
  if (mode === "update" && previous === undefined) {
    throw new CaraError(
      "plugin_not_installed",
      `Cannot update plugin "${name}": managed plugin '${name}' is not installed; use plugins install`,
    );
  }
  const artifact = join(dir, `${name}.wasm`);
  const bytes = params.url
    ? await download(name, params.url, deps)
    : await readStaged(name, artifact);
  checkComponent(name, bytes);
  const sha256 = await sha256Hex(bytes);
  if (params.sha256 && params.sha256.toLowerCase() !== sha256) {
    throw new CaraError(
      "plugin_hash_mismatch",
      `Cannot install plugin "${name}": its sha256 is ${sha256}, expected ${params.sha256.toLowerCase()}; the artifact was altered or the pin is wrong`,
    );
  }
  const now = (deps.clock ?? Date.now)();
  const entry: ManagedEntry = {
    ...previous,
    name,
    path: `${name}.wasm`,
    sha256,
    ...(mode === "install" ? { installed_at: now } : { updated_at: now }),
  };
  setOrDrop(entry, "version", params.version);
  setOrDrop(entry, "publisher_key", params.publisherKey);
  setOrDrop(entry, "signature", params.signature);
  setOrDrop(entry, "url", params.url);
  await checkSignature(name, bytes, entry, deps.signature);
  await commit({
    dir,
    artifact,
    bytes,
    rewrite: params.url !== undefined,
    manifest,
    entry,
    deps,
  });
  return {
    ok: true,
    name,
    version: entry.version ?? null,
    ...(mode === "install" ? { installed_at: now } : { updated_at: now }),
    publisher_key: entry.publisher_key ?? null,
    signature: entry.signature ?? null,
    sha256,
    activation: {
      state: "restart-required",
      message: "restart the gateway to activate the plugin",
    },
  };
}

interface CommitPlan {
  dir: string;
  artifact: string;
  bytes: Uint8Array;
  rewrite: boolean;
  manifest: Record<string, ManagedEntry>;
  entry: ManagedEntry;
  deps: InstallDeps;
}

async function commit(plan: CommitPlan): Promise<void> {
  const { dir, artifact, entry, deps } = plan;
  const before = structuredClone(plan.manifest);
  const backup = join(dir, `.${entry.name}.wasm.${crypto.randomUUID()}.bak`);
  let backedUp = false;
  let wroteArtifact = false;
  let wroteManifest = false;
  try {
    if (plan.rewrite) {
      backedUp = await Deno.rename(artifact, backup).then(() => true, (e) => {
        if (e instanceof Deno.errors.NotFound) return false;
        throw e;
      });
      await writeBytesAtomic(artifact, plan.bytes);
      wroteArtifact = true;
    }
    await writeManagedManifest(dir, { ...plan.manifest, [entry.name]: entry });
    wroteManifest = true;
    await deps.setConfigEntry(entry.name, {
      enabled: true,
      requestedAt: entry.updated_at ?? entry.installed_at ?? Date.now(),
    });
  } catch (error) {
    if (wroteManifest) await writeManagedManifest(dir, before).catch(() => {});
    if (wroteArtifact) await Deno.remove(artifact).catch(() => {});
    if (backedUp) await Deno.rename(backup, artifact).catch(() => {});
    throw error instanceof CaraError ? error : new CaraError(
      "plugin_install_failed",
      `Cannot install plugin "${entry.name}": ${
        error instanceof Error ? error.message : String(error)
      }; nothing was changed`,
      { cause: error },
    );
  }
  if (backedUp) await Deno.remove(backup).catch(() => {});
}

async function download(
  name: string,
  url: string,
  deps: InstallDeps,
): Promise<Uint8Array> {
  const response = await guardedFetch({ method: "GET", url }, {
    ...deps.fetch,
    schemes: ["http:", "https:"],
    timeoutMs: deps.timeoutMs ?? 60_000,
    maxResponseBytes: MAX_ARTIFACT_BYTES,
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (response.status < 200 || response.status > 299) {
    throw new CaraError(
      "plugin_download_failed",
      `Cannot download plugin "${name}": the server answered ${response.status}${
        response.status >= 300 && response.status < 400
          ? " (redirects are not followed; use the final URL)"
          : ""
      }`,
    );
  }
  return response.body;
}

async function readStaged(name: string, path: string): Promise<Uint8Array> {
  const info = await Deno.lstat(path).catch(() => null);
  if (info === null || !info.isFile) {
    throw new CaraError(
      "plugin_artifact_missing",
      `Cannot install plugin "${name}": no url was given and "${name}.wasm" is not a regular file in the managed plugins dir; pass --url or --file`,
    );
  }
  if (info.size > MAX_ARTIFACT_BYTES) {
    throw new CaraError(
      "plugin_artifact_too_large",
      `Cannot install plugin "${name}": the artifact is ${info.size} bytes; the limit is ${MAX_ARTIFACT_BYTES}`,
    );
  }
  return await Deno.readFile(path);
}

async function writeBytesAtomic(
  path: string,
  bytes: Uint8Array,
): Promise<void> {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeFile(temp, bytes, { mode: 0o600, createNew: true });
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

function checkLength(
  field: string,
  value: string | undefined,
  max: number,
): void {
  if (value !== undefined && new TextEncoder().encode(value).length > max) {
    throw new CaraError(
      "invalid_params",
      `Cannot install plugin: ${field} is longer than ${max} bytes`,
    );
  }
}

function setOrDrop(
  entry: ManagedEntry,
  key: string,
  value: string | undefined,
): void {
  const trimmed = value?.trim();
  if (trimmed) entry[key] = trimmed;
}
