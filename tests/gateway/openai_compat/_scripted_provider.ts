/**
 * A provider for surface tests: it answers every request with the given
 * events (or throws the given error) and records what it was asked. It
 * stands in for the provider seam only; the HTTP surface, auth and client
 * SDK under test are all real.
 *
 * @module
 */
import type {
  Provider,
  ProviderEvent,
  ProviderRequest,
} from "../../../gateway/providers/types.ts";

/** A provider replaying `script` and recording requests. */
export interface ScriptedProvider extends Provider {
  requests: ProviderRequest[];
}

/** Builds a provider that replays `script` (or throws `error` first). */
export function scriptedProvider(
  script: ProviderEvent[],
  error?: Error,
): ScriptedProvider {
  const requests: ProviderRequest[] = [];
  return {
    id: "openai",
    requests,
    async *stream(request) {
      requests.push(request);
      if (error !== undefined) throw error;
      for (const event of script) {
        await Promise.resolve();
        yield event;
      }
    },
  };
}

/** The registry seam over one provider. */
export function registryOf(
  provider: Provider,
): { resolve(ref: string): { provider: Provider; model: string } } {
  return {
    resolve(ref: string) {
      const colon = ref.indexOf(":");
      return { provider, model: ref.slice(colon + 1) };
    },
  };
}
