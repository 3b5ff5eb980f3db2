import { assertEquals, assertMatch } from "../../_helpers.ts";
import {
  applyConfigEnv,
  computeConfigEnv,
  type EnvTarget,
} from "../../../gateway/config/env_section.ts";
import { configErrorOf } from "./_helpers.ts";

function mapTarget(
  initial: Record<string, string>,
): EnvTarget & { map: Map<string, string> } {
  const map = new Map(Object.entries(initial));
  return {
    map,
    get: (name) => map.get(name),
    set: (name, value) => void map.set(name, value),
    delete: (name) => void map.delete(name),
  };
}

Deno.test("computeConfigEnv() collects env.vars and string keys under env, resolving references", () => {
  const section = {
    API_URL: "https://${API_HOST}/v1",
    vars: { API_HOST: "api.${DOMAIN}", PLAIN: "p" },
    shellEnv: { enabled: true },
  };
  const { vars, warnings } = computeConfigEnv(section, {
    DOMAIN: "example.org",
  });
  assertEquals(vars, {
    API_URL: "https://api.example.org/v1",
    API_HOST: "api.example.org",
    PLAIN: "p",
  });
  assertEquals(warnings, []);
});

Deno.test("computeConfigEnv() ignores non-string values and invalid names with a warning", () => {
  const { vars, warnings } = computeConfigEnv({
    NUM: 1,
    vars: { "A=B": "x", OK: "y" },
  }, {});
  assertEquals(vars, { OK: "y" });
  assertEquals(warnings, [
    `Ignored "env.NUM": expected a string value`,
    `Ignored "env.vars.A=B": not a valid environment variable name`,
  ]);
});

Deno.test("computeConfigEnv() refuses loader variables in any case", async () => {
  for (const name of ["CARAPACE_CONFIG_PASSWORD", "carapace_state_dir"]) {
    const error = await configErrorOf(
      () => computeConfigEnv({ vars: { [name]: "x" } }, {}),
      "validation",
    );
    assertMatch(error.message, /can only be set in the process environment/);
  }
});

Deno.test("computeConfigEnv() refuses NUL bytes and reference cycles", async () => {
  await configErrorOf(() => computeConfigEnv({ A: "a\0b" }, {}), "validation");
  const error = await configErrorOf(
    () => computeConfigEnv({ A: "${B}", B: "${A}" }, {}),
    "validation",
  );
  assertMatch(error.message, /cycle \(A -> B -> A\)/);
});

Deno.test("computeConfigEnv() fails with missing_env_var for an unknown reference", async () => {
  await configErrorOf(
    () => computeConfigEnv({ A: "${NOPE_NOT_SET}" }, {}),
    "missing_env_var",
  );
});

Deno.test("applyConfigEnv() sets vars and its undo restores previous values and removes new ones", () => {
  const target = mapTarget({ KEEP: "old", OTHER: "o" });
  const undo = applyConfigEnv({ KEEP: "new", ADDED: "a" }, target);
  assertEquals(Object.fromEntries(target.map), {
    KEEP: "new",
    OTHER: "o",
    ADDED: "a",
  });
  undo();
  assertEquals(Object.fromEntries(target.map), { KEEP: "old", OTHER: "o" });
  undo();
  assertEquals(Object.fromEntries(target.map), { KEEP: "old", OTHER: "o" });
});
