/**
 * The componentize-js tool plugin through the whole runtime: loader, sha256
 * cache, both sandboxes and the real host functions of plugins/host with
 * their policy (credentials allowed, http and media denied by default).
 */
import { join } from "node:path";
import { createHostFunctions } from "../../../plugins/host/host_functions.ts";
import type { CredentialStore } from "../../../plugins/host/types.ts";
import { loadArtifact } from "../../../plugins/loader/load_artifact.ts";
import { PluginSupervisor } from "../../../plugins/sandbox/supervisor.ts";
import { assertEquals, tempDir } from "../../_helpers.ts";
import { buildJsToolComponent } from "../fixtures/js_tool.ts";

function memoryCredentials(): CredentialStore {
  const values = new Map<string, string>();
  return {
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => Promise.resolve(void values.set(key, value)),
    delete: (key) => Promise.resolve(void values.delete(key)),
    list: (prefix) =>
      Promise.resolve([...values.keys()].filter((k) => k.startsWith(prefix))),
  };
}

for (const trust of ["trusted", "untrusted"] as const) {
  Deno.test(`a componentize-js plugin calls every host function under the policy (${trust})`, async () => {
    using dir = tempDir();
    const path = join(dir.path, "js-tool.wasm");
    await Deno.writeFile(path, await buildJsToolComponent());
    const artifact = await loadArtifact(path, { stateDir: dir.path });
    assertEquals(artifact.capabilities, [
      "config",
      "credentials",
      "http",
      "logging",
      "media",
    ]);
    assertEquals(artifact.manifest.kind, "tool");
    const logs: string[] = [];
    const log = (level: string) => (_target: string, message: string) =>
      void logs.push(`${level} ${message}`);
    const host = createHostFunctions("js-tool", {
      logger: {
        debug: log("debug"),
        info: log("info"),
        warn: log("warn"),
        error: log("error"),
      },
      pluginConfig: () => ({ apiKey: "k1" }),
      credentials: memoryCredentials(),
      sandbox: { defaults: { allow_credentials: true } },
      stateDir: dir.path,
    });
    const supervisor = new PluginSupervisor(artifact.plugin, host, {
      trust,
      callTimeoutMs: 10_000,
    });
    try {
      await supervisor.start();
      const definitions = await supervisor.call("tool", "get-definitions", []);
      assertEquals(definitions, {
        ok: true,
        value: [{
          name: "probe",
          description: "calls every host function",
          inputSchema: '{"type":"object"}',
        }],
      });
      const outcome = await supervisor.call("tool", "invoke", [
        "probe",
        '{"q":1}',
        { sandboxed: true },
      ]);
      assertEquals(outcome.ok, true);
      const value =
        (outcome as { value: { success: boolean; result: string } }).value;
      const result = JSON.parse(value.result);
      assertEquals(result.config, "k1");
      assertEquals([result.credSet, result.credGet], [true, "s3cret"]);
      assertEquals(typeof result.http.err, "string");
      assertEquals(result.media.ok, false);
      assertEquals([result.params, result.sandboxed], [{ q: 1 }, true]);
      assertEquals(logs.filter((l) => /^\w+ [diwe]$/.test(l)), [
        "debug d",
        "info i",
        "warn w",
        "error e",
      ]);
      const refused = await supervisor.call("tool", "invoke", ["fail", "{}", {
        sandboxed: true,
      }]);
      assertEquals(refused, {
        ok: false,
        pluginError: { code: "NOPE", message: "refused", retryable: false },
      });
      assertEquals(supervisor.state, "active");
    } finally {
      supervisor.close();
    }
  });
}
