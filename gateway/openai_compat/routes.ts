/**
 * The OpenAI-compatible HTTP surface: `POST /v1/chat/completions` (gated by
 * `gateway.openai.chatCompletions`) and `POST /v1/responses` (gated by
 * `gateway.openai.responses`), both behind service auth with a 4 MiB body cap.
 *
 * These endpoints are stateless: the request carries the whole conversation,
 * so they call the provider registry directly instead of starting an agent
 * run (no session is created, no tools run). The `carapace` / `agent:<id>`
 * aliases still pick the agent's model, system prompt and token cap.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { CaraConfig } from "../config/mod.ts";
import type { GatewayEnv } from "../server/client_address.ts";
import { answerChatCompletion } from "./chat_completions.ts";
import { CompatError, toCompatError } from "./compat_error.ts";
import { readJsonBody } from "./json_body.ts";
import {
  type ModelResolver,
  type ModelTarget,
  resolveModelTarget,
} from "./model_target.ts";
import { answerResponse } from "./responses.ts";

import { MAX_OPENAI_BODY_BYTES } from "./limits.ts";

export { MAX_OPENAI_BODY_BYTES };

/** Collaborators of {@linkcode openaiCompatRoutes}. */
export interface OpenaiCompatDeps {
  /** The config in force (read per request, so reloads apply). */
  config: () => CaraConfig;
  /** The provider registry. */
  providers: ModelResolver;
  /** Service auth; answers 401 itself. */
  auth: MiddlewareHandler<GatewayEnv>;
}

type Answer = (
  body: Record<string, unknown>,
  target: ModelTarget,
  signal: AbortSignal,
) => Promise<Response>;

function handler(deps: OpenaiCompatDeps, answer: Answer) {
  return async (c: Context<GatewayEnv>) => {
    try {
      const body = await readJsonBody(c.req.raw, MAX_OPENAI_BODY_BYTES);
      if (!body.ok) {
        throw new CompatError(
          body.problem.status,
          "invalid_request_error",
          body.problem.message,
        );
      }
      const target = resolveModelTarget(
        body.value.model,
        deps.config(),
        deps.providers,
      );
      return await answer(body.value, target, c.req.raw.signal);
    } catch (error) {
      const refused = toCompatError(error);
      return c.json(refused.toBody(), refused.status);
    }
  };
}

function gate(
  deps: OpenaiCompatDeps,
  flag: "chatCompletions" | "responses",
): MiddlewareHandler<GatewayEnv> {
  return async function openaiEnabled(c, next) {
    if (!deps.config().gateway.openai[flag]) {
      return c.json(
        new CompatError(
          404,
          "not_found_error",
          `Not found: ${c.req.path} is disabled; set gateway.openai.${flag} to true to enable it`,
        ).toBody(),
        404,
      );
    }
    await next();
  };
}

/**
 * Adds the `/v1/*` routes; pass the result as `createGatewayApp({routes})`.
 *
 * @example
 * ```ts
 * openaiCompatRoutes({ config: () => reloader.current.config, providers, auth })(app);
 * ```
 */
export function openaiCompatRoutes(
  deps: OpenaiCompatDeps,
): (app: Hono<GatewayEnv>) => void {
  return (app) => {
    app.post(
      "/v1/chat/completions",
      gate(deps, "chatCompletions"),
      deps.auth,
      handler(deps, answerChatCompletion),
    );
    app.post(
      "/v1/responses",
      gate(deps, "responses"),
      deps.auth,
      handler(deps, answerResponse),
    );
  };
}
