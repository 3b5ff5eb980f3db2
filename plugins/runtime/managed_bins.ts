/**
 * `plugins.bins`: the plugin artifacts in the managed dir
 * (`<state dir>/plugins/*.wasm`, regular files only, sorted).
 *
 * @module
 */
import { join } from "node:path";

/** The `plugins.bins` payload. */
export interface PluginBins {
  bins: { name: string }[];
}

/**
 * Lists the managed artifacts; a missing dir lists nothing.
 *
 * @example
 * ```ts
 * const { bins } = await listManagedBins(stateDir); // [{ name: "weather.wasm" }]
 * ```
 */
export async function listManagedBins(stateDir: string): Promise<PluginBins> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(stateDir, "plugins"))) {
      if (entry.isFile && entry.name.endsWith(".wasm")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return { bins: names.sort().map((name) => ({ name })) };
}
