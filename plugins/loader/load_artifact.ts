/**
 * Loads one `.wasm` artifact: size cap, component check, transpile (cached
 * by sha256), manifest, capabilities. Errors are CaraErrors whose messages
 * name no filesystem path, so they can be shown as activation reasons.
 *
 * @module
 */
import { basename } from "node:path";
import { CaraError } from "../../gateway/errors.ts";
import { transpileCached } from "./cache.ts";
import { capabilitiesOf, type Capability } from "./capabilities.ts";
import {
  type PluginManifest,
  resolveManifest,
  validatePluginId,
} from "./manifest.ts";
import type { TranspiledPlugin } from "../sandbox/messages.ts";
import { wasmKind } from "./wasm_binary.ts";

/** The artifact size limit of plugins.md §3: 50 MiB. */
export const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;

/** A plugin ready to run in a sandbox. */
export interface LoadedArtifact {
  pluginId: string;
  manifest: PluginManifest;
  capabilities: Capability[];
  /** Imported WASI interfaces (each is denied or shimmed, never real). */
  wasiImports: string[];
  exports: string[];
  sha256: string;
  fromCache: boolean;
  plugin: TranspiledPlugin;
}

/** Options of {@linkcode loadArtifact}. */
export interface LoadArtifactOptions {
  stateDir: string;
  /** Default {@linkcode MAX_ARTIFACT_BYTES}. */
  maxBytes?: number;
  /** The artifact's bytes when the caller already read them. */
  bytes?: Uint8Array;
}

/** The plugin id of an artifact path: its file stem. */
export function pluginIdOf(path: string): string {
  return basename(path).replace(/\.wasm$/, "");
}

async function readArtifact(path: string, id: string, maxBytes: number) {
  const info = await Deno.lstat(path).catch(() => undefined);
  if (!info?.isFile) {
    throw new CaraError(
      "plugin_unreadable",
      `Cannot load plugin "${id}": its artifact is missing or not a regular file`,
    );
  }
  if (info.size > maxBytes) {
    throw new CaraError(
      "plugin_too_large",
      `Cannot load plugin "${id}": the artifact is ${info.size} bytes, the limit is ${maxBytes}`,
    );
  }
  try {
    return { bytes: await Deno.readFile(path), mtime: info.mtime };
  } catch {
    throw new CaraError(
      "plugin_unreadable",
      `Cannot load plugin "${id}": its artifact could not be read`,
    );
  }
}

/**
 * Loads the artifact at `path` (plugin id = file stem).
 *
 * @throws {CaraError} with a path-free message on any refusal
 * @example
 * ```ts
 * const loaded = await loadArtifact("/srv/plugins/my-tool.wasm", { stateDir });
 * ```
 */
export async function loadArtifact(
  path: string,
  options: LoadArtifactOptions,
): Promise<LoadedArtifact> {
  const pluginId = pluginIdOf(path);
  validatePluginId(pluginId);
  const maxBytes = options.maxBytes ?? MAX_ARTIFACT_BYTES;
  const { bytes, mtime } = options.bytes
    ? { bytes: options.bytes, mtime: null }
    : await readArtifact(path, pluginId, maxBytes);
  const kind = wasmKind(bytes);
  if (kind === "core-module") {
    throw new CaraError(
      "plugin_not_component",
      `Cannot load plugin "${pluginId}": it is a core WebAssembly module, not a component; build it with "cargo component build" or wrap it with "wasm-tools component new"`,
    );
  }
  if (kind !== "component") {
    throw new CaraError(
      "plugin_not_wasm",
      `Cannot load plugin "${pluginId}": the artifact is not a WebAssembly component`,
    );
  }
  let transpiled;
  try {
    transpiled = await transpileCached(options.stateDir, bytes);
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : "";
    throw new CaraError(
      "plugin_invalid_component",
      `Cannot load plugin "${pluginId}": the component is invalid (${
        why?.slice(0, 200)
      })`,
      { cause: error },
    );
  }
  const manifest = resolveManifest({
    pluginId,
    bytes,
    exports: transpiled.exports,
    mtime,
  });
  return {
    pluginId,
    manifest,
    capabilities: capabilitiesOf(transpiled.hostFunctions),
    wasiImports: transpiled.imports.filter((name) => name.startsWith("wasi:")),
    exports: transpiled.exports,
    sha256: transpiled.sha256,
    fromCache: transpiled.fromCache,
    plugin: transpiled.plugin,
  };
}
