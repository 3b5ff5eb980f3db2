import { assertEquals } from "../../_helpers.ts";
import {
  changedProtectedPrefixes,
  PROTECTED_PREFIXES,
} from "../../../gateway/config/protected.ts";

Deno.test("changedProtectedPrefixes() finds protected prefixes changed anywhere beneath them", () => {
  const before = {
    gateway: { auth: { mode: "token" }, port: 1 },
    plugins: { signature: { enabled: true } },
  };
  assertEquals(
    changedProtectedPrefixes(before, {
      ...before,
      gateway: { ...before.gateway, port: 2 },
    }),
    [],
  );
  assertEquals(
    changedProtectedPrefixes(before, {
      gateway: { auth: { mode: "none" }, port: 1 },
      plugins: {},
    }),
    ["gateway.auth", "plugins.signature"],
  );
  assertEquals(
    changedProtectedPrefixes({}, {
      env: { vars: { OPENAI_BASE_URL: "http://evil" } },
    }),
    [
      "env.vars.OPENAI_BASE_URL",
    ],
  );
  assertEquals(
    changedProtectedPrefixes({}, { gateway: { controlUi: { enabled: true } } }),
    [],
  );
});

Deno.test("PROTECTED_PREFIXES covers auth, provider keys and endpoints, channel secrets and loader env", () => {
  for (
    const prefix of [
      "gateway.auth",
      "gateway.hooks.token",
      "gateway.controlUi.path",
      "anthropic.apiKey",
      "providers.ollama.baseUrl",
      "telegram.botToken",
      "matrix.inboundDlq",
      "auth.profiles.providers.github.clientSecret",
      "env.CARAPACE_CONFIG_PASSWORD",
      "env.vars.SIGNAL_CLI_URL",
    ]
  ) {
    assertEquals(PROTECTED_PREFIXES.includes(prefix), true, prefix);
  }
});
