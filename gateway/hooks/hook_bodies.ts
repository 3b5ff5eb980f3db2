/**
 * Checks the bodies of `POST {hooks}/wake` and `POST {hooks}/agent` and turns
 * them into a wake request or a {@linkcode RunRequest}; a string result is
 * the reason the body was refused.
 *
 * @module
 */
import type { RunRequest } from "../agent/types.ts";

/** A checked wake: `{text, mode}`. */
export interface WakeHook {
  text: string;
  mode: "now" | "next-heartbeat";
}

const MAX_TEXT = 64 * 1024;
const KEY = /^[A-Za-z0-9:_.-]{1,200}$/;

/** Checks `{text, mode?}`. */
export function parseWakeHook(
  body: Record<string, unknown>,
): WakeHook | string {
  const { text, mode = "now" } = body;
  if (
    typeof text !== "string" || text.trim() === "" || text.length > MAX_TEXT
  ) {
    return `Cannot wake: "text" must be a non-blank string of at most ${MAX_TEXT} characters`;
  }
  if (mode !== "now" && mode !== "next-heartbeat") {
    return `Cannot wake: "mode" must be "now" or "next-heartbeat", got ${
      JSON.stringify(mode).slice(0, 40)
    }`;
  }
  return { text, mode };
}

/** Checks `{message, name?, sessionKey?, route? XOR model?, timeoutSeconds?, …}`. */
export function parseAgentHook(
  body: Record<string, unknown>,
): RunRequest | string {
  const { message, name, sessionKey, route, model, timeoutSeconds } = body;
  if (
    typeof message !== "string" || message.trim() === "" ||
    message.length > MAX_TEXT
  ) {
    return `Cannot start an agent run: "message" must be a non-blank string of at most ${MAX_TEXT} characters`;
  }
  if (route !== undefined && model !== undefined) {
    return `Cannot start an agent run: send at most one of "route" and "model"`;
  }
  for (
    const [field, value] of [["route", route], ["model", model], [
      "name",
      name,
    ]] as const
  ) {
    if (
      value !== undefined &&
      (typeof value !== "string" || value === "" || value.length > 200)
    ) {
      return `Cannot start an agent run: "${field}" must be a non-empty string of at most 200 characters`;
    }
  }
  if (
    sessionKey !== undefined &&
    (typeof sessionKey !== "string" || !KEY.test(sessionKey))
  ) {
    return `Cannot start an agent run: "sessionKey" must match ${KEY}`;
  }
  if (
    timeoutSeconds !== undefined &&
    (typeof timeoutSeconds !== "number" || !Number.isInteger(timeoutSeconds) ||
      timeoutSeconds < 1 || timeoutSeconds > 3600)
  ) {
    return `Cannot start an agent run: "timeoutSeconds" must be an integer from 1 to 3600`;
  }
  const label = typeof name === "string"
    ? name.replace(/[^A-Za-z0-9_.-]/g, "-")
    : "agent";
  return {
    message,
    sessionKey: typeof sessionKey === "string"
      ? sessionKey
      : `hook:${label}:${crypto.randomUUID()}`,
    source: "hook",
    ...(typeof route === "string" ? { route } : {}),
    ...(typeof model === "string" ? { model } : {}),
    ...(typeof timeoutSeconds === "number" ? { timeoutSeconds } : {}),
  };
}
