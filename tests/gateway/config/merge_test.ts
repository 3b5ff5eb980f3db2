import { assertEquals } from "../../_helpers.ts";
import { deepMerge } from "../../../gateway/config/merge.ts";

Deno.test("deepMerge() merges objects, concatenates arrays and overrides scalars without mutating inputs", () => {
  const base = { a: { x: 1, keep: true }, l: [1], s: "base", o: { n: 1 } };
  const over = { a: { x: 2 }, l: [2], s: "over", o: "scalar wins" };
  assertEquals(deepMerge(base, over), {
    a: { x: 2, keep: true },
    l: [1, 2],
    s: "over",
    o: "scalar wins",
  });
  assertEquals(base, {
    a: { x: 1, keep: true },
    l: [1],
    s: "base",
    o: { n: 1 },
  });
});

Deno.test("deepMerge() keeps a __proto__ key as data instead of changing prototypes", () => {
  const over = JSON.parse(`{"__proto__": {"polluted": true}}`);
  const merged = deepMerge({}, over) as Record<string, unknown>;
  assertEquals(Object.getPrototypeOf(merged), Object.prototype);
  assertEquals(({} as Record<string, unknown>).polluted, undefined);
  assertEquals(Object.keys(merged), ["__proto__"]);
});
