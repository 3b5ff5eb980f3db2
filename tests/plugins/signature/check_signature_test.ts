import { assertEquals, assertRejects } from "../../_helpers.ts";
import { checkSignature } from "../../../plugins/signature/check_signature.ts";
import { publisherKey } from "../fixtures/publisher_key.ts";

const WASM = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 42]);

const REFUSED = { name: "SignatureError", code: "plugin_signature_invalid" };

Deno.test("checkSignature() verifies a signature over the raw bytes", async () => {
  const s = await publisherKey();
  const verdict = await checkSignature("weather", WASM, {
    publisher_key: s.publicKey.toUpperCase(),
    signature: await s.sign(WASM),
  });
  assertEquals(verdict, { status: "verified", publisherKey: s.publicKey });
});

Deno.test("checkSignature() refuses a tampered artifact and a signature by another key", async () => {
  const s = await publisherKey();
  const other = await publisherKey();
  const good = await s.sign(WASM);
  const foreign = await other.sign(WASM);
  const tampered = WASM.slice();
  tampered[8] = 43;
  await assertRejects(
    () =>
      checkSignature("weather", tampered, {
        publisher_key: s.publicKey,
        signature: good,
      }),
    { ...REFUSED, message: /does not match/ },
  );
  await assertRejects(
    () =>
      checkSignature("weather", WASM, {
        publisher_key: s.publicKey,
        signature: foreign,
      }),
    REFUSED,
  );
});

Deno.test("checkSignature() requires a signature by default and accepts unsigned only when allowed", async () => {
  await assertRejects(() => checkSignature("weather", WASM, {}), {
    ...REFUSED,
    message: /requireSignature is true/,
  });
  const verdict = await checkSignature("weather", WASM, {}, {
    requireSignature: false,
  });
  assertEquals(verdict.status, "unsigned");
  assertEquals(await checkSignature("weather", WASM, {}, { enabled: false }), {
    status: "disabled",
  });
});

Deno.test("checkSignature() enforces trustedPublishers case-insensitively; an empty list trusts any key", async () => {
  const s = await publisherKey();
  const other = await publisherKey();
  const record = { publisher_key: s.publicKey, signature: await s.sign(WASM) };
  await assertRejects(
    () =>
      checkSignature("weather", WASM, record, {
        trustedPublishers: [other.publicKey],
      }),
    { ...REFUSED, message: /not in plugins.signature.trustedPublishers/ },
  );
  assertEquals(
    (await checkSignature("weather", WASM, record, {
      trustedPublishers: [s.publicKey.toUpperCase()],
    })).status,
    "verified",
  );
  assertEquals(
    (await checkSignature("weather", WASM, record, { trustedPublishers: [] }))
      .status,
    "verified",
  );
});

Deno.test("checkSignature() refuses malformed keys and signatures", async () => {
  const s = await publisherKey();
  const good = await s.sign(WASM);
  await assertRejects(
    () =>
      checkSignature("weather", WASM, {
        publisher_key: "zz",
        signature: good,
      }),
    { ...REFUSED, message: /64 hex/ },
  );
  await assertRejects(
    () =>
      checkSignature("weather", WASM, {
        publisher_key: s.publicKey,
        signature: "ab",
      }),
    { ...REFUSED, message: /128 hex/ },
  );
});
