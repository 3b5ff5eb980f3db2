/**
 * The gateway side of one running plugin sandbox, whatever carries the
 * messages (a Worker or a child process): matches calls to answers, runs
 * host function calls against {@linkcode HostFunctions}, and enforces the
 * per-call wall-clock limit by killing the transport (sandbox layer
 * "process": a killed sandbox cannot keep a CPU busy).
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";
import type { HostFunctions } from "../host/types.ts";
import type {
  DoneMessage,
  FromSandbox,
  ToSandbox,
  TranspiledPlugin,
} from "./messages.ts";

/** How messages reach a sandbox and how it is ended. */
export interface SandboxTransport {
  send(message: ToSandbox): void;
  /** Ends the sandbox at once (Worker terminate or SIGKILL). */
  kill(): void;
}

/** The answer of an export: its value or the plugin's own `plugin-error`. */
export type CallOutcome =
  | { ok: true; value: unknown }
  | { ok: false; pluginError: unknown };

/** A plugin that trapped, was killed at the call limit or whose sandbox died. */
export class PluginCrashError extends CaraError {
  constructor(code: "plugin_crashed" | "plugin_timeout", message: string) {
    super(code, message);
    this.name = "PluginCrashError";
  }
}

interface Pending {
  settle(message: DoneMessage): void;
  fail(error: PluginCrashError): void;
}

/** Options of {@linkcode SandboxSession}. */
export interface SandboxSessionOptions {
  /** Per-call wall-clock limit; default 30 000 ms (plugins.md §8). */
  callTimeoutMs?: number;
  /** Limit for instantiation (compiling the core modules); default 20 000 ms. */
  loadTimeoutMs?: number;
}

/** One sandbox's conversation; dead after a crash, a timeout or close(). */
export class SandboxSession {
  #transport: SandboxTransport;
  #host: HostFunctions;
  #timeoutMs: number;
  #loadTimeoutMs: number;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead: string | undefined;

  constructor(
    transport: SandboxTransport,
    host: HostFunctions,
    options: SandboxSessionOptions = {},
  ) {
    this.#transport = transport;
    this.#host = host;
    this.#timeoutMs = options.callTimeoutMs ?? 30_000;
    this.#loadTimeoutMs = options.loadTimeoutMs ?? 20_000;
  }

  /** Why the sandbox is gone, or undefined while it serves. */
  get deadReason(): string | undefined {
    return this.#dead;
  }

  /** Feeds one message from the sandbox. */
  receive(message: FromSandbox): void {
    if (message.type === "done") {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      return pending?.settle(message);
    }
    this.#runHost(message.id, message.fn, message.args);
  }

  /** Marks the sandbox dead (it exited or errored) and fails every call. */
  exited(reason: string): void {
    if (this.#dead) return;
    this.#dead = reason;
    for (const pending of this.#pending.values()) {
      pending.fail(new PluginCrashError("plugin_crashed", reason));
    }
    this.#pending.clear();
  }

  /** Instantiates the plugin inside the sandbox. */
  async load(plugin: TranspiledPlugin, maxMemoryPages: number): Promise<void> {
    const done = await this.#request(0, {
      type: "load",
      plugin,
      maxMemoryPages,
    });
    if (!done.ok) {
      this.#end(`instantiation failed: ${done.error ?? "unknown error"}`);
      throw new PluginCrashError("plugin_crashed", this.#dead ?? "");
    }
  }

  /** Calls an export, e.g. `call("tool", "invoke", [name, params, ctx])`. */
  async call(iface: string, fn: string, args: unknown[]): Promise<CallOutcome> {
    const id = this.#nextId++;
    const done = await this.#request(id, { type: "call", id, iface, fn, args });
    if (done.ok) return { ok: true, value: done.value };
    if (done.pluginError !== undefined) {
      return { ok: false, pluginError: done.pluginError };
    }
    this.#end(
      `the plugin crashed in ${iface}.${fn}: ${done.error ?? "unknown"}`,
    );
    throw new PluginCrashError("plugin_crashed", this.#dead ?? "");
  }

  /** Ends the sandbox. */
  close(): void {
    this.#end("the plugin was stopped");
  }

  #end(reason: string): void {
    this.exited(reason);
    this.#transport.kill();
  }

  #request(id: number, message: ToSandbox): Promise<DoneMessage> {
    if (this.#dead) {
      return Promise.reject(new PluginCrashError("plugin_crashed", this.#dead));
    }
    const limit = message.type === "load"
      ? this.#loadTimeoutMs
      : this.#timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        const what = message.type === "call"
          ? `${message.iface}.${message.fn}`
          : "instantiation";
        this.#end(
          `the plugin was killed: ${what} ran past ${this.#timeoutMs} ms`,
        );
        reject(new PluginCrashError("plugin_timeout", this.#dead ?? ""));
      }, limit);
      this.#pending.set(id, {
        settle: (done) => (clearTimeout(timer), resolve(done)),
        fail: (error) => (clearTimeout(timer), reject(error)),
      });
      this.#transport.send(message);
    });
  }

  async #runHost(id: number, fn: string, args: unknown[]): Promise<void> {
    const host = this.#host as unknown as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    const reply = { type: "host-reply" as const, id };
    try {
      const target = host[fn];
      if (typeof target !== "function") {
        throw new Error(`unknown host function "${fn}"`);
      }
      const value = await target.apply(this.#host, args);
      if (!this.#dead) this.#transport.send({ ...reply, ok: true, value });
    } catch (error) {
      const text = error instanceof CaraError
        ? error.message
        : "host function failed";
      if (!this.#dead) {
        this.#transport.send({ ...reply, ok: false, error: text });
      }
    }
  }
}
