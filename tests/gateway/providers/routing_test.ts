import {
  checkModelRef,
  resolveModelRef,
} from "../../../gateway/providers/routing.ts";
import { RoutingError } from "../../../gateway/providers/routing_error.ts";
import { assertEquals, assertThrows } from "../../_helpers.ts";
import { configOf } from "./_helpers.ts";

const config = configOf({
  routes: {
    fast: { model: "anthropic:claude-haiku-4-5" },
    deep: { model: "openai:gpt-5" },
  },
  agents: { defaults: { model: "ollama:llama3" } },
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof RoutingError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a RoutingError");
}

Deno.test("resolveModelRef() takes the request scope before session, agent and defaults", () => {
  const scopes = {
    request: { model: "openai:gpt-4o" },
    session: { route: "fast" },
    agent: { model: "gemini:gemini-2.0-flash" },
  };
  assertEquals(resolveModelRef(config, scopes), {
    ref: "openai:gpt-4o",
    scope: "request",
  });
  assertEquals(resolveModelRef(config, { ...scopes, request: {} }), {
    ref: "anthropic:claude-haiku-4-5",
    scope: "session",
    route: "fast",
  });
  assertEquals(resolveModelRef(config, { agent: scopes.agent }), {
    ref: "gemini:gemini-2.0-flash",
    scope: "agent",
  });
  assertEquals(resolveModelRef(config, {}), {
    ref: "ollama:llama3",
    scope: "defaults",
  });
});

Deno.test("resolveModelRef() prefers the route over the model within one scope", () => {
  const got = resolveModelRef(config, {
    agent: { route: "deep", model: "openai:gpt-4o" },
  });
  assertEquals(got, { ref: "openai:gpt-5", scope: "agent", route: "deep" });
});

Deno.test("resolveModelRef() fails with unknown_route when a route is not defined", () => {
  const message = codeOf(() =>
    resolveModelRef(config, { request: { route: "slow" } })
  );
  assertEquals(
    message,
    `unknown_route: Cannot use route "slow": it is not defined under "routes" ("fast", "deep")`,
  );
});

Deno.test("resolveModelRef() fails with missing_model when no scope names a model", () => {
  const message = codeOf(() =>
    resolveModelRef(configOf({}), { request: { model: " " } })
  );
  assertEquals(
    message.startsWith("missing_model: Cannot choose a model: none is set"),
    true,
  );
});

Deno.test("checkModelRef() rejects bare and slash forms with a suggestion", () => {
  assertEquals(
    codeOf(() => checkModelRef("openai/gpt-4o")),
    `invalid_request: Cannot use model "openai/gpt-4o": expected a canonical "provider:model" string, got "openai/gpt-4o"; did you mean "openai:gpt-4o"?`,
  );
  assertEquals(
    codeOf(() => checkModelRef("claude-sonnet-4-5")).includes(
      `"anthropic:claude-sonnet-4-5"`,
    ),
    true,
  );
  assertThrows(
    () => resolveModelRef(config, { request: { model: "gpt-4o" } }),
    RoutingError,
  );
  assertEquals(checkModelRef("venice:llama-3.3-70b"), "venice:llama-3.3-70b");
});
