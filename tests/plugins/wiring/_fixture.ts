/**
 * Fixtures of the wiring tests: the componentize-js "wiring" plugin
 * (webhook + hooks + channel + tool, built from _fixture/wiring.js and cached
 * in the system temp dir by input hash) and the WAT service fixtures.
 *
 * @module
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeHex } from "../../../gateway/sha256.ts";
import { PLUGIN_WIT } from "../../../wit/plugin_wit.ts";

const SOURCE = join(import.meta.dirname ?? ".", "_fixture", "wiring.js");

/** The fixture world: every export the runtime wires, in one component. */
const WORLD = `
world wiring-fixture {
  import host;
  export manifest;
  export webhook;
  export hooks;
  export channel-meta;
  export channel-adapter;
  export tool;
}
`;

async function inputsHash(): Promise<string> {
  const text = `componentize-js@0.23\n${PLUGIN_WIT}${WORLD}\n${await Deno
    .readTextFile(SOURCE)}`;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return encodeHex(new Uint8Array(digest)).slice(0, 16);
}

/** The wiring component's bytes (built once per input change, ~15 s). */
export async function buildWiringComponent(): Promise<Uint8Array> {
  const dir = join(tmpdir(), "cara-fixtures");
  const path = join(dir, `wiring-${await inputsHash()}.wasm`);
  try {
    return await Deno.readFile(path);
  } catch {
    // not built yet
  }
  const { componentize } = await import("@bytecodealliance/componentize-js");
  const build = componentize as unknown as (
    options: Record<string, unknown>,
  ) => Promise<{ component: Uint8Array }>;
  const { component } = await build({
    sourcePath: SOURCE,
    witWorld: `${PLUGIN_WIT}${WORLD}`,
    worldName: "wiring-fixture",
    disableFeatures: ["stdio", "random", "clocks", "http", "fetch-event"],
  });
  await Deno.mkdir(dir, { recursive: true });
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeFile(temp, component);
  await Deno.rename(temp, path);
  return component;
}
