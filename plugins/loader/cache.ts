/**
 * The transpile cache: jco's output for a component, stored by the sha256
 * of the component in `<state dir>/plugins/.cache/<sha256>/`, so a warm
 * start never loads jco. A directory appears whole or not at all (written
 * under a temporary name, then renamed); files are 0600, directories 0700.
 *
 * @module
 */
import { sha256Hex } from "../../gateway/sha256.ts";
import { join } from "node:path";
import {
  TRANSPILE_FORMAT,
  transpileComponent,
  type TranspileOutput,
} from "./transpile.ts";

/** The cache directory under a state dir. */
export function cacheDir(stateDir: string): string {
  return join(stateDir, "plugins", ".cache");
}

interface CacheMeta {
  format: string;
  imports: string[];
  exports: string[];
  hostFunctions: string[];
  cores: string[];
}

const SAFE_NAME = /^[a-z0-9_.-]+\.wasm$/i;

export { sha256Hex };

async function readCached(dir: string): Promise<TranspileOutput | undefined> {
  let meta: CacheMeta;
  try {
    meta = JSON.parse(await Deno.readTextFile(join(dir, "meta.json")));
  } catch {
    return undefined;
  }
  if (meta.format !== TRANSPILE_FORMAT) return undefined;
  const cores: Record<string, Uint8Array> = {};
  for (const name of meta.cores) {
    if (!SAFE_NAME.test(name)) return undefined;
    cores[name] = await Deno.readFile(join(dir, name));
  }
  const js = await Deno.readTextFile(join(dir, "plugin.js"));
  const { imports, exports, hostFunctions } = meta;
  return { plugin: { js, cores }, imports, exports, hostFunctions };
}

async function writeCached(
  dir: string,
  output: TranspileOutput,
): Promise<void> {
  const parent = join(dir, "..");
  await Deno.mkdir(parent, { recursive: true, mode: 0o700 });
  const temp = join(parent, `.tmp-${crypto.randomUUID()}`);
  await Deno.mkdir(temp, { mode: 0o700 });
  try {
    const write = (name: string, data: Uint8Array | string) =>
      typeof data === "string"
        ? Deno.writeTextFile(join(temp, name), data, { mode: 0o600 })
        : Deno.writeFile(join(temp, name), data, { mode: 0o600 });
    for (const [name, bytes] of Object.entries(output.plugin.cores)) {
      if (!SAFE_NAME.test(name)) {
        throw new Error(`unexpected core module name "${name}"`);
      }
      await write(name, bytes);
    }
    await write("plugin.js", output.plugin.js);
    const meta: CacheMeta = {
      format: TRANSPILE_FORMAT,
      imports: output.imports,
      exports: output.exports,
      hostFunctions: output.hostFunctions,
      cores: Object.keys(output.plugin.cores),
    };
    await write("meta.json", JSON.stringify(meta));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.rename(temp, dir);
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw error;
  }
}

/** Where a {@linkcode transpileCached} result came from. */
export interface CachedTranspile extends TranspileOutput {
  sha256: string;
  fromCache: boolean;
}

/**
 * jco's output for `bytes`: from the cache when present and current,
 * otherwise transpiled now and stored.
 *
 * @example
 * ```ts
 * const { plugin, fromCache } = await transpileCached(stateDir, bytes);
 * ```
 */
export async function transpileCached(
  stateDir: string,
  bytes: Uint8Array,
): Promise<CachedTranspile> {
  const sha256 = await sha256Hex(bytes);
  const dir = join(cacheDir(stateDir), sha256);
  const cached = await readCached(dir);
  if (cached) return { ...cached, sha256, fromCache: true };
  const output = await transpileComponent(bytes);
  await writeCached(dir, output);
  return { ...output, sha256, fromCache: false };
}
