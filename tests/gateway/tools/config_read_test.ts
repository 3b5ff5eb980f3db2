import { configSchema } from "../../../gateway/config/schema.ts";
import type { CaraConfig } from "../../../gateway/config/schema.ts";
import {
  agentConfigView,
  configReadTool,
} from "../../../gateway/tools/config_read.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import { runTool } from "./_helpers.ts";

const RAW = {
  gateway: {
    port: 18790,
    auth: { mode: "token", token: "tok-123456789" },
    hooks: { token: "hook-secret-1" },
  },
  agents: { defaults: { model: "anthropic:claude-x", contextTokens: 1000 } },
};

function read(config: () => CaraConfig, input: unknown) {
  return runTool([configReadTool({ config })], "config_read", input);
}

Deno.test("agentConfigView() hides display secrets plus auth and private keys", () => {
  const view = agentConfigView({
    providers: { openai: { apiKey: "sk-abcdefghijkl", model: "gpt" } },
    gateway: { auth: { mode: "password", allowTailscale: true }, port: 1 },
    tls: { privateKeyPath: "/etc/key.pem", certPath: "/etc/cert.pem" },
    oauth: { authorizeUrl: "https://x", scopes: ["a", "b"] },
    agents: { defaults: { maxTokens: 4096 } },
  });
  assertEquals(view, {
    providers: { openai: { apiKey: "[REDACTED]", model: "gpt" } },
    gateway: { auth: { mode: "[REDACTED]", allowTailscale: true }, port: 1 },
    tls: { privateKeyPath: "[REDACTED]", certPath: "/etc/cert.pem" },
    // "oauth" contains "auth": everything under it is hidden.
    oauth: { authorizeUrl: "[REDACTED]", scopes: ["[REDACTED]", "[REDACTED]"] },
    agents: { defaults: { maxTokens: 4096 } },
  });
});

Deno.test("config_read returns the whole redacted config when no key is given", async () => {
  const config = configSchema.parse(RAW);
  const output = await read(() => config, {});
  assertEquals(output.isError, undefined);
  const text = output.content;
  for (const secret of ["tok-123456789", "hook-secret-1"]) {
    assert(!text.includes(secret), `leaked ${secret}`);
  }
  const parsed = JSON.parse(text) as {
    config: { gateway: { port: number; auth: Record<string, unknown> } };
  };
  assertEquals(parsed.config.gateway.port, 18790);
  assertEquals(parsed.config.gateway.auth.mode, "[REDACTED]");
  assertEquals(parsed.config.gateway.auth.token, "[REDACTED]");
});

Deno.test("config_read reads one dot path, redacted, and reports a missing key", async () => {
  const config = configSchema.parse(RAW);
  const get = async (key: string) =>
    JSON.parse((await read(() => config, { key })).content);
  assertEquals(await get("gateway.port"), {
    key: "gateway.port",
    found: true,
    value: 18790,
  });
  assertEquals((await get("gateway.auth.token")).value, "[REDACTED]");
  assertEquals((await get("gateway.hooks.token")).value, "[REDACTED]");
  assertEquals((await get("agents.defaults.contextTokens")).value, 1000);
  assertEquals(await get("gateway.nope"), {
    key: "gateway.nope",
    found: false,
    value: null,
  });
});

Deno.test("config_read follows the config in force after a reload", async () => {
  let config = configSchema.parse(RAW);
  const tools = [configReadTool({ config: () => config })];
  const port = async () =>
    JSON.parse(
      (await runTool(tools, "config_read", { key: "gateway.port" })).content,
    ).value;
  assertEquals(await port(), 18790);
  config = configSchema.parse({ ...RAW, gateway: { port: 18800 } });
  assertEquals(await port(), 18800);
});

Deno.test("config_read refuses a key that is not a dot path string", async () => {
  const config = configSchema.parse({});
  const output = await read(() => config, { key: 42 });
  assertEquals(output.isError, true);
  assert(output.content.startsWith('Invalid config_read input: "key"'));
  const empty = await read(() => config, { key: "gateway..port" });
  assertEquals(empty.isError, true);
  assert(
    empty.content.startsWith(
      'Invalid config key "gateway..port": it has an empty segment',
    ),
  );
});
