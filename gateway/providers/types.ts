/**
 * The one interface every LLM provider implements (protocol.md §7–§8,
 * ops-and-security.md §9): a streaming call that yields text deltas, tool
 * calls, usage and a stop reason, cancellable through an AbortSignal.
 *
 * Providers speak their vendor's wire format through the vendor's SDK; this
 * file is the seam between them and the agent turn loop.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** The canonical provider prefixes of `provider:model` references. */
export const PROVIDER_IDS = [
  "anthropic",
  "openai",
  "gemini",
  "vertex",
  "bedrock",
  "ollama",
  "codex",
  "nearai",
  "venice",
  "claude-cli",
] as const;

/** A provider prefix. */
export type ProviderId = typeof PROVIDER_IDS[number];

/** One block of a message's content. */
export type ContentBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | {
    type: "tool_result";
    toolUseId: string;
    content: string;
    isError?: boolean;
  };

/** A conversation message as providers receive it (system text travels separately). */
export interface ProviderMessage {
  role: "user" | "assistant";
  content: ContentBlock[];
}

/** A tool the model may call. `inputSchema` is a JSON Schema object. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** One streaming completion request. `model` is the provider-native id (no prefix). */
export interface ProviderRequest {
  model: string;
  system?: string;
  messages: ProviderMessage[];
  tools?: ToolSpec[];
  maxTokens: number;
  temperature?: number;
  /** Provider-specific passthrough (e.g. `venice_parameters`). */
  extra?: Record<string, unknown>;
  /** Aborting it must cancel the HTTP stream (the peer sees the connection closed). */
  signal: AbortSignal;
}

/** Why the model stopped. */
export type StopReason =
  | "end_turn"
  | "tool_use"
  | "max_tokens"
  | "stop_sequence"
  | "refusal";

/** What a provider stream yields, in order; exactly one `stop` ends a successful stream. */
export type ProviderEvent =
  | { type: "text"; delta: string }
  | { type: "tool_call"; id: string; name: string; input: unknown }
  | { type: "usage"; inputTokens: number; outputTokens: number }
  | { type: "stop"; reason: StopReason };

/** A model a provider offers (for `models.list`). */
export interface ModelInfo {
  /** Canonical `provider:model`. */
  id: string;
  provider: ProviderId;
  name?: string;
  contextWindow?: number;
}

/** An LLM provider. */
export interface Provider {
  readonly id: ProviderId;
  /** Streams one completion; throws {@linkcode ProviderError} for refused or failed calls. */
  stream(request: ProviderRequest): AsyncIterable<ProviderEvent>;
  /** Models this provider offers, when it can tell. */
  listModels?(signal: AbortSignal): Promise<ModelInfo[]>;
}

/** What kind of failure a provider call ended with. */
export type ProviderFailure =
  | "auth" // bad or missing key: the operator must fix config
  | "not_found" // unknown model
  | "rate_limited" // 429: retry after `retryAfterMs`
  | "overloaded" // 529/503: retry with back-off
  | "bad_request" // the request was refused as invalid
  | "server" // 5xx
  | "network" // unreachable host, reset connection, mid-stream disconnect
  | "timeout"
  | "aborted"
  | "protocol"; // malformed stream from the peer

/**
 * A refused or failed provider call: says which provider and operation, the
 * HTTP status when there was one, and whether (and when) a retry may help.
 */
export class ProviderError extends CaraError {
  readonly provider: ProviderId;
  readonly failure: ProviderFailure;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    provider: ProviderId,
    failure: ProviderFailure,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(
      `provider_${failure}`,
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "ProviderError";
    this.provider = provider;
    this.failure = failure;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether the same call may succeed later. */
  get retryable(): boolean {
    return ["rate_limited", "overloaded", "server", "network", "timeout"]
      .includes(this.failure);
  }
}
