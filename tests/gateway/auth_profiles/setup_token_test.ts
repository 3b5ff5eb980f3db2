import { ANTHROPIC_OAUTH_BETA } from "../../../gateway/auth_profiles/anthropic_profile.ts";
import { saveAnthropicSetupToken } from "../../../gateway/auth_profiles/setup_token.ts";
import { createProviderRegistry } from "../../../gateway/providers/registry.ts";
import { providerSettings } from "../../../gateway/providers/settings.ts";
import { anthropicWire } from "../../fakes/anthropic_messages.ts";
import { startLlmPeer } from "../../fakes/llm_peer.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { configOf } from "../providers/_helpers.ts";
import { collect } from "../providers/_conformance.ts";
import { seededStore, TEST_PASSWORD } from "./_helpers.ts";

const TOKEN = "sk-ant-oat01-" + "a".repeat(40);

Deno.test("anthropic stream() sends a stored setup token as a bearer token with the OAuth beta", async () => {
  using dir = tempDir();
  await using peer = startLlmPeer(anthropicWire);
  const env = {
    CARAPACE_STATE_DIR: dir.path,
    CARAPACE_CONFIG_PASSWORD: TEST_PASSWORD,
  };
  const id = await saveAnthropicSetupToken(env, ` ${TOKEN}\n`, {
    store: await seededStore(dir.path),
  });
  assertEquals(id, "anthropic:default");
  assert(
    !(await Deno.readTextFile(`${dir.path}/auth_profiles.json`)).includes(
      TOKEN,
    ),
  );
  const registry = createProviderRegistry(
    configOf({ anthropic: { authProfile: id, baseUrl: peer.origin } }),
    env,
    { retry: false },
  );
  peer.script({ kind: "stream", text: ["Hi"] });
  const { provider, model } = registry.resolve("anthropic:fake-model");
  const { error } = await collect(provider.stream({
    model,
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    maxTokens: 16,
    signal: new AbortController().signal,
  }));
  assertEquals(error, undefined);
  const headers = peer.requests[0]?.headers;
  assertEquals(headers?.get("authorization"), `Bearer ${TOKEN}`);
  assertEquals(headers?.get("x-api-key"), null);
  assert(headers?.get("anthropic-beta")?.includes(ANTHROPIC_OAUTH_BETA));
});

Deno.test("providerSettings() prefers the Anthropic API key over the setup-token profile", () => {
  const result = providerSettings(
    "anthropic",
    configOf({ anthropic: { authProfile: "anthropic:default" } }),
    { ANTHROPIC_API_KEY: "sk-ant-api03-x", CARAPACE_CONFIG_PASSWORD: "pw" },
  );
  assertEquals(result, {
    configured: true,
    settings: {
      apiKey: "sk-ant-api03-x",
      baseUrl: "https://api.anthropic.com",
    },
  });
});

Deno.test("saveAnthropicSetupToken() refuses an API key, a malformed token and a missing password", async () => {
  using dir = tempDir();
  const store = await seededStore(dir.path);
  await assertRejects(
    () =>
      saveAnthropicSetupToken({}, "sk-ant-api03-abcdefghijklmnopqrstuvwxyz", {
        store,
      }),
    /this is an API key, not a setup token; use --auth-mode api-key with ANTHROPIC_API_KEY/,
  );
  await assertRejects(
    () => saveAnthropicSetupToken({}, "short token", { store }),
    /expected 20 to 4096 printable characters without spaces/,
  );
  await assertRejects(
    () => saveAnthropicSetupToken({ CARAPACE_STATE_DIR: dir.path }, TOKEN),
    /^AuthProfileError: Cannot store the Anthropic setup token as "anthropic:default": CARAPACE_CONFIG_PASSWORD is not set/,
  );
  assertEquals(await store.list(), []);
});
