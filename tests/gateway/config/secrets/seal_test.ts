import { assert, assertEquals } from "../../../_helpers.ts";
import {
  isEnvelope,
  openValue,
} from "../../../../gateway/config/secrets/envelope.ts";
import { SecretKeyring } from "../../../../gateway/config/secrets/keyring.ts";
import {
  assertUnlockedWrite,
  sealSecrets,
} from "../../../../gateway/config/secrets/seal.ts";
import { configErrorOf } from "../_helpers.ts";

// Two Argon2id derivations for the whole file (two write sessions with new plaintext).
Deno.test("sealSecrets() seals sealed paths, skips placeholders and keeps unchanged ciphertext", async (t) => {
  const keyring = new SecretKeyring("pw");
  const first = await sealSecrets({
    gateway: {
      auth: { token: "tok" },
      hooks: { token: "${HOOKS_TOKEN}" },
      port: 1,
    },
    env: { vars: { OPENAI_API_KEY: "sk-abc" }, OTHER: "visible" },
    telegram: { botToken: 42 },
    note: "not sealed",
  }, { before: {}, keyring });
  const value = first.value as {
    gateway: { auth: { token: string }; hooks: { token: string } };
    env: { vars: { OPENAI_API_KEY: string }; OTHER: string };
    note: string;
  };

  await t.step(
    "sealed paths hold envelopes sharing one salt; others are untouched",
    async () => {
      assert(isEnvelope(value.gateway.auth.token));
      assert(isEnvelope(value.env.vars.OPENAI_API_KEY));
      assertEquals(
        value.gateway.auth.token.split(":")[4],
        value.env.vars.OPENAI_API_KEY.split(":")[4],
      );
      assertEquals(
        await openValue(value.env.vars.OPENAI_API_KEY, keyring),
        "sk-abc",
      );
      assertEquals([value.gateway.hooks.token, value.env.OTHER, value.note], [
        "${HOOKS_TOKEN}",
        "visible",
        "not sealed",
      ]);
      assertEquals(first.warnings, [
        `Not sealing "telegram.botToken": expected a string`,
      ]);
      assertEquals(keyring.derivedCount, 1);
    },
  );

  await t.step(
    "a write with the same plaintext keeps the old ciphertext (no churn)",
    async () => {
      const again = await sealSecrets({ gateway: { auth: { token: "tok" } } }, {
        before: value,
        keyring,
      });
      assertEquals(again.value, {
        gateway: { auth: { token: value.gateway.auth.token } },
      });
      assertEquals(keyring.derivedCount, 1);
    },
  );

  await t.step(
    "a changed plaintext gets new ciphertext under a fresh salt",
    async () => {
      const changed = await sealSecrets({
        gateway: { auth: { token: "tok2" } },
      }, { before: value, keyring });
      const token = (changed.value as typeof value).gateway.auth.token;
      assert(isEnvelope(token) && token !== value.gateway.auth.token);
      assertEquals(await openValue(token, keyring), "tok2");
      assertEquals(keyring.derivedCount, 2);
    },
  );
});

Deno.test("assertUnlockedWrite() refuses changing or dropping ciphertext and allows keeping it", async () => {
  const before = { gateway: { auth: { token: "enc:v2:a:b:c" } }, port: 1 };
  assertUnlockedWrite(before, {
    gateway: { auth: { token: "enc:v2:a:b:c" } },
    port: 2,
  }, "/c.json");
  const replaced = await configErrorOf(
    () =>
      assertUnlockedWrite(
        before,
        { gateway: { auth: { token: "plain" } } },
        "/c.json",
      ),
    "locked_write",
  );
  assertEquals(
    replaced.message,
    `Cannot write config "/c.json": it would change the encrypted value at "gateway.auth.token"; set CARAPACE_CONFIG_PASSWORD and retry`,
  );
  await configErrorOf(
    () => assertUnlockedWrite(before, { port: 1 }, "/c.json"),
    "locked_write",
  );
});
