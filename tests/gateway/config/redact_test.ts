import { assertEquals } from "../../_helpers.ts";
import { redactConfig } from "../../../gateway/config/redact.ts";

Deno.test("redactConfig() hides values under secret-looking keys at any depth", () => {
  const value = {
    gateway: { port: 1, auth: { mode: "token", token: "abc", password: null } },
    anthropic: { apiKey: "${ANTHROPIC_API_KEY}" },
    credentials: { github: { id: "x", n: 3 } },
    matrix: { storePassphrase: "p", recoveryKey: "r" },
  };
  assertEquals(redactConfig(value), {
    gateway: {
      port: 1,
      auth: { mode: "token", token: "[REDACTED]", password: null },
    },
    anthropic: { apiKey: "[REDACTED]" },
    credentials: { github: { id: "[REDACTED]", n: "[REDACTED]" } },
    matrix: { storePassphrase: "[REDACTED]", recoveryKey: "[REDACTED]" },
  });
});

Deno.test("redactConfig() keeps token counts and hides ciphertext and API-key-shaped values", () => {
  assertEquals(
    redactConfig({
      maxTokens: 8192,
      contextTokens: 1,
      note: "enc:v2:a:b:c",
      other: "sk-abcdefghijkl",
      ok: "hello",
    }),
    {
      maxTokens: 8192,
      contextTokens: 1,
      note: "[REDACTED]",
      other: "[REDACTED]",
      ok: "hello",
    },
  );
});

Deno.test("redactConfig() uses the given key name for a lone value", () => {
  assertEquals(redactConfig("abc", "botToken"), "[REDACTED]");
  assertEquals(redactConfig(8080, "port"), 8080);
});
