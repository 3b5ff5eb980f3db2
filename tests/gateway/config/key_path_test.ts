import { assertEquals, assertMatch } from "../../_helpers.ts";
import {
  getKeyPath,
  parseKeyPath,
  setKeyPath,
} from "../../../gateway/config/key_path.ts";
import { configErrorOf } from "./_helpers.ts";

Deno.test("getKeyPath() reads objects and array items and reports missing keys", () => {
  const root = { agents: { list: [{ id: "a" }] }, n: null };
  assertEquals(getKeyPath(root, ["agents", "list", "0", "id"]), {
    found: true,
    value: "a",
  });
  assertEquals(getKeyPath(root, ["n"]), { found: true, value: null });
  assertEquals(getKeyPath(root, ["agents", "list", "1"]).found, false);
  assertEquals(getKeyPath(root, ["toString"]).found, false);
});

Deno.test("setKeyPath() creates intermediate objects without mutating the input", () => {
  const root = { gateway: { port: 1 } };
  assertEquals(setKeyPath(root, ["gateway", "tls", "enabled"], true), {
    gateway: { port: 1, tls: { enabled: true } },
  });
  assertEquals(root, { gateway: { port: 1 } });
});

Deno.test("setKeyPath() refuses to descend into a value that is not an object", async () => {
  const error = await configErrorOf(
    () => setKeyPath({ gateway: { port: 1 } }, ["gateway", "port", "x"], 2),
    "validation",
  );
  assertEquals(
    error.message,
    `Cannot set "gateway.port.x": "gateway.port" holds a number, not an object`,
  );
});

Deno.test("parseKeyPath() refuses empty segments, prototype names and over-long keys", async () => {
  assertEquals(parseKeyPath("gateway.port"), ["gateway", "port"]);
  for (const key of ["", "a..b", ".a", "a.__proto__", "x".repeat(600)]) {
    const error = await configErrorOf(() => parseKeyPath(key), "validation");
    assertMatch(error.message, /^Invalid config key "/);
  }
});
