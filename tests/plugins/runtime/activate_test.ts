import { join } from "node:path";
import { writeManagedManifest } from "../../../plugins/install/managed_manifest.ts";
import { sha256Hex } from "../../../plugins/loader/cache.ts";
import { activatePlugins } from "../../../plugins/loader/activate.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import {
  buildCoreModule,
  buildServiceComponent,
} from "../fixtures/wat_service.ts";

const component = buildServiceComponent("log");

async function setUp(root: string) {
  const state = join(root, "state");
  const managed = join(state, "plugins");
  const dev = join(root, "dev");
  const dev2 = join(root, "dev2");
  for (const dir of [managed, dev, dev2]) {
    await Deno.mkdir(dir, { recursive: true });
  }
  const bytes = await component;
  await Deno.writeFile(join(dev, "good.wasm"), bytes);
  await Deno.writeFile(join(dev2, "good.wasm"), bytes);
  await Deno.writeFile(join(dev, "fake.wasm"), await buildCoreModule());
  await Deno.writeFile(join(dev, "Bad_Id.wasm"), bytes);
  for (const name of ["svc", "tampered", "off", "stray"]) {
    await Deno.writeFile(join(managed, `${name}.wasm`), bytes);
  }
  const sha256 = await sha256Hex(bytes);
  await writeManagedManifest(managed, {
    svc: { name: "svc", sha256 },
    tampered: { name: "tampered", sha256: "0".repeat(64) },
    off: { name: "off", sha256 },
  });
  return { state, dev, dev2 };
}

const entries = {
  svc: { enabled: true, installId: "i-1", requestedAt: 5 },
  tampered: { enabled: true },
  off: { enabled: false },
  missing: { enabled: true },
};

Deno.test("activatePlugins() reports every plugin's state with a path-free reason", async () => {
  using root = tempDir();
  const { state, dev, dev2 } = await setUp(root.path);
  const result = await activatePlugins(state, {
    load: { paths: [dev, dev2, dev] },
    entries,
    signature: { requireSignature: false },
  });
  const rows = result.plugins.map((
    p,
  ) => [p.name, p.source, p.state, p.pluginId]);
  assertEquals(rows, [
    ["missing", "managed", "failed", null],
    ["off", "managed", "disabled", null],
    ["svc", "managed", "active", "svc"],
    ["tampered", "managed", "failed", null],
    ["stray", "managed", "ignored", null],
    ["Bad_Id", "config", "failed", null],
    ["fake", "config", "failed", null],
    ["good", "config", "active", "good"],
    ["good", "config", "failed", "good"],
  ]);
  const reasons = Object.fromEntries(
    result.plugins.map((p) => [`${p.name}/${p.state}`, p.reason]),
  );
  assertEquals(
    reasons["tampered/failed"],
    `Cannot load managed plugin "tampered": the artifact's sha256 does not match plugins-manifest.json; reinstall it`,
  );
  assertEquals(
    reasons["missing/failed"],
    `Cannot load managed plugin "missing": it has no entry in plugins-manifest.json; reinstall it`,
  );
  assert(reasons["fake/failed"]?.includes("core WebAssembly module"));
  assertEquals(
    result.plugins.at(-1)?.reason,
    'Duplicate plugin id "good": another plugin already uses it',
  );
  for (const row of result.plugins) {
    assert(!row.reason?.includes(root.path), row.reason ?? "");
  }
  assertEquals(result.plugins[2]?.installId, "i-1");
  assertEquals(result.active.map((a) => [a.artifact.pluginId, a.trust]), [
    ["svc", "untrusted"],
    ["good", "trusted"],
  ]);
  assertEquals(result.warnings.length, 1);
});

Deno.test("activatePlugins() fails unsigned managed plugins when signatures are required", async () => {
  using root = tempDir();
  const { state } = await setUp(root.path);
  const result = await activatePlugins(state, { entries: { svc: {} } });
  assertEquals(result.plugins[0]?.state, "failed");
  assert(result.plugins[0]?.reason?.includes("no publisher key and signature"));
  assertEquals(result.active, []);
});

Deno.test("activatePlugins() disables every plugin when plugins.enabled is false", async () => {
  using root = tempDir();
  const { state, dev } = await setUp(root.path);
  const result = await activatePlugins(state, {
    enabled: false,
    load: { paths: [dev] },
    entries,
  });
  const states = new Set(
    result.plugins.filter((p) => p.name !== "stray").map((p) => p.state),
  );
  assertEquals([...states], ["disabled"]);
  assertEquals(result.active, []);
});
