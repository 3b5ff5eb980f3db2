/**
 * `bedrock:` — Anthropic models on Amazon Bedrock through
 * `@anthropic-ai/bedrock-sdk`, loaded on first use: SigV4-signed
 * `invoke-with-response-stream` calls whose binary event stream the SDK
 * turns back into Messages events. Only the keys from env/config sign; the
 * SDK never falls back to ambient credentials or a bearer token.
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
import type { ProviderSettings } from "./settings.ts";
import {
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderFailure,
  type ProviderRequest,
} from "./types.ts";

const BEDROCK_VERSION = "bedrock-2023-05-31";

/** Bedrock's in-stream exception types (`:exception-type`) by failure kind. */
const EXCEPTIONS: Record<string, ProviderFailure> = {
  throttlingException: "rate_limited",
  serviceUnavailableException: "overloaded",
  modelNotReadyException: "overloaded",
  internalServerException: "server",
  modelStreamErrorException: "server",
  modelTimeoutException: "timeout",
  validationException: "bad_request",
  accessDeniedException: "auth",
  resourceNotFoundException: "not_found",
};

/** Maps what a Bedrock call threw, in-stream AWS exceptions included. */
export function bedrockError(
  error: unknown,
  request: ProviderRequest,
): ProviderError {
  const e = error as { status?: unknown; type?: unknown; apiMessage?: unknown };
  const failure = typeof e?.type === "string" ? EXCEPTIONS[e.type] : undefined;
  if (
    e?.status === undefined && failure !== undefined && !request.signal.aborted
  ) {
    const detail = typeof e.apiMessage === "string" ? `: ${e.apiMessage}` : "";
    return new ProviderError(
      "bedrock",
      failure,
      `Cannot finish the bedrock answer: the stream reported ${
        String(e.type)
      }${detail}`,
      { cause: error },
    );
  }
  if (
    !request.signal.aborted && error instanceof Error &&
    /checksum|prelude|eventstream|event stream/i.test(error.message)
  ) {
    return new ProviderError(
      "bedrock",
      "protocol",
      `Cannot call bedrock: the provider sent a malformed event stream (${error.message})`,
      { cause: error },
    );
  }
  return anthropicError("bedrock", error, request);
}

/**
 * Builds the Bedrock provider; `settings.options` holds `region`,
 * `accessKeyId`, `secretAccessKey` and optionally `sessionToken`.
 *
 * @example
 * ```ts
 * const bedrock = bedrockProvider({
 *   baseUrl: "https://bedrock-runtime.us-east-1.amazonaws.com",
 *   options: { region: "us-east-1", accessKeyId: "AKIA…", secretAccessKey: "…" },
 * });
 * ```
 */
export function bedrockProvider(settings: ProviderSettings): Provider {
  const options = settings.options ?? {};
  // One SDK client per provider, built on first use.
  const client = lazy(async () => {
    const { AnthropicBedrock } = await import("@anthropic-ai/bedrock-sdk");
    return new AnthropicBedrock({
      // null: never pick AWS_BEARER_TOKEN_BEDROCK from the process env.
      apiKey: null,
      awsRegion: options.region ?? "us-east-1",
      awsAccessKey: options.accessKeyId ?? "",
      awsSecretKey: options.secretAccessKey ?? "",
      awsSessionToken: options.sessionToken ?? null,
      baseURL: settings.baseUrl,
      maxRetries: 0,
      logLevel: "off",
      defaultHeaders: settings.headers ?? {},
    });
  });
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    try {
      const body = {
        ...anthropicBody(request),
        // Bedrock's documented Messages version; the SDK keeps a body value.
        anthropic_version: BEDROCK_VERSION,
        stream: true,
      } as unknown as MessageCreateParamsStreaming;
      const events = await (await client()).messages.create(body, {
        signal: request.signal,
      });
      yield* anthropicEvents("bedrock", events, request);
    } catch (error) {
      throw bedrockError(error, request);
    }
  }
  return { id: "bedrock", stream };
}
