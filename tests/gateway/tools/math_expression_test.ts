import { assertEquals, assertThrows } from "../../_helpers.ts";
import { evaluateExpression } from "../../../gateway/tools/math_expression.ts";
import { mathEvalTool } from "../../../gateway/tools/math_eval.ts";
import { runTool } from "./_helpers.ts";

Deno.test("evaluateExpression() follows precedence, associativity and functions", () => {
  assertEquals(evaluateExpression("1 + 2 * 3"), 7);
  assertEquals(evaluateExpression("(1 + 2) * 3"), 9);
  assertEquals(evaluateExpression("2 ^ 3 ^ 2"), 512);
  assertEquals(evaluateExpression("-2 ^ 2"), -4);
  assertEquals(evaluateExpression("2 ** 10 % 1000"), 24);
  assertEquals(evaluateExpression("max(1, sqrt(16), 3) + floor(2.7)"), 6);
  assertEquals(evaluateExpression("1.5e3 / .5"), 3000);
  assertEquals(evaluateExpression("round(pi * 100)"), 314);
});

Deno.test("evaluateExpression() refuses code, unknown names and bad syntax", () => {
  for (
    const text of [
      "constructor",
      "alert(1)",
      "1 +",
      "(1",
      "1 2",
      "a.b",
      "x = 1",
      "",
      "(".repeat(200) + "1" + ")".repeat(200),
      "1+".repeat(600) + "1",
    ]
  ) {
    assertThrows(() => evaluateExpression(text), /Cannot evaluate expression/);
  }
});

Deno.test("mathEvalTool() returns the result as JSON", async () => {
  const output = await runTool([mathEvalTool()], "math_eval", {
    expression: "6 * 7",
  });
  assertEquals(JSON.parse(output.content).result, 42);
});
