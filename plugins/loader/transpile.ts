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

/**
 * Transpiles a component; `exported` names the interfaces it exports
 * (from {@linkcode inspectComponent}).
 *
 * @example
 * ```ts
 * const plugin = await transpileComponent(bytes, ["manifest", "tool"]);
 * ```
 */
export async function transpileComponent(
  bytes: Uint8Array,
  exported: readonly string[],
): Promise<TranspiledPlugin> {
  const { transpileBytes } = await import("@bytecodealliance/jco-transpile");
  const result = await transpileBytes(bytes, {
    name: "plugin",
    instantiation: "async",
    asyncMode: "jspi",
    asyncImports: HOST_FUNCTION_NAMES.map((fn) =>
      `${PACKAGE}/host@${VERSION}#${kebab(fn)}`
    ),
    asyncExports: asyncExports(exported),
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
  return { js, cores };
}
