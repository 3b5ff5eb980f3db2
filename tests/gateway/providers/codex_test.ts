import { runCodexLogin } from "../../../gateway/auth_profiles/codex_login.ts";
import { profileCredentials } from "../../../gateway/auth_profiles/profile_credentials.ts";
import { codexProvider } from "../../../gateway/providers/codex.ts";
import { TOOL_ERROR_PREFIX } from "../../../gateway/providers/openai_messages.ts";
import { createProviderRegistry } from "../../../gateway/providers/registry.ts";
import { startLlmPeer } from "../../fakes/llm_peer.ts";
import { approveInBrowser, startOAuthPeer } from "../../fakes/oauth_server.ts";
import { openaiChatWire } from "../../fakes/openai_chat.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import { seededStore, TEST_PASSWORD } from "../auth_profiles/_helpers.ts";
import { configOf } from "./_helpers.ts";
import { collect, runConformance } from "./_conformance.ts";

interface WireMessage {
  role: string;
  tool_call_id?: string;
  content?: string;
}

const conformanceDir = Deno.makeTempDirSync({ prefix: "cara-codex-" });
const conformanceStore = await seededStore(conformanceDir);
await conformanceStore.save({
  id: "codex:default",
  provider: "codex",
  kind: "oauth",
  createdAt: 0,
  updatedAt: 0,
  accessToken: "oauth-access",
  refreshToken: "oauth-refresh",
});

runConformance({
  name: "codex",
  wire: openaiChatWire,
  build: (origin) =>
    codexProvider({
      baseUrl: origin,
      credentials: profileCredentials(conformanceStore, "codex:default", {
        provider: "codex",
      }),
    }),
  overloadStatus: 503,
  toolResults: (body) =>
    (body as { messages: WireMessage[] }).messages.filter((m) =>
      m.role === "tool"
    ).map((m) => ({
      id: m.tool_call_id ?? "",
      content: m.content ?? "",
      isError: m.content?.startsWith(TOOL_ERROR_PREFIX) === true,
    })),
});

Deno.test("codex stream() through the registry refreshes an expired sign-in, sends the OAuth token and maps codex:default", async () => {
  using dir = tempDir();
  await using oauth = startOAuthPeer();
  await using peer = startLlmPeer(openaiChatWire);
  const env = {
    CARAPACE_STATE_DIR: dir.path,
    CARAPACE_CONFIG_PASSWORD: TEST_PASSWORD,
    OPENAI_OAUTH_CLIENT_ID: oauth.clientId,
  };
  await runCodexLogin({
    env,
    issuer: oauth.origin,
    store: await seededStore(dir.path),
    now: () => 0, // signed in long ago: the token has expired
    openBrowser: async (url) => void await approveInBrowser(url),
  });
  const registry = createProviderRegistry(
    configOf({ codex: { authProfile: "codex:default", baseUrl: peer.origin } }),
    env,
    { retry: false },
  );
  const { provider, model } = registry.resolve("codex:default");
  const ask = () =>
    collect(provider.stream({
      model,
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      maxTokens: 16,
      signal: new AbortController().signal,
    }));
  peer.script({ kind: "stream", text: ["Hello"] });
  const first = await ask();
  assertEquals(first.error, undefined);
  assertEquals(peer.requests[0]?.headers.get("authorization"), "Bearer at-2");
  assertEquals(
    (peer.requests[0]?.body as { model: string }).model,
    "gpt-5-codex",
  );
  // The API refuses the token: the call fails as auth, the next one refreshes.
  peer.script({ kind: "http_error", status: 401, message: "token revoked" }, {
    kind: "stream",
    text: ["again"],
  });
  assertEquals((await ask()).error?.failure, "auth");
  assertEquals((await ask()).error, undefined);
  assertEquals(peer.requests[2]?.headers.get("authorization"), "Bearer at-3");
  assertEquals(oauth.tokenRequests.map((f) => f.get("grant_type")), [
    "authorization_code",
    "refresh_token",
    "refresh_token",
  ]);
});

Deno.test("codex is not configured without the password or with a missing profile", async () => {
  using dir = tempDir();
  const config = configOf({ codex: { authProfile: "codex:default" } });
  const locked = createProviderRegistry(config, {
    CARAPACE_STATE_DIR: dir.path,
  });
  assertEquals(
    locked.whyNotConfigured("codex"),
    `set CARAPACE_CONFIG_PASSWORD to unlock auth profile "codex:default" ("codex.authProfile")`,
  );
  const registry = createProviderRegistry(config, {
    CARAPACE_STATE_DIR: dir.path,
    CARAPACE_CONFIG_PASSWORD: "unused",
  }, { retry: false });
  const { error } = await collect(
    registry.resolve("codex:gpt-5").provider.stream({
      model: "gpt-5",
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      maxTokens: 16,
      signal: new AbortController().signal,
    }),
  );
  assertEquals(error?.failure, "auth");
  assert(
    error?.message.includes(
      `it is not in "${dir.path}/auth_profiles.json"; sign in with "cara setup --provider codex"`,
    ),
    error?.message,
  );
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(conformanceDir, { recursive: true });
});
