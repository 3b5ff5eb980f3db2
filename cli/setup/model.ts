/**
 * The model rule of `cara setup` (cli.md §4): a bare id gets the provider's
 * prefix, a given prefix must match the provider, and ids that themselves
 * contain `:` (Ollama tags) must be written in full.
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";
import {
  MODEL_PROVIDERS,
  modelRefProblem,
} from "../../gateway/config/schema/model_ref.ts";
import type { SetupProvider } from "./providers.ts";

/** Longest model string setup accepts. */
const MAX_MODEL_LENGTH = 256;

/**
 * The canonical `provider:model` for `input` under `provider`.
 *
 * @throws {CaraError} `invalid_model` with what to type instead
 * @example
 * ```ts
 * setupModelRef("anthropic", "claude-sonnet-4-5"); // "anthropic:claude-sonnet-4-5"
 * setupModelRef("ollama", "ollama:qwen3-coder:30b"); // unchanged
 * ```
 */
export function setupModelRef(provider: SetupProvider, input: string): string {
  const value = input.trim();
  const fail = (what: string) =>
    new CaraError("invalid_model", `Cannot use model "${value}": ${what}`);
  if (value === "" || value.length > MAX_MODEL_LENGTH) {
    throw fail(
      `expected a model id of 1 to ${MAX_MODEL_LENGTH} characters, such as "${provider}:<model>"`,
    );
  }
  if (/[\s\p{Cc}]/u.test(value)) {
    throw fail("it contains spaces or control characters");
  }
  const colon = value.indexOf(":");
  if (colon < 0) return checked(`${provider}:${value}`, fail);
  const head = value.slice(0, colon);
  if (head === provider) return checked(value, fail);
  if (MODEL_PROVIDERS.includes(head)) {
    throw fail(
      `its prefix "${head}" does not match provider "${provider}"; pass "${provider}:${
        value.slice(colon + 1)
      }" or choose --provider ${head}`,
    );
  }
  throw fail(
    `model ids that contain ":" must be given in full; pass "${provider}:${value}"`,
  );
}

function checked(ref: string, fail: (what: string) => CaraError): string {
  if (ref.endsWith(":")) throw fail(`expected a model id after "${ref}"`);
  const problem = modelRefProblem(ref);
  if (problem !== null) throw fail(problem);
  return ref;
}
