import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
} from "../../../_helpers.ts";
import {
  assertSupportedEnvelope,
  openValue,
  sealValue,
} from "../../../../gateway/config/secrets/envelope.ts";
import { SecretKeyring } from "../../../../gateway/config/secrets/keyring.ts";
import { configErrorOf } from "../_helpers.ts";

// Argon2id at 64 MiB is slow: this file derives exactly two keys.
Deno.test("sealValue() and openValue() round-trip an enc:v2 envelope", async (t) => {
  const keyring = new SecretKeyring("correct horse");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const envelope = await sealValue("sk-secret-value", keyring, salt);

  await t.step(
    "the envelope has the enc:v2 layout with a 12-byte nonce and the salt",
    () => {
      const match =
        /^enc:v2:([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(
          envelope,
        );
      assert(match !== null, envelope);
      assertEquals(Uint8Array.fromBase64(match[1] ?? "").length, 12);
      assertEquals(
        Uint8Array.fromBase64(match[2] ?? "").length,
        "sk-secret-value".length + 16,
      );
      assertEquals(match[3], salt.toBase64());
    },
  );

  await t.step(
    "openValue() returns the plaintext with the cached key",
    async () => {
      assertEquals(await openValue(envelope, keyring), "sk-secret-value");
      assertEquals(keyring.derivedCount, 1);
    },
  );

  await t.step("two seals of the same value differ (fresh nonce)", async () => {
    assert(await sealValue("sk-secret-value", keyring, salt) !== envelope);
  });

  await t.step(
    "openValue() fails for tampered ciphertext or a malformed envelope",
    async () => {
      const parts = envelope.split(":");
      const sealed = Uint8Array.fromBase64(parts[3] ?? "");
      sealed[0] = (sealed[0] ?? 0) ^ 1;
      parts[3] = sealed.toBase64();
      await assertRejects(
        openValue(parts.join(":"), keyring),
        /wrong password or corrupted ciphertext/,
      );
      await assertRejects(
        openValue("enc:v2:AAAA:BBBB", keyring),
        /malformed envelope/,
      );
      await assertRejects(
        openValue("enc:v2:!!:BBBB:CCCC", keyring),
        /not valid base64/,
      );
    },
  );

  await t.step("openValue() fails with another password", async () => {
    await assertRejects(
      openValue(envelope, new SecretKeyring("wrong")),
      /wrong password/,
    );
  });
});

Deno.test("assertSupportedEnvelope() refuses enc:v1 and other versions but not enc:v2 or plain text", async () => {
  const error = await configErrorOf(
    () =>
      assertSupportedEnvelope("enc:v1:abc", { keyPath: "gateway.auth.token" }),
    "unsupported_secret_envelope",
  );
  assertMatch(
    error.message,
    /^Cannot read secret at "gateway\.auth\.token": unsupported encrypted config secret envelope "enc:v1"; only enc:v2 is supported/,
  );
  assertSupportedEnvelope("enc:v2:x:y:z", { keyPath: "k" });
  assertSupportedEnvelope("enc:vacation", { keyPath: "k" });
});

Deno.test("SecretKeyring refuses an empty password and a short salt", async () => {
  let threw = false;
  try {
    new SecretKeyring("");
  } catch (error) {
    threw = error instanceof RangeError;
  }
  assert(threw);
  await assertRejects(
    new SecretKeyring("pw").keyFor(new Uint8Array(8)),
    /salt is 8 bytes, expected at least 16/,
  );
});
