/**
 * `anthropic:` — the Anthropic Messages API through `@anthropic-ai/sdk`,
 * loaded on first use. The SDK's own retries are off: {@linkcode withRetries}
 * decides.
 *
 * @module
 */
import { lazy } from "../lazy_value.ts";
import type { MessageCreateParamsStreaming } from "@anthropic-ai/sdk/resources/messages";
import {
  anthropicBody,
  anthropicError,
  anthropicEvents,
} from "./anthropic_stream.ts";
import { toProviderError } from "./errors.ts";
import type { ProviderSettings } from "./settings.ts";
import type {
  ModelInfo,
  Provider,
  ProviderEvent,
  ProviderRequest,
} from "./types.ts";

/**
 * Builds the Anthropic provider.
 *
 * @example
 * ```ts
 * const anthropic = anthropicProvider({ apiKey: "sk-ant-…", baseUrl: "https://api.anthropic.com" });
 * ```
 */
export function anthropicProvider(settings: ProviderSettings): Provider {
  // One SDK client per provider: building it per call costs about half a
  // millisecond of every turn.
  const client = lazy(async () => {
    const { default: Anthropic } = await import("@anthropic-ai/sdk");
    return new Anthropic({
      apiKey: settings.apiKey ?? null,
      baseURL: settings.baseUrl,
      maxRetries: 0,
      logLevel: "off",
      // cara records no traces: skip the SDK's span bookkeeping on each call.
      openTelemetry: false,
      defaultHeaders: settings.headers ?? {},
    });
  });
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    try {
      const body = {
        ...anthropicBody(request),
        stream: true,
      } as unknown as MessageCreateParamsStreaming;
      const events = await (await client()).messages.create(body, {
        signal: request.signal,
      });
      yield* anthropicEvents("anthropic", events, request);
    } catch (error) {
      throw anthropicError("anthropic", error, request);
    }
  }
  async function listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    try {
      const models: ModelInfo[] = [];
      for await (
        const model of (await client()).models.list({ limit: 100 }, { signal })
      ) {
        models.push({
          id: `anthropic:${model.id}`,
          provider: "anthropic",
          name: model.display_name,
        });
      }
      return models;
    } catch (error) {
      throw toProviderError("anthropic", error, { signal });
    }
  }
  return { id: "anthropic", stream, listModels };
}
