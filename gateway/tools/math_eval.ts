/**
 * `math_eval`: evaluates an arithmetic expression with the project's own
 * parser (see math_expression.ts).
 *
 * @module
 */
import type { Tool } from "../agent/types.ts";
import { inputOf, requireText } from "./_input.ts";
import { evaluateExpression, MAX_EXPRESSION_CHARS } from "./math_expression.ts";

/** Builds the tool. */
export function mathEvalTool(): Tool {
  return {
    name: "math_eval",
    description:
      "Evaluates an arithmetic expression: + - * / % ^, parentheses, pi, e, sqrt, abs, sin, cos, tan, ln, log, exp, floor, ceil, round, min, max, pow.",
    inputSchema: {
      type: "object",
      properties: { expression: { type: "string" } },
      required: ["expression"],
    },
    run(input) {
      const expression = requireText("math_eval", inputOf("math_eval", input), {
        key: "expression",
        max: MAX_EXPRESSION_CHARS,
      });
      const value = evaluateExpression(expression);
      return Promise.resolve({
        content: JSON.stringify({ expression, result: value }),
        ...(Number.isFinite(value) ? {} : { isError: true }),
      });
    },
  };
}
