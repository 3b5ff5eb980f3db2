import { assert, assertEquals } from "../../_helpers.ts";
import {
  deviceIdOf,
  signDeviceProof,
  signedPayload,
} from "../../../gateway/protocol/device_signature.ts";
import {
  decodeBase64Loose,
  encodeBase64Url,
} from "../../../gateway/protocol/base64url.ts";

const FIELDS = {
  deviceId: "abc",
  clientId: "cli",
  clientMode: "cli",
  role: "operator",
  scopes: ["operator.read", "operator.write"],
  signedAtMs: 1700000000123,
};

Deno.test("signedPayload() builds the v2 string when a nonce is given", () => {
  assertEquals(
    signedPayload({ ...FIELDS, token: "tok", nonce: "n-1" }),
    "v2|abc|cli|cli|operator|operator.read,operator.write|1700000000123|tok|n-1",
  );
});

Deno.test("signedPayload() builds the v1 string with an empty token slot when there is no nonce and no token", () => {
  assertEquals(
    signedPayload(FIELDS),
    "v1|abc|cli|cli|operator|operator.read,operator.write|1700000000123|",
  );
});

Deno.test("signDeviceProof() produces a proof that verifies against the v2 bytes", async () => {
  const keys = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const proof = await signDeviceProof(keys, {
    ...FIELDS,
    token: "t",
    nonce: "nonce",
  });
  const raw = decodeBase64Loose(proof.publicKey);
  assert(raw !== null && raw.length === 32);
  assertEquals(proof.id, await deviceIdOf(raw));
  assert(/^[0-9a-f]{64}$/.test(proof.id));
  assert(!proof.signature.includes("=") && !proof.signature.includes("+"));
  const message = new TextEncoder().encode(
    signedPayload({
      ...FIELDS,
      deviceId: proof.id,
      token: "t",
      nonce: "nonce",
    }),
  );
  const signature = decodeBase64Loose(proof.signature)!;
  assert(
    await crypto.subtle.verify("Ed25519", keys.publicKey, signature, message),
  );
  const tampered = new TextEncoder().encode(
    signedPayload({
      ...FIELDS,
      deviceId: proof.id,
      token: "x",
      nonce: "nonce",
    }),
  );
  assert(
    !(await crypto.subtle.verify(
      "Ed25519",
      keys.publicKey,
      signature,
      tampered,
    )),
  );
});

Deno.test("decodeBase64Loose() accepts base64url and standard base64 and refuses junk", () => {
  const bytes = new Uint8Array([251, 255, 190, 0, 1]);
  const url = encodeBase64Url(bytes);
  assertEquals(url, "-_--AAE");
  assertEquals(decodeBase64Loose(url), bytes);
  assertEquals(decodeBase64Loose("+/++AAE="), bytes);
  assertEquals(decodeBase64Loose("a!b"), null);
  assertEquals(decodeBase64Loose("abcde"), null);
});
