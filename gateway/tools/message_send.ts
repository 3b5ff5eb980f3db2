/**
 * `message_send`: the agent sends a message (or a poll) through a channel
 * served by a channel plugin. The `message_sending` hook may rewrite the text
 * or cancel the send; `message_sent` reports the outcome.
 *
 * @module
 */
import type { RunHook, Tool } from "../agent/types.ts";
import { CaraError } from "../errors.ts";
import { inputOf, requireText } from "./_input.ts";

/** A delivery answer of a channel. */
export interface Delivery {
  ok: boolean;
  messageId?: string | undefined;
  error?: string | undefined;
  retryable?: boolean;
}

/** Where messages go: the plugin runtime fits. */
export interface ChannelSender {
  channels(): { channelId: string }[];
  sendText(
    channelId: string,
    message: {
      to: string;
      text: string;
      replyToId?: string;
      threadId?: string;
    },
  ): Promise<Delivery>;
  sendPoll(
    channelId: string,
    poll: {
      to: string;
      poll: { question: string; options: string[]; allowMultiple: boolean };
    },
  ): Promise<Delivery>;
}

function pollOf(
  value: unknown,
): { question: string; options: string[]; allowMultiple: boolean } {
  const poll = value as {
    question?: unknown;
    options?: unknown;
    allowMultiple?: unknown;
  };
  if (
    typeof poll?.question !== "string" || !Array.isArray(poll.options) ||
    !poll.options.every((option) => typeof option === "string")
  ) {
    throw new CaraError(
      "invalid_tool_input",
      `Invalid message_send input: "poll" must be {question: string, options: string[], allowMultiple?: boolean}`,
    );
  }
  return {
    question: poll.question,
    options: poll.options as string[],
    allowMultiple: poll.allowMultiple === true,
  };
}

/**
 * Builds the tool over `sender` (with the lifecycle `hooks`, when any).
 *
 * @example
 * ```ts
 * const tool = messageSendTool(pluginRuntime, hooks);
 * ```
 */
export function messageSendTool(sender: ChannelSender, hooks?: RunHook): Tool {
  return {
    name: "message_send",
    description:
      "Sends a text message, or a poll, to a recipient on a messaging channel served by a channel plugin. " +
      `Channels: ${sender.channels().map((c) => c.channelId).join(", ")}.`,
    inputSchema: {
      type: "object",
      properties: {
        channel: { type: "string", description: "channel id" },
        to: { type: "string", description: "recipient id on that channel" },
        text: {
          type: "string",
          description: "the message (omit when sending a poll)",
        },
        poll: {
          type: "object",
          properties: {
            question: { type: "string" },
            options: { type: "array", items: { type: "string" } },
            allowMultiple: { type: "boolean" },
          },
        },
        replyToId: { type: "string" },
        threadId: { type: "string" },
      },
      required: ["channel", "to"],
    },
    async run(input) {
      const fields = inputOf("message_send", input);
      const channel = requireText("message_send", fields, {
        key: "channel",
        max: 64,
      });
      const to = requireText("message_send", fields, { key: "to", max: 512 });
      if ((fields.text === undefined) === (fields.poll === undefined)) {
        throw new CaraError(
          "invalid_tool_input",
          `Invalid message_send input: give exactly one of "text" and "poll"`,
        );
      }
      let delivery: Delivery;
      if (fields.poll !== undefined) {
        delivery = await sender.sendPoll(channel, {
          to,
          poll: pollOf(fields.poll),
        });
      } else {
        let text = requireText("message_send", fields, {
          key: "text",
          max: 64 * 1024,
        });
        if (hooks !== undefined) {
          const sending = await hooks("message_sending", {
            channel,
            to,
            content: text,
          });
          if (sending.cancelled) {
            return {
              content: "The message was cancelled by a plugin hook",
              isError: true,
            };
          }
          const changed = (sending.payload as { content?: unknown } | null)
            ?.content;
          if (typeof changed === "string") text = changed;
        }
        const extra: { replyToId?: string; threadId?: string } = {};
        if (typeof fields.replyToId === "string") {
          extra.replyToId = fields.replyToId;
        }
        if (typeof fields.threadId === "string") {
          extra.threadId = fields.threadId;
        }
        delivery = await sender.sendText(channel, { to, text, ...extra });
      }
      hooks?.("message_sent", { channel, to, ok: delivery.ok }).catch(() => {});
      return delivery.ok
        ? {
          content: JSON.stringify({
            ok: true,
            messageId: delivery.messageId ?? null,
          }),
        }
        : {
          content: `Sending to "${channel}" failed: ${
            delivery.error ?? "unknown error"
          }`,
          isError: true,
        };
    },
  };
}
