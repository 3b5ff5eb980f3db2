import { join } from "node:path";
import { CaraError } from "../../../gateway/errors.ts";
import { cacheDir } from "../../../plugins/loader/cache.ts";
import { loadArtifact } from "../../../plugins/loader/load_artifact.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import {
  buildCoreModule,
  buildServiceComponent,
  withCustomSection,
} from "../fixtures/wat_service.ts";

const component = buildServiceComponent("log");

async function write(dir: string, name: string, bytes: Uint8Array) {
  const path = join(dir, name);
  await Deno.writeFile(path, bytes);
  return path;
}

Deno.test("loadArtifact() infers the manifest and capabilities when the component has no manifest section", async () => {
  using dir = tempDir();
  const path = await write(dir.path, "my-svc.wasm", await component);
  await Deno.utime(
    path,
    new Date("2025-03-04T05:06:07Z"),
    new Date("2025-03-04T05:06:07Z"),
  );
  const loaded = await loadArtifact(path, { stateDir: dir.path });
  assertEquals(loaded.pluginId, "my-svc");
  assertEquals(loaded.manifest, {
    id: "my-svc",
    name: "My Svc",
    description: "",
    version: "0.0.20250304050607",
    kind: "service",
  });
  assertEquals(loaded.capabilities, ["logging"]);
  assertEquals(loaded.exports, ["manifest", "service"]);
  assertEquals(loaded.fromCache, false);
});

Deno.test("loadArtifact() uses the plugin-manifest section when present", async () => {
  using dir = tempDir();
  const manifest = {
    id: "my-svc",
    name: "My Service",
    description: "Example",
    version: "1.2.3",
    kind: "tool",
  };
  const bytes = withCustomSection(
    await component,
    "plugin-manifest",
    JSON.stringify(manifest),
  );
  const loaded = await loadArtifact(
    await write(dir.path, "my-svc.wasm", bytes),
    {
      stateDir: dir.path,
    },
  );
  assertEquals(loaded.manifest, manifest);
});

Deno.test("loadArtifact() refuses an invalid manifest section with the rule broken", async () => {
  using dir = tempDir();
  const bytes = withCustomSection(
    await component,
    "plugin-manifest",
    '{"version":"1"}',
  );
  const caught = await loadArtifact(join(dir.path, "x.wasm"), {
    stateDir: dir.path,
    bytes,
  })
    .catch((e) => e);
  assert(caught instanceof CaraError);
  assertEquals(
    caught.message,
    'Invalid plugin manifest version "1": expected a semantic version such as "1.0.0"',
  );
});

Deno.test("loadArtifact() reads jco's output from the sha256 cache when loaded again", async () => {
  using dir = tempDir();
  const path = await write(dir.path, "my-svc.wasm", await component);
  const first = await loadArtifact(path, { stateDir: dir.path });
  const second = await loadArtifact(path, { stateDir: dir.path });
  assertEquals([first.fromCache, second.fromCache], [false, true]);
  assertEquals(second.plugin.js, first.plugin.js);
  assertEquals(second.capabilities, first.capabilities);
  const entry = join(cacheDir(dir.path), first.sha256);
  assertEquals((await Deno.stat(entry)).mode! & 0o777, 0o700);
  assertEquals(
    (await Deno.stat(join(entry, "plugin.js"))).mode! & 0o777,
    0o600,
  );
});

Deno.test("loadArtifact() refuses a core module posing as a component", async () => {
  using dir = tempDir();
  const path = await write(dir.path, "fake.wasm", await buildCoreModule());
  const error = await loadArtifact(path, { stateDir: dir.path }).catch((e) =>
    e
  );
  assert(error instanceof CaraError);
  assertEquals(error.code, "plugin_not_component");
  assertEquals(
    error.message,
    'Cannot load plugin "fake": it is a core WebAssembly module, not a component; build it with "cargo component build" or wrap it with "wasm-tools component new"',
  );
});

Deno.test("loadArtifact() refuses bad ids, oversize artifacts and non-wasm files", async () => {
  using dir = tempDir();
  const bytes = await component;
  const bad = await loadArtifact(await write(dir.path, "Bad_Id.wasm", bytes), {
    stateDir: dir.path,
  }).catch((e) => e);
  assertEquals(bad.code, "plugin_id_invalid");
  const big = await loadArtifact(await write(dir.path, "big.wasm", bytes), {
    stateDir: dir.path,
    maxBytes: 100,
  }).catch((e) => e);
  assertEquals(big.code, "plugin_too_large");
  const text = await loadArtifact(
    await write(dir.path, "text.wasm", new TextEncoder().encode("hello world")),
    { stateDir: dir.path },
  ).catch((e) => e);
  assertEquals(text.code, "plugin_not_wasm");
  for (const error of [bad, big, text]) {
    assert(!error.message.includes(dir.path), error.message);
  }
});
