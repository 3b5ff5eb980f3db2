import {
  matchesHash,
  secretsEqual,
  sha256Hex,
} from "../../../gateway/auth/secret_compare.ts";
import { assert, assertEquals } from "../../_helpers.ts";

Deno.test("secretsEqual() is true only for identical secrets of any length", () => {
  assert(secretsEqual("s3cret", "s3cret"));
  assert(!secretsEqual("s3cret", "s3cre"));
  assert(!secretsEqual("s3cret", "s3cret "));
  assert(!secretsEqual("", "x"));
  assert(secretsEqual("", ""));
  assert(!secretsEqual("a".repeat(10_000), "a".repeat(9_999) + "b"));
});

Deno.test("sha256Hex() gives the lowercase hex digest and matchesHash() checks against it", () => {
  assertEquals(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert(matchesHash("abc", sha256Hex("abc")));
  assert(!matchesHash("abd", sha256Hex("abc")));
  assert(!matchesHash("abc", sha256Hex("abc").toUpperCase()));
});
