/**
 * Turns a component into JS glue + core modules in memory with jco
 * (`@bytecodealliance/jco-transpile`, loaded only when a plugin is
 * transpiled, never on the start path). Every host import and every export
 * is asynchronous (JSPI), so host calls can cross the Worker/process
 * boundary while the plugin waits.
 *
 * @module
 */
import { HOST_FUNCTION_NAMES } from "../host/types.ts";
import type { TranspiledPlugin } from "../sandbox/messages.ts";

/** Functions of the exported interfaces, by interface (wit/plugin.wit). */
export const EXPORTED_FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  manifest: ["get-manifest"],
  tool: ["get-definitions", "invoke"],
  webhook: ["get-paths", "handle"],
  service: ["start", "stop", "health"],
  "channel-meta": ["get-info", "get-capabilities"],
  "channel-adapter": [
    "send-text",
    "send-media",
    "send-poll",
    "edit-message",
    "delete-message",
    "react",
  ],
  hooks: ["get-hooks", "handle"],
};

const PACKAGE = "carapace:plugin";
const VERSION = "1.0.0";

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `interface#function` names as jco's asyncExports expect them. */
function asyncExports(exported: readonly string[]): string[] {
  return exported.flatMap((iface) =>
    (EXPORTED_FUNCTIONS[iface] ?? []).map((fn) =>
      `${PACKAGE}/${iface}@${VERSION}#${fn}`
    )
  );
}

/** Bumped when the options below change, so old caches are rebuilt. */
export const TRANSPILE_FORMAT = "jco-transpile-0.15/jspi/1";

/** A transpiled component and what it imports and exports. */
export interface TranspileOutput {
  plugin: TranspiledPlugin;
  /** Imported interfaces, e.g. `carapace:plugin/host`, `wasi:cli/environment`. */
  imports: string[];
  /** Exported `carapace:plugin` interfaces by short name, e.g. `tool`. */
  exports: string[];
  /** Host functions the component imports, e.g. `logInfo`, `httpFetch`. */
  hostFunctions: string[];
}

const HOST_DESTRUCTURE =
  /const \{([^}]*)\} = imports\['carapace:plugin\/host'\]/;
const OWN_EXPORT = /^carapace:plugin\/([a-z-]+)@1\.0\.0$/;

/**
 * Transpiles a component in memory (no file is written).
 *
 * @example
 * ```ts
 * const { plugin, exports } = await transpileComponent(bytes);
 * ```
 */
export async function transpileComponent(
  bytes: Uint8Array,
): Promise<TranspileOutput> {
  const { transpileBytes } = await import("@bytecodealliance/jco-transpile");
  const result = await transpileBytes(bytes, {
    name: "plugin",
    instantiation: "async",
    asyncMode: "jspi",
    asyncImports: HOST_FUNCTION_NAMES.map((fn) =>
      `${PACKAGE}/host@${VERSION}#${kebab(fn)}`
    ),
    asyncExports: asyncExports(Object.keys(EXPORTED_FUNCTIONS)),
    noComponentErrorWrapping: true,
    base64Cutoff: 0,
    emitTypescriptDeclarations: false,
    nodejsCompat: false,
  });
  const decoder = new TextDecoder();
  let js = "";
  const cores: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(result.files)) {
    if (name.endsWith(".wasm")) cores[name] = content;
    else if (name === "plugin.js") js = decoder.decode(content);
  }
  const used = js.match(HOST_DESTRUCTURE)?.[1] ?? "";
  return {
    plugin: { js, cores },
    imports: result.imports.map((name) => name.replace(/@[^/]*$/, "")),
    exports: result.exports.flatMap(([name]) =>
      OWN_EXPORT.exec(name)?.[1] ?? []
    ),
    hostFunctions: used.split(",").map((n) => n.trim()).filter(Boolean).sort(),
  };
}
