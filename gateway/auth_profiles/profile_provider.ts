/**
 * A provider whose credential is an auth profile: each call takes the
 * profile's current token (refreshed when due) and builds the vendor
 * provider with it; a token the vendor refuses is dropped so the next call
 * refreshes it.
 *
 * @module
 */
import {
  type ModelInfo,
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderId,
  type ProviderRequest,
} from "../providers/types.ts";
import { AuthProfileError, type ProfileCredentials } from "./types.ts";

/**
 * Wraps `build` so every call runs with a token from `credentials`.
 *
 * @example
 * ```ts
 * profileProvider("codex", credentials, (token) => openaiChatProvider("codex", { apiKey: token, baseUrl }));
 * ```
 */
export function profileProvider(
  id: ProviderId,
  credentials: ProfileCredentials,
  build: (token: string) => Provider,
): Provider {
  async function provider(signal: AbortSignal): Promise<Provider> {
    try {
      return build(await credentials.token(signal));
    } catch (error) {
      if (!(error instanceof AuthProfileError)) throw error;
      const failure = error.code === "oauth_unreachable" ? "network" : "auth";
      throw new ProviderError(id, failure, error.message, { cause: error });
    }
  }
  function refused(error: unknown): unknown {
    if (error instanceof ProviderError && error.failure === "auth") {
      credentials.invalidate();
    }
    return error;
  }
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    const inner = await provider(request.signal);
    try {
      yield* inner.stream(request);
    } catch (error) {
      throw refused(error);
    }
  }
  async function listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    const inner = await provider(signal);
    try {
      return await inner.listModels?.(signal) ?? [];
    } catch (error) {
      throw refused(error);
    }
  }
  return { id, stream, listModels };
}
