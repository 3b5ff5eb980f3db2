/**
 * Checks a provider key live with the cheapest call the provider has (its
 * model list), through the same provider module the gateway uses.
 *
 * @module
 */
import type { ConfigObject } from "../../gateway/config/_object.ts";
import type { Env } from "../../gateway/config/paths.ts";

/** How a live check went. */
export type LiveCheck =
  | { result: "passed"; detail: string }
  | { result: "failed"; detail: string }
  | { result: "skipped"; detail: string };

/**
 * Lists the models of the provider that serves `model` under `config` and
 * `env` (env wins over config, as in the gateway). Providers without a
 * model list are skipped, never guessed.
 *
 * @example
 * ```ts
 * const check = await checkProviderLive(plan.value, "openai:gpt-4o", { ...env, OPENAI_API_KEY: key });
 * ```
 */
export async function checkProviderLive(
  config: ConfigObject,
  model: string,
  env: Env,
  options: { timeoutMs?: number } = {},
): Promise<LiveCheck> {
  const { validateConfig } = await import("../../gateway/config/validate.ts");
  const { createProviderRegistry } = await import(
    "../../gateway/providers/registry.ts"
  );
  let provider;
  try {
    const registry = createProviderRegistry(
      validateConfig(config).config,
      env,
      { retry: false },
    );
    provider = registry.resolve(model).provider;
  } catch (error) {
    return { result: "skipped", detail: messageOf(error) };
  }
  if (provider.listModels === undefined) {
    return {
      result: "skipped",
      detail: `${provider.id} has no cheap call to check credentials with`,
    };
  }
  try {
    const models = await provider.listModels(
      AbortSignal.timeout(options.timeoutMs ?? 10_000),
    );
    return {
      result: "passed",
      detail: `${provider.id} answered with ${models.length} model${
        models.length === 1 ? "" : "s"
      }`,
    };
  } catch (error) {
    return { result: "failed", detail: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
