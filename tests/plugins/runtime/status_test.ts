import type { PluginStatus } from "../../../plugins/loader/activate.ts";
import { pluginsStatus } from "../../../plugins/loader/status.ts";
import { assertEquals } from "../../_helpers.ts";

const row = (name: string, state: PluginStatus["state"]): PluginStatus => ({
  name,
  pluginId: state === "active" ? name : null,
  enabled: true,
  installId: null,
  requestedAt: null,
  source: "config",
  state,
  reason: state === "failed" ? "bad" : null,
});

Deno.test("pluginsStatus() counts failures including plugins that crashed after start", () => {
  const report = pluginsStatus(
    { load: { paths: ["/a", "/a", "/b"] } },
    [row("one", "active"), row("two", "active"), row("three", "failed")],
    {
      bootstrapErrors: 1,
      live: new Map([["two", { failed: true, reason: "the plugin crashed" }]]),
    },
  );
  assertEquals(report.pluginsEnabled, true);
  assertEquals(report.configuredPluginPathCount, 2);
  assertEquals(report.restartRequiredForChanges, true);
  assertEquals(report.activationErrorCount, 3);
  assertEquals(report.plugins.map((p) => [p.name, p.state, p.reason]), [
    ["one", "active", null],
    ["two", "failed", "the plugin crashed"],
    ["three", "failed", "bad"],
  ]);
});
