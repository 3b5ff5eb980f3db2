import { assertEquals, assertMatch } from "../../_helpers.ts";
import {
  isPlaceholder,
  substituteVars,
} from "../../../gateway/config/substitute.ts";
import { configErrorOf } from "./_helpers.ts";

const lookup = (name: string) =>
  ({ HOST: "example.org", PORT_1: "8080" })[name];

Deno.test("substituteVars() replaces ${NAME} in every string at any depth", () => {
  const value = {
    a: "http://${HOST}:${PORT_1}/",
    list: ["${HOST}"],
    n: 1,
    nested: { b: "${HOST}" },
  };
  assertEquals(substituteVars(value, lookup), {
    a: "http://example.org:8080/",
    list: ["example.org"],
    n: 1,
    nested: { b: "example.org" },
  });
});

Deno.test("substituteVars() leaves lowercase names literal and turns $${NAME} into ${NAME}", () => {
  assertEquals(
    substituteVars("${host} $${HOST} ${HOST}", lookup),
    "${host} ${HOST} example.org",
  );
});

Deno.test("substituteVars() fails with missing_env_var naming the variable and the key path", async () => {
  const error = await configErrorOf(
    () =>
      substituteVars(
        { gateway: { auth: { token: "${GATEWAY_SECRET}" } } },
        lookup,
        { file: "/c.json5" },
      ),
    "missing_env_var",
  );
  assertMatch(
    error.message,
    /^Cannot substitute "\$\{GATEWAY_SECRET\}" at "gateway\.auth\.token" in "\/c\.json5": environment variable "GATEWAY_SECRET" is not set/,
  );
  assertEquals(error.keyPath, "gateway.auth.token");
});

Deno.test("substituteVars() keeps unset placeholders when missing is keep", () => {
  assertEquals(
    substituteVars({ k: "${UNSET_X}/${HOST}" }, lookup, { missing: "keep" }),
    { k: "${UNSET_X}/example.org" },
  );
});

Deno.test("isPlaceholder() is true only for a whole-string ${NAME}", () => {
  assertEquals([
    isPlaceholder("${A_B}"),
    isPlaceholder("x${A}"),
    isPlaceholder("${a}"),
  ], [true, false, false]);
});
