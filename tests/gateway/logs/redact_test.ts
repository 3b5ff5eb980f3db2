import { assertEquals } from "../../_helpers.ts";
import {
  isSecretKey,
  REDACTED,
  redactFields,
  redactText,
} from "../../../gateway/logs/redact.ts";

Deno.test("isSecretKey() matches secret-looking names in any spelling", () => {
  for (
    const key of [
      "token",
      "apiKey",
      "x-api-key",
      "API_KEY",
      "access_token",
      "refreshToken",
      "password",
      "clientSecret",
      "Authorization",
      "Set-Cookie",
      "passphrase",
      "credentials",
      "privateKey",
    ]
  ) assertEquals(isSecretKey(key), true, key);
  for (
    const key of ["user", "port", "sessionKey", "path", "method", "status"]
  ) {
    assertEquals(isSecretKey(key), false, key);
  }
});

Deno.test("redactFields() replaces secret values at any depth and keeps the rest", () => {
  const out = redactFields({
    user: "ana",
    password: "hunter2",
    nested: {
      headers: { authorization: "Bearer abc", accept: "*/*" },
      list: [{ apiKey: "sk-1", n: 1 }],
    },
  });
  assertEquals(out, {
    user: "ana",
    password: REDACTED,
    nested: {
      headers: { authorization: REDACTED, accept: "*/*" },
      list: [{ apiKey: REDACTED, n: 1 }],
    },
  });
});

Deno.test("redactFields() makes errors, bigints and cycles JSON-safe", () => {
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  const out = redactFields({
    error: new TypeError("boom"),
    big: 10n,
    cyclic,
    nan: Number.NaN,
  });
  const text = JSON.stringify(out);
  assertEquals((out.error as { message: string }).message, "boom");
  assertEquals(out.big, "10");
  assertEquals(out.nan, "NaN");
  assertEquals(text.includes("[too deep]"), true);
});

Deno.test("redactText() masks bearer credentials inside free text", () => {
  assertEquals(
    redactText("sent Authorization: Bearer sk-live.123 ok"),
    `sent Authorization: Bearer ${REDACTED} ok`,
  );
});
