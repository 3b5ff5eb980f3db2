/**
 * One run's turns: send the conversation to the provider, stream text out as
 * events and into the session, run the tools the model asks for (policy
 * checked again here), and repeat until the model stops or `maxTurns` steps
 * have been taken.
 *
 * @module
 */
import type {
  Provider,
  ProviderMessage,
  StopReason,
} from "../providers/types.ts";
import type { MessageStore, Session } from "../state/mod.ts";
import type { AgentProfile } from "./agent_profile.ts";
import { type FlushTicker, ReplyWriter } from "./reply_writer.ts";
import type { RunEvents } from "./run_events.ts";
import { dispatchTool, type ToolCall } from "./tool_dispatch.ts";
import type { ToolPermission } from "./tool_policy.ts";
import type { RunHook, Tool } from "./types.ts";

/** Everything one run's loop works with. */
export interface TurnContext {
  runId: string;
  session: Session;
  messages: MessageStore;
  profile: AgentProfile;
  provider: Provider;
  model: string;
  system: string | undefined;
  conversation: ProviderMessage[];
  tools: ReadonlyMap<string, Tool>;
  allowed: ToolPermission;
  maxTurns: number;
  events: RunEvents;
  signal: AbortSignal;
  /** Paces the interim writes of streaming replies (null: every delta). */
  flushTicker: FlushTicker | null;
  /** Runs `fn` in one database transaction (one commit for the step's end). */
  atomically<T>(fn: () => T): T;
  onUsage(usage: { inputTokens: number; outputTokens: number }): void;
  /** Plugin lifecycle hooks around tool calls. */
  hooks?: RunHook;
}

/** What the loop ends with. */
export interface TurnOutcome {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
  stopReason: StopReason | "max_turns";
}

interface Step {
  text: string;
  calls: ToolCall[];
  stop: StopReason;
}

async function streamStep(
  context: TurnContext,
  total: TurnOutcome["usage"],
): Promise<Step> {
  const writer = new ReplyWriter(context.messages, {
    sessionId: context.session.id,
    ticker: context.flushTicker,
  });
  const calls: ToolCall[] = [];
  const usage = { inputTokens: 0, outputTokens: 0 };
  let stop: StopReason = "end_turn";
  const toolSpecs = [...context.tools.values()]
    .filter((tool) => context.allowed(tool.name))
    .map(({ name, description, inputSchema }) => ({
      name,
      description,
      inputSchema,
    }));
  try {
    for await (
      const event of context.provider.stream({
        model: context.model,
        ...(context.system === undefined ? {} : { system: context.system }),
        messages: context.conversation,
        ...(toolSpecs.length === 0 ? {} : { tools: toolSpecs }),
        maxTokens: context.profile.maxTokens,
        ...(context.profile.temperature === undefined
          ? {}
          : { temperature: context.profile.temperature }),
        signal: context.signal,
      })
    ) {
      if (event.type === "text") {
        writer.add(event.delta);
        context.events.text(event.delta);
      } else if (event.type === "tool_call") {
        calls.push({ id: event.id, name: event.name, input: event.input });
      } else if (event.type === "usage") {
        usage.inputTokens = Math.max(usage.inputTokens, event.inputTokens);
        usage.outputTokens = Math.max(usage.outputTokens, event.outputTokens);
      } else stop = event.reason;
    }
  } catch (error) {
    context.atomically(() => {
      writer.finish(false);
      countUsage(context, total, usage);
    });
    throw error;
  }
  context.atomically(() => {
    writer.finish(true);
    countUsage(context, total, usage);
  });
  return { text: writer.text, calls, stop };
}

function countUsage(
  context: TurnContext,
  total: TurnOutcome["usage"],
  usage: TurnOutcome["usage"],
): void {
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  context.onUsage(usage);
}

function storeCall(context: TurnContext, call: ToolCall): void {
  context.messages.append({
    sessionId: context.session.id,
    role: "tool",
    content: JSON.stringify(call.input ?? {}),
    toolCallId: call.id,
    toolName: call.name,
    metadata: { kind: "call" },
  });
}

/**
 * Runs the loop to its end.
 *
 * @throws whatever the provider throws (ProviderError), or the abort reason
 */
export async function runTurns(context: TurnContext): Promise<TurnOutcome> {
  const usage = { inputTokens: 0, outputTokens: 0 };
  let text = "";
  for (let turn = 1;; turn++) {
    context.signal.throwIfAborted();
    const step = await streamStep(context, usage);
    text += step.text;
    const assistant: ProviderMessage = { role: "assistant", content: [] };
    if (step.text !== "") {
      assistant.content.push({ type: "text", text: step.text });
    }
    if (step.calls.length === 0) return { text, usage, stopReason: step.stop };
    if (turn >= context.maxTurns) {
      return { text, usage, stopReason: "max_turns" };
    }
    const results: ProviderMessage = { role: "user", content: [] };
    for (const call of step.calls) {
      assistant.content.push({ type: "tool_use", ...call });
      storeCall(context, call);
    }
    for (const call of step.calls) {
      context.events.agent("tool_use", {
        id: call.id,
        name: call.name,
        input: call.input,
      });
      const output = await dispatchTool(call, context);
      context.messages.append({
        sessionId: context.session.id,
        role: "tool",
        content: output.content,
        toolCallId: call.id,
        toolName: call.name,
        metadata: { kind: "result", isError: output.isError === true },
      });
      context.events.agent("tool_result", {
        id: call.id,
        name: call.name,
        isError: output.isError === true,
        content: output.content.slice(0, 4096),
      });
      results.content.push({
        type: "tool_result",
        toolUseId: call.id,
        content: output.content,
        ...(output.isError ? { isError: true } : {}),
      });
    }
    context.conversation.push(assistant, results);
  }
}
