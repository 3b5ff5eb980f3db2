/**
 * Canonical `provider:model` strings and suggestions for the forms people
 * write by mistake (`gpt-4o`, `openai/gpt-4o`, `models/gemini-2.0-flash`).
 *
 * @module
 */
import { PROVIDER_IDS } from "../../providers/types.ts";
import { z } from "zod";
import { str } from "./_types.ts";

/** Provider prefixes a model string may start with. */
export const MODEL_PROVIDERS: readonly string[] = PROVIDER_IDS;

const GUESSES: readonly [RegExp, string][] = [
  [/^claude/i, "anthropic"],
  [/^(gpt|o\d|chatgpt)/i, "openai"],
  [/^gemini/i, "gemini"],
  [/^(llama|qwen|mistral|phi|deepseek|gemma)/i, "ollama"],
];

/**
 * Why `value` is not a canonical model string, or `null` when it is.
 *
 * @example
 * ```ts
 * modelRefProblem("openai/gpt-4o"); // '… got "openai/gpt-4o"; did you mean "openai:gpt-4o"?'
 * ```
 */
export function modelRefProblem(value: string): string | null {
  const colon = value.indexOf(":");
  if (colon > 0 && colon < value.length - 1) {
    const provider = value.slice(0, colon);
    if (MODEL_PROVIDERS.includes(provider)) return null;
    return `expected a known provider prefix (${
      MODEL_PROVIDERS.join(", ")
    }), got "${provider}" in "${value}"`;
  }
  const hint = suggestion(value);
  return `expected a canonical "provider:model" string, got "${value}"` +
    (hint === null
      ? `; write it like "anthropic:claude-sonnet-4-5"`
      : `; did you mean "${hint}"?`);
}

function suggestion(value: string): string | null {
  const slash = value.indexOf("/");
  if (slash > 0) {
    const head = value.slice(0, slash);
    const rest = value.slice(slash + 1);
    if (MODEL_PROVIDERS.includes(head)) return `${head}:${rest}`;
    if (head === "models" && /^gemini/i.test(rest)) return `gemini:${rest}`;
    return guess(rest);
  }
  return guess(value.replace(/:$/, ""));
}

function guess(model: string): string | null {
  if (model === "") return null;
  const found = GUESSES.find(([pattern]) => pattern.test(model));
  return found === undefined ? null : `${found[1]}:${model}`;
}

/** A model string; the issue carries its full message (no "got" appended). */
export function modelRef(): z.ZodEffects<z.ZodString> {
  return str(`a canonical "provider:model" string`).superRefine(
    (value, ctx) => {
      const problem = modelRefProblem(value);
      if (problem !== null) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: problem,
          params: { complete: true },
        });
      }
    },
  );
}
