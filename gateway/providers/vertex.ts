/**
 * `vertex:` — models on Google Cloud Vertex AI with a Google access token:
 * Gemini (`vertex:<model>` or `vertex:publishers/google/models/<model>`) via
 * `:streamGenerateContent?alt=sse`, Claude
 * (`vertex:publishers/anthropic/models/<id>`) via `:streamRawPredict` with
 * Anthropic's SSE. Models matching `vertex.globalModels` use the "global"
 * location. Also serves `gemini:` when only Vertex is configured.
 *
 * @module
 */
import type { Env } from "../config/paths.ts";
import {
  anthropicBody,
  anthropicError,
  anthropicEvents,
  type AnthropicStreamEvent,
} from "./anthropic_stream.ts";
import { httpProviderError, toProviderError } from "./errors.ts";
import { geminiEvents } from "./gemini.ts";
import type { ProviderSettings } from "./settings.ts";
import {
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
} from "./types.ts";
import { type AccessTokenSource, googleAccessTokens } from "./vertex_token.ts";
import { geminiBody, jsonEvents, refusal } from "./vertex_wire.ts";

/** Options of {@linkcode vertexProvider}. */
export interface VertexProviderOptions {
  /** The process environment (for `gcloud`, Cloud Run detection, `GCE_METADATA_HOST`). */
  env: Env;
  /** Where tokens come from. Default: {@linkcode googleAccessTokens} over `env`. */
  tokens?: AccessTokenSource;
  /** Longest wait for the metadata server. Default 3 000 ms. */
  metadataTimeoutMs?: number;
}

/** A Vertex model reference split into publisher and model id. */
export interface VertexModel {
  publisher: "google" | "anthropic";
  model: string;
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** Reads `<model>` or `publishers/<p>/models/<model>`; other publishers are refused. */
export function parseVertexModel(ref: string): VertexModel {
  const match = /^publishers\/([^/]+)\/models\/(.+)$/.exec(ref);
  const publisher = match ? match[1] : "google";
  const model = match ? match[2]! : ref;
  if (publisher !== "google" && publisher !== "anthropic") {
    throw new ProviderError(
      "vertex",
      "bad_request",
      `Cannot call vertex model "${ref}": publisher "${publisher}" is not supported; use "google" or "anthropic"`,
    );
  }
  if (!MODEL_ID.test(model)) {
    throw new ProviderError(
      "vertex",
      "bad_request",
      `Cannot call vertex model "${ref}": the model id may hold only letters, digits, ".", "_", "@" and "-"`,
    );
  }
  return { publisher, model };
}

/** Whether `model` matches one of the `globalModels` patterns (`*` only as a final wildcard). */
export function isGlobalModel(model: string, patterns: string[]): boolean {
  return patterns.some((p) =>
    p.endsWith("*")
      ? p.length > 1 && model.startsWith(p.slice(0, -1))
      : p === model
  );
}

function parseTimeout(value: string | undefined): number {
  const ms = Number(value);
  return Number.isInteger(ms) && ms >= 500 && ms <= 60_000 ? ms : 10_000;
}

/**
 * Builds the Vertex provider; `settings.options` holds `projectId`,
 * `location`, and optionally `model` (what `vertex:default` means),
 * `globalModels` (comma-separated patterns) and `gcloudTokenTimeoutMs`.
 *
 * @example
 * ```ts
 * const vertex = vertexProvider({
 *   baseUrl: "https://us-central1-aiplatform.googleapis.com",
 *   options: { projectId: "my-project", location: "us-central1" },
 * }, { env: Deno.env.toObject() });
 * ```
 */
export function vertexProvider(
  settings: ProviderSettings,
  options: VertexProviderOptions,
): Provider {
  const o = settings.options ?? {};
  const project = o.projectId ?? "";
  const location = o.location ?? "us-central1";
  const globals = (o.globalModels ?? "gemini-3*").split(",").map((p) =>
    p.trim()
  ).filter((p) => p !== "");
  const defaultBase = `https://${location}-aiplatform.googleapis.com`;
  const tokens = options.tokens ?? googleAccessTokens({
    env: options.env,
    gcloudTimeoutMs: parseTimeout(o.gcloudTokenTimeoutMs),
    ...(options.metadataTimeoutMs === undefined
      ? {}
      : { metadataTimeoutMs: options.metadataTimeoutMs }),
  });

  // `vertex:default` (what `cara setup` writes) names VERTEX_MODEL / vertex.model.
  function defaultModel(model: string): string {
    if (model !== "default") return model;
    if (o.model !== undefined && o.model !== "default") return o.model;
    throw new ProviderError(
      "vertex",
      "bad_request",
      `Cannot call "vertex:default": no default Vertex model is set; set VERTEX_MODEL or vertex.model`,
    );
  }

  function endpoint(target: VertexModel): string {
    if (!/^[a-z0-9-]+$/.test(location)) {
      throw new ProviderError(
        "vertex",
        "bad_request",
        `Cannot call vertex: location "${location}" is not a Vertex location; set VERTEX_LOCATION or vertex.location (e.g. "us-central1")`,
      );
    }
    const where = isGlobalModel(target.model, globals) ? "global" : location;
    const base = where === "global" && settings.baseUrl === defaultBase
      ? "https://aiplatform.googleapis.com"
      : settings.baseUrl;
    const verb = target.publisher === "google"
      ? "streamGenerateContent?alt=sse"
      : "streamRawPredict";
    return `${base}/v1/projects/${
      encodeURIComponent(project)
    }/locations/${where}/publishers/${target.publisher}/models/${target.model}:${verb}`;
  }

  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    try {
      const target = parseVertexModel(defaultModel(request.model));
      const url = endpoint(target);
      let body: Record<string, unknown>;
      if (target.publisher === "google") {
        body = geminiBody(request);
      } else {
        const { model: _model, ...rest } = anthropicBody(request);
        body = {
          ...rest,
          anthropic_version: "vertex-2023-10-16",
          stream: true,
        };
      }
      const token = await tokens.token(request.signal);
      const response = await fetch(url, {
        method: "POST",
        headers: {
          ...settings.headers,
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
        signal: request.signal,
      });
      if (response.status === 401) tokens.invalidate();
      if (!response.ok) throw await refusal(response, request);
      if (response.body === null) {
        throw new SyntaxError("the stream has no body");
      }
      if (target.publisher === "google") {
        type Chunks = Parameters<typeof geminiEvents>[1];
        const chunks = jsonEvents(response.body, (data) => {
          throw httpProviderError("vertex", { status: 500, body: data });
        });
        yield* geminiEvents("vertex", chunks as Chunks, request);
      } else {
        type Frame = AnthropicStreamEvent & {
          error?: { type?: string; message?: string };
        };
        const frames = jsonEvents<Frame>(response.body, (data) => {
          throw anthropicError("vertex", {
            type: data.error?.type,
            apiMessage: data.error?.message,
          }, request);
        });
        yield* anthropicEvents("vertex", frames, request);
      }
    } catch (error) {
      throw toProviderError("vertex", error, {
        signal: request.signal,
        model: request.model,
      });
    }
  }
  return { id: "vertex", stream };
}
