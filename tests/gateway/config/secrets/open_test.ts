import { assertEquals } from "../../../_helpers.ts";
import { sealValue } from "../../../../gateway/config/secrets/envelope.ts";
import { SecretKeyring } from "../../../../gateway/config/secrets/keyring.ts";
import { openSecrets } from "../../../../gateway/config/secrets/open.ts";
import { configErrorOf } from "../_helpers.ts";

// One Argon2id derivation for the whole file.
Deno.test("openSecrets() decrypts, scrubs or nulls enc:v2 values anywhere in the config", async (t) => {
  const keyring = new SecretKeyring("pw");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const sealed = await sealValue("tok-123", keyring, salt);
  const config = {
    gateway: { auth: { token: sealed } },
    custom: [{ deep: sealed }],
    plain: "enc:vacation",
  };

  await t.step("with the password every envelope is decrypted", async () => {
    const opened = await openSecrets(config, { keyring });
    assertEquals(opened.value, {
      gateway: { auth: { token: "tok-123" } },
      custom: [{ deep: "tok-123" }],
      plain: "enc:vacation",
    });
    assertEquals(opened.warnings, []);
  });

  await t.step(
    "without a password envelopes become null with one warning",
    async () => {
      const opened = await openSecrets(config, { keyring: null });
      assertEquals(opened.value, {
        gateway: { auth: { token: null } },
        custom: [{ deep: null }],
        plain: "enc:vacation",
      });
      assertEquals(opened.warnings, [
        "2 encrypted config secret(s) replaced by null: set CARAPACE_CONFIG_PASSWORD to decrypt them",
      ]);
    },
  );

  await t.step(
    "a value that does not decrypt becomes null with a warning naming its key only",
    async () => {
      const [, , nonce, ciphertext] = sealed.split(":");
      const flipped = Uint8Array.fromBase64(ciphertext ?? "");
      flipped[0] = (flipped[0] ?? 0) ^ 1;
      const tampered =
        `enc:v2:${nonce}:${flipped.toBase64()}:${salt.toBase64()}`;
      const short = `enc:v2:${nonce}:AAAA:${salt.toBase64()}`;
      const opened = await openSecrets({ a: { b: short }, c: tampered }, {
        keyring,
      });
      assertEquals((opened.value as Record<string, unknown>).a, { b: null });
      assertEquals(
        opened.warnings[0],
        `Cannot decrypt secret at "a.b": ciphertext is shorter than its tag; using null`,
      );
      assertEquals(
        opened.warnings[1],
        `Cannot decrypt secret at "c": wrong password or corrupted ciphertext; using null`,
      );
      assertEquals(keyring.derivedCount, 1);
    },
  );
});

Deno.test("openSecrets() fails with unsupported_secret_envelope for enc:v1", async () => {
  const error = await configErrorOf(
    openSecrets({ openai: { apiKey: "enc:v1:abc" } }, { keyring: null }),
    "unsupported_secret_envelope",
  );
  assertEquals(error.keyPath, "openai.apiKey");
});
