/**
 * Child process of the crash test: starts one run against the scripted peer
 * at `Deno.args[1]` with the state database `Deno.args[0]`, prints "delta"
 * when the first text has streamed, then waits to be killed.
 *
 * @module
 */
import { createAgentRuns } from "../../../gateway/agent/runs.ts";
import type { EventSink } from "../../../gateway/protocol/types.ts";
import { createProviderRegistry } from "../../../gateway/providers/registry.ts";
import { openDatabase } from "../../../gateway/state/mod.ts";
import { configOf } from "./_helpers.ts";

const [dbPath, origin] = Deno.args;
const config = configOf({
  agents: { defaults: { model: "anthropic:claude-fake" } },
});
const state = openDatabase(dbPath!);
const encoder = new TextEncoder();
let told = false;
const sink: EventSink = {
  broadcast(event) {
    if (event === "agent" && !told) {
      told = true;
      Deno.stdout.writeSync(encoder.encode("delta\n"));
    }
  },
};
const runs = createAgentRuns({
  state,
  events: sink,
  config: () => config,
  providers: createProviderRegistry(config, {
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: origin!,
  }, { retry: false }),
  flushIntervalMs: 0,
});
await runs.start({ message: "tell me", sessionKey: "crash", source: "cli" });
await new Promise(() => {});
