import { createProviderRegistry } from "../../../gateway/providers/registry.ts";
import { RoutingError } from "../../../gateway/providers/routing_error.ts";
import { providerSettings } from "../../../gateway/providers/settings.ts";
import { assertEquals, assertThrows } from "../../_helpers.ts";
import { configOf } from "./_helpers.ts";

Deno.test("createProviderRegistry() builds only the providers with credentials", () => {
  const registry = createProviderRegistry(
    configOf({ openai: { apiKey: "sk-config" } }),
    {
      ANTHROPIC_API_KEY: "sk-ant-env",
    },
  );
  assertEquals(registry.configured(), ["anthropic", "openai"]);
  const { provider, model } = registry.resolve("anthropic:claude-sonnet-4-5");
  assertEquals([provider.id, model], ["anthropic", "claude-sonnet-4-5"]);
  assertEquals(
    registry.whyNotConfigured("gemini"),
    "set GOOGLE_API_KEY or google.apiKey",
  );
});

Deno.test("registry.resolve() fails with provider_not_configured and says what to set", () => {
  const registry = createProviderRegistry(configOf({}), {});
  const error = assertThrowsRouting(() =>
    registry.resolve("venice:llama-3.3-70b")
  );
  assertEquals(error.code, "provider_not_configured");
  assertEquals(
    error.message,
    `Cannot use model "venice:llama-3.3-70b": provider "venice" is not configured; set VENICE_API_KEY`,
  );
  assertEquals(
    assertThrowsRouting(() => registry.resolve("gpt-4o")).code,
    "invalid_request",
  );
});

Deno.test("registry.resolve() keeps the model id after the first colon", () => {
  const registry = createProviderRegistry(configOf({}), {
    OLLAMA_BASE_URL: "http://127.0.0.1:1",
  });
  assertEquals(registry.resolve("ollama:llama3:8b").model, "llama3:8b");
});

Deno.test("registry.resolve() sends gemini: to Vertex when only Vertex is configured", () => {
  const registry = createProviderRegistry(
    configOf({ vertex: { projectId: "p1" } }),
    {},
  );
  assertEquals(registry.configured(), ["vertex"]);
  assertEquals(registry.resolve("gemini:gemini-2.5-pro").provider.id, "vertex");
});

Deno.test("providerSettings() lets env beat config and trims trailing slashes", () => {
  const config = configOf({
    openai: {
      apiKey: "sk-config",
      baseUrl: "https://config.example/v1/",
      title: "T",
    },
  });
  assertEquals(
    providerSettings("openai", config, {
      OPENAI_BASE_URL: "http://127.0.0.1:9/",
    }),
    {
      configured: true,
      settings: {
        apiKey: "sk-config",
        baseUrl: "http://127.0.0.1:9",
        headers: { "X-Title": "T" },
      },
    },
  );
  assertEquals(
    providerSettings(
      "anthropic",
      configOf({ anthropic: { authProfile: "me" } }),
      {},
    ),
    {
      configured: false,
      reason:
        `"anthropic.authProfile" is not a profile id such as "anthropic:default"; run "cara setup --provider anthropic"`,
    },
  );
  assertEquals(
    providerSettings("ollama", configOf({ providers: { ollama: {} } }), {}),
    {
      configured: true,
      settings: { baseUrl: "http://localhost:11434" },
    },
  );
  assertEquals(
    providerSettings("claude-cli", configOf({ claudeCli: { enabled: true } }), {
      CLAUDE_CLI_ENABLED: "0",
    }).configured,
    false,
  );
});

function assertThrowsRouting(fn: () => unknown): RoutingError {
  let caught: unknown;
  assertThrows(() => {
    try {
      fn();
    } catch (error) {
      caught = error;
      throw error;
    }
  }, RoutingError);
  return caught as RoutingError;
}
