/**
 * Runs one hook event through every plugin that declared it (plugins.md §1
 * `hooks`): in activation order; for the modifiable hooks each handler sees
 * the previous handler's `modified-payload`, other hooks ignore it; `cancel`
 * counts only where the event can be cancelled. A failing handler is logged
 * and skipped.
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";
import type { ScopedLogger } from "../../gateway/logs/logger.ts";
import type { PluginCaller } from "../tool_adapter.ts";

/** Every hook name of the WIT. */
export const HOOK_NAMES: readonly string[] = [
  "before_agent_start",
  "agent_end",
  "session_start",
  "session_end",
  "before_compaction",
  "after_compaction",
  "message_received",
  "message_sending",
  "message_sent",
  "before_tool_call",
  "after_tool_call",
  "tool_result_persist",
  "gateway_start",
  "gateway_stop",
];

/** Hooks whose handlers may replace the payload. */
export const MODIFIABLE_HOOKS: readonly string[] = [
  "before_agent_start",
  "message_sending",
  "before_tool_call",
  "tool_result_persist",
];

/** Hooks a handler may cancel. */
export const CANCELLABLE_HOOKS: readonly string[] = [
  "message_sending",
  "before_tool_call",
];

const MAX_PAYLOAD = 1024 * 1024;

/** A plugin that handles hooks. */
export interface HookHandler {
  pluginId: string;
  hooks: readonly string[];
  plugin: PluginCaller;
}

/** What {@linkcode dispatchHook} answers. */
export interface HookRunResult {
  /** The payload after every modifiable handler. */
  payload: unknown;
  cancelled: boolean;
  /** Plugin ids whose handler answered `handled: true`. */
  handledBy: string[];
}

/**
 * Dispatches hook `name` with `payload`.
 *
 * @throws {CaraError} `unknown_hook` for a name outside {@linkcode HOOK_NAMES}, `hook_payload_too_large` over 1 MiB
 * @example
 * ```ts
 * const { payload, cancelled } = await dispatchHook("message_sending", { to, content }, { handlers, log });
 * ```
 */
export async function dispatchHook(
  name: string,
  payload: unknown,
  options: { handlers: readonly HookHandler[]; log: ScopedLogger },
): Promise<HookRunResult> {
  if (!HOOK_NAMES.includes(name)) {
    throw new CaraError(
      "unknown_hook",
      `Cannot run hook "${name}": it is not a hook name; use one of ${
        HOOK_NAMES.join(", ")
      }`,
    );
  }
  const result: HookRunResult = { payload, cancelled: false, handledBy: [] };
  for (const handler of options.handlers) {
    if (!handler.hooks.includes(name)) continue;
    const text = JSON.stringify(result.payload) ?? "null";
    if (text.length > MAX_PAYLOAD) {
      throw new CaraError(
        "hook_payload_too_large",
        `Cannot run hook "${name}": the payload is larger than ${MAX_PAYLOAD} bytes`,
      );
    }
    try {
      const outcome = await handler.plugin.call("hooks", "handle", [
        { hookName: name, payload: text },
      ]);
      if (!outcome.ok) throw new CaraError("plugin_error", "plugin-error");
      const answer = (outcome.value ?? {}) as Record<string, unknown>;
      if (answer.handled === true) result.handledBy.push(handler.pluginId);
      if (
        MODIFIABLE_HOOKS.includes(name) &&
        typeof answer.modifiedPayload === "string"
      ) {
        result.payload = JSON.parse(answer.modifiedPayload);
      }
      if (CANCELLABLE_HOOKS.includes(name) && answer.cancel === true) {
        result.cancelled = true;
        break;
      }
    } catch (error) {
      options.log.warn("Plugin hook failed", {
        pluginId: handler.pluginId,
        hook: name,
        error: error instanceof CaraError ? error.message : "invalid answer",
      });
    }
  }
  return result;
}
