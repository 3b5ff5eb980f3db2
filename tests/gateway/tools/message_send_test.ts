import {
  type ChannelSender,
  messageSendTool,
} from "../../../gateway/tools/message_send.ts";
import type { RunHook } from "../../../gateway/agent/types.ts";
import { assertEquals, assertRejects } from "../../_helpers.ts";

const CONTEXT = {
  agentId: "main",
  sessionKey: "k",
  runId: "r",
  signal: new AbortController().signal,
};

/** A channel that records what it was asked to deliver. */
function recordingChannel(sent: unknown[]): ChannelSender {
  return {
    channels: () => [{ channelId: "chat" }],
    sendText: (channelId, message) => {
      sent.push({ channelId, ...message });
      return Promise.resolve({ ok: true, messageId: "m1" });
    },
    sendPoll: (channelId, poll) => {
      sent.push({ channelId, ...poll });
      return Promise.resolve({
        ok: false,
        error: "polls are not supported here",
      });
    },
  };
}

Deno.test("message_send delivers text and lets message_sending rewrite it", async () => {
  const sent: unknown[] = [];
  const seen: string[] = [];
  const hooks: RunHook = (name, payload) => {
    seen.push(name);
    return Promise.resolve({
      payload: name === "message_sending"
        ? { ...payload, content: "REWRITTEN" }
        : payload,
      cancelled: false,
    });
  };
  const tool = messageSendTool(recordingChannel(sent), hooks);
  const out = await tool.run(
    { channel: "chat", to: "bob", text: "hi" },
    CONTEXT,
  );
  assertEquals(JSON.parse(out.content), { ok: true, messageId: "m1" });
  assertEquals(sent, [{ channelId: "chat", to: "bob", text: "REWRITTEN" }]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assertEquals(seen, ["message_sending", "message_sent"]);
});

Deno.test("message_send does not deliver what message_sending cancels", async () => {
  const sent: unknown[] = [];
  const hooks: RunHook = (_name, payload) =>
    Promise.resolve({ payload, cancelled: true });
  const out = await messageSendTool(recordingChannel(sent), hooks).run(
    { channel: "chat", to: "bob", text: "hi" },
    CONTEXT,
  );
  assertEquals(out.isError, true);
  assertEquals(sent, []);
});

Deno.test("message_send reports a failed poll delivery and refuses ambiguous input", async () => {
  const sent: unknown[] = [];
  const tool = messageSendTool(recordingChannel(sent));
  const out = await tool.run({
    channel: "chat",
    to: "bob",
    poll: { question: "Lunch?", options: ["yes", "no"] },
  }, CONTEXT);
  assertEquals(out, {
    content: `Sending to "chat" failed: polls are not supported here`,
    isError: true,
  });
  await assertRejects(
    tool.run({
      channel: "chat",
      to: "bob",
      text: "x",
      poll: { question: "q", options: ["a", "b"] },
    }, CONTEXT),
    /exactly one of "text" and "poll"/,
  );
  await assertRejects(
    tool.run({ to: "bob", text: "x" }, CONTEXT),
    /"channel" must be a non-empty string/,
  );
});
