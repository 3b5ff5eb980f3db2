/**
 * Tool plugins as agent tools (gateway/agent/types.ts `Tool`): each
 * `tool.get-definitions` entry becomes `<pluginId>_<name>`, and running it
 * calls `tool.invoke` in the plugin's sandbox. Definitions are checked
 * against the WIT limits; a crash, a timeout or a `plugin-error` becomes an
 * `isError` output for the model, never an exception in the turn loop.
 *
 * @module
 */
import type { Tool, ToolContext, ToolOutput } from "../gateway/agent/types.ts";
import { CaraError } from "../gateway/errors.ts";
import type { CallOutcome } from "./sandbox/session.ts";

/** What the adapter needs of a running plugin (PluginSupervisor has it). */
export interface PluginCaller {
  call(iface: string, fn: string, args: unknown[]): Promise<CallOutcome>;
}

/** WIT `tool-definition` as the plugin returns it. */
export interface PluginToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

const TOOL_NAME = /^[a-z0-9_]{1,64}$/;
const MAX_RESULT = 1024 * 1024;
const MAX_ERROR = 4096;

/**
 * Checks the `get-definitions` answer of `pluginId`.
 *
 * @throws {CaraError} `plugin_tool_invalid` naming the first bad definition
 */
export function parseToolDefinitions(
  pluginId: string,
  value: unknown,
): PluginToolDefinition[] {
  const bad = (why: string): never => {
    throw new CaraError(
      "plugin_tool_invalid",
      `Cannot register the tools of plugin "${pluginId}": ${why}`,
    );
  };
  if (!Array.isArray(value)) return bad("get-definitions returned no list");
  return value.map((raw: unknown, i) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    const { name, description, inputSchema } = item;
    if (typeof name !== "string" || !TOOL_NAME.test(name)) {
      bad(`tool ${i} has an invalid name; use 1-64 of a-z, 0-9 and "_"`);
    }
    if (typeof description !== "string" || description.length > 1024) {
      bad(`tool "${name}" needs a description of at most 1024 characters`);
    }
    let schema: unknown;
    try {
      if (typeof inputSchema !== "string" || inputSchema.length > 65536) {
        throw new Error();
      }
      schema = JSON.parse(inputSchema);
    } catch {
      bad(`tool "${name}" needs an input-schema of JSON text up to 64 KiB`);
    }
    if (
      typeof schema !== "object" || schema === null || Array.isArray(schema)
    ) {
      bad(`the input-schema of tool "${name}" is not a JSON object`);
    }
    return {
      name: name as string,
      description: description as string,
      inputSchema: schema as Record<string, unknown>,
    };
  });
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function outputOf(label: string, outcome: CallOutcome): ToolOutput {
  if (!outcome.ok) {
    const e = (outcome.pluginError ?? {}) as Record<string, unknown>;
    return {
      isError: true,
      content: cap(
        `Plugin tool "${label}" failed: ${String(e.code ?? "error")}: ${
          String(e.message ?? "")
        }`,
        MAX_ERROR,
      ),
    };
  }
  const result = (outcome.value ?? {}) as Record<string, unknown>;
  if (result.success === true) {
    return { content: cap(String(result.result ?? ""), MAX_RESULT) };
  }
  return {
    isError: true,
    content: cap(
      String(result.error ?? `Plugin tool "${label}" reported a failure`),
      MAX_ERROR,
    ),
  };
}

/**
 * The agent tools of one tool plugin.
 *
 * @example
 * ```ts
 * const defs = parseToolDefinitions("weather", (await supervisor.call("tool", "get-definitions", [])).value);
 * const tools = pluginTools("weather", supervisor, defs); // weather_forecast, …
 * ```
 */
export function pluginTools(
  pluginId: string,
  plugin: PluginCaller,
  definitions: readonly PluginToolDefinition[],
): Tool[] {
  return definitions.map((definition) => {
    const name = `${pluginId}_${definition.name}`;
    return {
      name,
      description: definition.description,
      inputSchema: definition.inputSchema,
      async run(input: unknown, context: ToolContext): Promise<ToolOutput> {
        if (context.signal.aborted) {
          return { isError: true, content: `Tool "${name}" was aborted` };
        }
        const toolContext = {
          agentId: context.agentId,
          sessionKey: context.sessionKey,
          messageChannel: undefined,
          sandboxed: true,
        };
        try {
          const outcome = await plugin.call("tool", "invoke", [
            definition.name,
            JSON.stringify(input ?? {}),
            toolContext,
          ]);
          return outputOf(name, outcome);
        } catch (error) {
          const why = error instanceof CaraError
            ? error.message
            : "the plugin failed";
          return {
            isError: true,
            content: cap(`Plugin tool "${name}" failed: ${why}`, MAX_ERROR),
          };
        }
      },
    };
  });
}
