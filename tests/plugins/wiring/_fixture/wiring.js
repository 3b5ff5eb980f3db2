// A componentize-js plugin for the wiring tests: webhook, hooks, channel and
// tool exports in one component. "/loop" never answers (hostile).
import { logInfo } from "carapace:plugin/host@1.0.0";
const text = (bytes) => bytes ? new TextDecoder().decode(bytes) : null;
export const manifest = {
  getManifest() {
    return {
      id: "wiring",
      name: "Wiring",
      description: "wiring fixture",
      version: "1.2.3",
      kind: "webhook",
    };
  },
};
export const webhook = {
  getPaths() {
    return ["/echo", "/loop", "/deep/*"];
  },
  handle(req) {
    if (req.path === "/loop") { while (true) { /* hostile */ } }
    const header = req.headers.find(([k]) => k === "x-probe");
    const out = {
      method: req.method,
      path: req.path,
      query: req.query ?? null,
      body: text(req.body),
      probe: header ? header[1] : null,
    };
    return {
      status: 201,
      headers: [["content-type", "application/json"], ["x-plugin", "wiring"]],
      body: new TextEncoder().encode(JSON.stringify(out)),
    };
  },
};
export const hooks = {
  getHooks() {
    return ["message_sending", "agent_end"];
  },
  handle(event) {
    const payload = JSON.parse(event.payload);
    if (payload.content === "cancel") {
      return { handled: true, cancel: true, modifiedPayload: undefined };
    }
    payload.content = String(payload.content).toUpperCase();
    return {
      handled: true,
      cancel: false,
      modifiedPayload: JSON.stringify(payload),
    };
  },
};
export const channelMeta = {
  getInfo() {
    return {
      id: "wiring-chan",
      label: "Wiring",
      selectionLabel: "Wiring",
      docsPath: "/",
      blurb: "test",
      order: 1,
    };
  },
  getCapabilities() {
    return {
      chatTypes: ["dm"],
      polls: false,
      reactions: false,
      edit: false,
      unsend: false,
      reply: false,
      effects: false,
      groupManagement: false,
      threads: false,
      media: false,
      nativeCommands: false,
      blockStreaming: false,
    };
  },
};
const refuse = () => {
  throw { code: "UNSUPPORTED", message: "not supported", retryable: false };
};
export const channelAdapter = {
  sendText(ctx) {
    logInfo(`send ${ctx.to}`);
    return {
      ok: true,
      messageId: `m-${ctx.to}-${ctx.text.length}`,
      error: undefined,
      retryable: false,
    };
  },
  sendMedia: refuse,
  sendPoll: refuse,
  editMessage: refuse,
  deleteMessage: refuse,
  react: refuse,
};
export const tool = {
  getDefinitions() {
    return [{
      name: "echo",
      description: "echoes its params",
      inputSchema: '{"type":"object","properties":{"q":{"type":"string"}}}',
    }];
  },
  invoke(name, params, ctx) {
    if (name !== "echo") {
      return { success: false, result: undefined, error: "unknown tool" };
    }
    return {
      success: true,
      result: JSON.stringify({
        params: JSON.parse(params),
        session: ctx.sessionKey ?? null,
      }),
      error: undefined,
    };
  },
};
