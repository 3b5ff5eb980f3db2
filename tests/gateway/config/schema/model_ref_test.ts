import { assertEquals, assertMatch } from "../../../_helpers.ts";
import { modelRefProblem } from "../../../../gateway/config/schema/model_ref.ts";

Deno.test("modelRefProblem() accepts canonical provider:model strings", () => {
  for (
    const ok of [
      "anthropic:claude-sonnet-4-5",
      "gemini:gemini-2.5-pro",
      "claude-cli:default",
      "ollama:llama3:8b",
    ]
  ) {
    assertEquals(modelRefProblem(ok), null);
  }
});

Deno.test("modelRefProblem() suggests the canonical form of slash and bare names", () => {
  assertMatch(
    modelRefProblem("models/gemini-2.0-flash") ?? "",
    /did you mean "gemini:gemini-2\.0-flash"\?$/,
  );
  assertMatch(
    modelRefProblem("claude-opus-4") ?? "",
    /did you mean "anthropic:claude-opus-4"\?$/,
  );
  assertMatch(
    modelRefProblem("mystery") ?? "",
    /write it like "anthropic:claude-sonnet-4-5"$/,
  );
  assertMatch(
    modelRefProblem("anthropic:") ?? "",
    /expected a canonical "provider:model" string/,
  );
});

Deno.test("modelRefProblem() lists the known providers for an unknown prefix", () => {
  assertMatch(
    modelRefProblem("acme:big") ?? "",
    /^expected a known provider prefix \(anthropic, openai, .*\), got "acme"/,
  );
});
