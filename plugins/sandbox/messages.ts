/**
 * The messages between the gateway and a plugin sandbox. The same shapes
 * travel as structured clones to a Worker and as JSON lines to a child
 * process (see {@linkcode encodeLine}).
 *
 * @module
 */

/** The transpiled component: glue JS and its core modules by file name. */
export interface TranspiledPlugin {
  js: string;
  cores: Record<string, Uint8Array>;
}

/** Gateway → sandbox: instantiate the plugin. */
export interface LoadMessage {
  type: "load";
  plugin: TranspiledPlugin;
  maxMemoryPages: number;
}

/** Gateway → sandbox: call an export, e.g. `tool` / `invoke`. */
export interface CallMessage {
  type: "call";
  id: number;
  iface: string;
  fn: string;
  args: unknown[];
}

/** Gateway → sandbox: the answer to a {@linkcode HostCallMessage}. */
export interface HostReplyMessage {
  type: "host-reply";
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** Sandbox → gateway: the plugin calls a host function. */
export interface HostCallMessage {
  type: "host-call";
  id: number;
  fn: string;
  args: unknown[];
}

/**
 * Sandbox → gateway: a load or call finished. `id` 0 answers the load.
 * `pluginError` is the plugin's own `plugin-error`; `error` is a trap or a
 * host-side failure (the plugin crashed).
 */
export interface DoneMessage {
  type: "done";
  id: number;
  ok: boolean;
  value?: unknown;
  pluginError?: unknown;
  error?: string;
}

/** Everything the gateway sends. */
export type ToSandbox = LoadMessage | CallMessage | HostReplyMessage;
/** Everything a sandbox sends. */
export type FromSandbox = HostCallMessage | DoneMessage;

// Uint8Array base64 methods (V8 14+); not yet in TypeScript's lib.
type Base64Bytes = Uint8Array & { toBase64(): string };
type Base64Ctor = { fromBase64(text: string): Uint8Array };

/** JSON has no bigint or bytes: tag them so they survive a JSON line. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (value instanceof Uint8Array) {
    return { $bytes: (value as Base64Bytes).toBase64() };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const tagged = value as { $bigint?: unknown; $bytes?: unknown };
  if (typeof tagged.$bigint === "string") return BigInt(tagged.$bigint);
  if (typeof tagged.$bytes === "string") {
    return (Uint8Array as unknown as Base64Ctor).fromBase64(tagged.$bytes);
  }
  return value;
}

/** One message as a JSON line (bigint and Uint8Array preserved). */
export function encodeLine(message: ToSandbox | FromSandbox): string {
  return `${JSON.stringify(message, replacer)}\n`;
}

/** Parses a line written by {@linkcode encodeLine}. */
export function decodeLine<T extends ToSandbox | FromSandbox>(line: string): T {
  return JSON.parse(line, reviver) as T;
}
