import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import {
  type InstallDeps,
  installManagedPlugin,
} from "../../../plugins/install/install_plugin.ts";
import { startHttpPeer } from "../../fakes/http_peer.ts";

const COMPONENT = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 7, 7, 7]);
const CORE_MODULE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 7, 7, 7]);

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

function deps(stateDir: string, extra: Partial<InstallDeps> = {}) {
  const entries: Record<string, unknown> = {};
  const d: InstallDeps = {
    stateDir,
    signature: { requireSignature: false },
    fetch: {
      resolve: () => Promise.resolve(["127.0.0.1"]),
      trustedAddresses: ["127.0.0.1"],
    },
    setConfigEntry: (name, entry) => {
      entries[name] = entry;
      return Promise.resolve();
    },
    clock: () => 1000,
    timeoutMs: 2000,
    ...extra,
  };
  return { d, entries };
}

function listing(stateDir: string): string[] {
  try {
    return [...Deno.readDirSync(join(stateDir, "plugins"))].map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

Deno.test("installManagedPlugin() downloads, pins sha256 and records manifest and config", async () => {
  using dir = tempDir();
  await using peer = startHttpPeer();
  peer.serveFile("w.wasm", COMPONENT);
  const { d, entries } = deps(dir.path);
  const progress: number[] = [];
  const sha = hex(await crypto.subtle.digest("SHA-256", COMPONENT));
  const result = await installManagedPlugin("install", {
    name: "weather",
    url: `http://mirror.test:${peer.port}/file/w.wasm`,
    version: "1.2.0",
    sha256: sha,
  }, { ...d, onProgress: (n) => progress.push(n) });
  assertEquals([
    result.ok,
    result.name,
    result.version,
    result.installed_at,
    result.sha256,
  ], [true, "weather", "1.2.0", 1000, sha]);
  assertEquals(result.activation.state, "restart-required");
  assertEquals(
    await Deno.readFile(join(dir.path, "plugins", "weather.wasm")),
    COMPONENT,
  );
  const manifest = JSON.parse(
    await Deno.readTextFile(join(dir.path, "plugins", "plugins-manifest.json")),
  );
  assertEquals(manifest.weather.sha256, sha);
  assertEquals(manifest.weather.path, "weather.wasm");
  assertEquals(entries.weather, { enabled: true, requestedAt: 1000 });
  assertEquals(progress.at(-1), COMPONENT.length);
  assertEquals(listing(dir.path), ["plugins-manifest.json", "weather.wasm"]);
});

Deno.test("installManagedPlugin() refuses a tampered artifact, a core module, oversize and private URLs with nothing left", async () => {
  using dir = tempDir();
  await using peer = startHttpPeer();
  peer.serveFile("w.wasm", COMPONENT);
  peer.serveFile("core.wasm", CORE_MODULE);
  const { d, entries } = deps(dir.path);
  const base = `http://mirror.test:${peer.port}`;
  await assertRejects(
    () =>
      installManagedPlugin("install", {
        name: "w",
        url: `${base}/file/w.wasm`,
        sha256: "0".repeat(64),
      }, d),
    { code: "plugin_hash_mismatch" },
  );
  await assertRejects(
    () =>
      installManagedPlugin("install", {
        name: "w",
        url: `${base}/file/core.wasm`,
      }, d),
    { code: "plugin_artifact_invalid", message: /core WebAssembly module/ },
  );
  await assertRejects(
    () =>
      installManagedPlugin("install", {
        name: "w",
        url: `${base}/bytes?n=${50 * 1024 * 1024 + 1}`,
      }, d),
    { code: "fetch_too_large" },
  );
  await assertRejects(
    () =>
      installManagedPlugin("install", {
        name: "w",
        url: `${peer.origin}/file/w.wasm`,
      }, { ...d, fetch: {} }),
    { name: "SsrfError" },
  );
  await assertRejects(
    () =>
      installManagedPlugin("install", {
        name: "w",
        url: `${base}/redirect?to=/file/w.wasm`,
      }, d),
    { code: "plugin_download_failed", message: /redirects are not followed/ },
  );
  assertEquals(listing(dir.path), []);
  assertEquals(entries, {});
});

Deno.test("installManagedPlugin() enforces the signature policy", async () => {
  using dir = tempDir();
  await using peer = startHttpPeer();
  peer.serveFile("w.wasm", COMPONENT);
  const url = `http://mirror.test:${peer.port}/file/w.wasm`;
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const publisherKey = hex(
    await crypto.subtle.exportKey("raw", pair.publicKey),
  );
  const signature = hex(
    await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, COMPONENT),
  );
  const strict = deps(dir.path, { signature: {} }).d;
  await assertRejects(
    () => installManagedPlugin("install", { name: "w", url }, strict),
    { code: "plugin_signature_invalid" },
  );
  const wrong = signature.replace(
    /^../,
    signature.startsWith("00") ? "01" : "00",
  );
  await assertRejects(
    () =>
      installManagedPlugin("install", {
        name: "w",
        url,
        publisherKey,
        signature: wrong,
      }, strict),
    { code: "plugin_signature_invalid" },
  );
  await assertRejects(
    () =>
      installManagedPlugin(
        "install",
        { name: "w", url, publisherKey, signature },
        deps(dir.path, { signature: { trustedPublishers: ["ab".repeat(32)] } })
          .d,
      ),
    { code: "plugin_signature_invalid", message: /trustedPublishers/ },
  );
  assertEquals(listing(dir.path), []);
  const ok = await installManagedPlugin("install", {
    name: "w",
    url,
    publisherKey,
    signature,
  }, strict);
  assertEquals(ok.publisher_key, publisherKey);
});

Deno.test("installManagedPlugin() update rolls back artifact and manifest when the config write fails", async () => {
  using dir = tempDir();
  await using peer = startHttpPeer();
  const v2 = new Uint8Array([...COMPONENT, 2]);
  peer.serveFile("v1.wasm", COMPONENT);
  peer.serveFile("v2.wasm", v2);
  const base = `http://mirror.test:${peer.port}/file`;
  const { d } = deps(dir.path);
  await assertRejects(
    () =>
      installManagedPlugin("update", { name: "w", url: `${base}/v1.wasm` }, d),
    { code: "plugin_not_installed" },
  );
  await installManagedPlugin("install", {
    name: "w",
    url: `${base}/v1.wasm`,
    version: "1",
  }, d);
  const manifestPath = join(dir.path, "plugins", "plugins-manifest.json");
  const before = await Deno.readTextFile(manifestPath);
  const failing = {
    ...d,
    setConfigEntry: () => Promise.reject(new Error("disk full")),
  };
  await assertRejects(
    () =>
      installManagedPlugin("update", {
        name: "w",
        url: `${base}/v2.wasm`,
        version: "2",
      }, failing),
    {
      code: "plugin_install_failed",
      message: /disk full; nothing was changed/,
    },
  );
  assertEquals(
    await Deno.readFile(join(dir.path, "plugins", "w.wasm")),
    COMPONENT,
  );
  assertEquals(await Deno.readTextFile(manifestPath), before);
  assertEquals(listing(dir.path), ["plugins-manifest.json", "w.wasm"]);
  const updated = await installManagedPlugin("update", {
    name: "w",
    url: `${base}/v2.wasm`,
    version: "2",
  }, d);
  assertEquals([updated.version, updated.updated_at], ["2", 1000]);
  assert(updated.installed_at === undefined);
});

Deno.test("installManagedPlugin() adopts a staged file without url and refuses bad names", async () => {
  using dir = tempDir();
  const { d } = deps(dir.path);
  await assertRejects(() => installManagedPlugin("install", { name: "w" }, d), {
    code: "plugin_artifact_missing",
  });
  Deno.mkdirSync(join(dir.path, "plugins"), { recursive: true });
  Deno.writeFileSync(join(dir.path, "plugins", "w.wasm"), COMPONENT);
  const result = await installManagedPlugin("install", { name: "w" }, d);
  assertEquals(result.name, "w");
  for (const name of ["../x", "sandbox", "", "a".repeat(129), "a b"]) {
    await assertRejects(() => installManagedPlugin("install", { name }, d), {
      code: "plugin_name_invalid",
    });
  }
});
