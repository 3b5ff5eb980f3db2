/**
 * Keeps one plugin running: picks the sandbox by trust (a Worker for
 * trusted `plugins.load.paths` plugins, a child process for managed ones),
 * marks the plugin failed when it crashes or is killed, and restarts it
 * with exponential back-off. A plugin failure is reported to the caller as
 * a {@linkcode PluginCrashError}; it never escapes as an unhandled error.
 *
 * Which layer stops which attack (DESIGN.md "Plugins: defence in depth"):
 * - policy (plugins/host): SSRF, rate and size limits, capability denial —
 *   every host function checks before acting;
 * - capability (plugins/wasi): no filesystem, sockets, env or process
 *   through WASI; only the `carapace:plugin/host` functions exist;
 * - permissions (worker_entry.ts): a jco or V8-binding bug that reaches
 *   `Deno.*` meets permissions "none";
 * - memory (memory_limit.ts): linear memory capped at 64 MiB per instance;
 * - process (process_transport.ts): busy loops end by SIGKILL at the call
 *   limit, the JS heap is capped, the environment is empty.
 *
 * @module
 */
import type { HostFunctions } from "../host/types.ts";
import { DEFAULT_MAX_MEMORY_PAGES } from "./memory_limit.ts";
import type { TranspiledPlugin } from "./messages.ts";
import { processSession } from "./process_transport.ts";
import {
  type CallOutcome,
  PluginCrashError,
  type SandboxSession,
} from "./session.ts";
import { workerSession } from "./worker_transport.ts";

/** Where a plugin's code came from, which picks its sandbox. */
export type PluginTrust = "trusted" | "untrusted";

/** The run state of a supervised plugin. */
export type SupervisorState = "starting" | "active" | "failed" | "stopped";

/** Options of {@linkcode PluginSupervisor}. */
export interface SupervisorOptions {
  /** `untrusted` (default) runs in a child process, `trusted` in a Worker. */
  trust?: PluginTrust;
  /** Per-call limit; default 30 000 ms. */
  callTimeoutMs?: number;
  /** Default 1024 pages (64 MiB). */
  maxMemoryPages?: number;
  /** Child V8 heap cap in MiB (untrusted only); default 256. */
  heapMiB?: number;
  /** First restart delay; doubles per consecutive failure. Default 1 000 ms. */
  restartDelayMs?: number;
  /** Longest restart delay; default 60 000 ms. */
  maxRestartDelayMs?: number;
  /** Told about every state change (for logs and plugins.status). */
  onState?: (state: SupervisorState, reason: string | null) => void;
}

/** A plugin instance that restarts itself after a crash. */
export class PluginSupervisor {
  #plugin: TranspiledPlugin;
  #host: HostFunctions;
  #options: SupervisorOptions;
  #session: SandboxSession | undefined;
  #starting: Promise<void> | undefined;
  #state: SupervisorState = "stopped";
  #reason: string | null = null;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    plugin: TranspiledPlugin,
    host: HostFunctions,
    options: SupervisorOptions = {},
  ) {
    this.#plugin = plugin;
    this.#host = host;
    this.#options = options;
  }

  /** The current state. */
  get state(): SupervisorState {
    return this.#state;
  }

  /** Why the plugin failed, or null. */
  get reason(): string | null {
    return this.#reason;
  }

  /** Starts the sandbox; resolves when the plugin is instantiated. */
  start(): Promise<void> {
    this.#starting ??= this.#spawn();
    return this.#starting;
  }

  /**
   * Calls an export; a crash marks the plugin failed and schedules a restart.
   *
   * @throws {PluginCrashError} when the plugin crashed, was killed or is restarting
   */
  async call(iface: string, fn: string, args: unknown[]): Promise<CallOutcome> {
    if (this.#state !== "active" || !this.#session) {
      throw new PluginCrashError(
        "plugin_crashed",
        `The plugin is not running (${this.#state}${
          this.#reason ? `: ${this.#reason}` : ""
        })`,
      );
    }
    try {
      const outcome = await this.#session.call(iface, fn, args);
      this.#failures = 0;
      return outcome;
    } catch (error) {
      this.#fail(this.#session.deadReason ?? "the plugin crashed");
      throw error;
    }
  }

  /** Stops the plugin and any pending restart. */
  close(): void {
    clearTimeout(this.#timer);
    this.#session?.close();
    this.#session = undefined;
    this.#setState("stopped", null);
  }

  async #spawn(): Promise<void> {
    this.#setState("starting", null);
    const options = this.#options;
    const limits = {
      ...(options.callTimeoutMs === undefined
        ? {}
        : { callTimeoutMs: options.callTimeoutMs }),
    };
    const session = options.trust === "trusted"
      ? workerSession(this.#host, limits)
      : processSession(this.#host, {
        ...limits,
        ...(options.heapMiB === undefined ? {} : { heapMiB: options.heapMiB }),
      });
    this.#session = session;
    try {
      await session.load(
        this.#plugin,
        options.maxMemoryPages ?? DEFAULT_MAX_MEMORY_PAGES,
      );
      if (this.#session === session) this.#setState("active", null);
    } catch {
      this.#fail(session.deadReason ?? "the plugin failed to start");
    }
  }

  #fail(reason: string): void {
    if (this.#state === "stopped" || this.#state === "failed") return;
    this.#session?.close();
    this.#session = undefined;
    this.#setState("failed", reason);
    const first = this.#options.restartDelayMs ?? 1_000;
    const delay = Math.min(
      first * 2 ** this.#failures,
      this.#options.maxRestartDelayMs ?? 60_000,
    );
    this.#failures++;
    this.#timer = setTimeout(() => {
      this.#starting = this.#spawn();
    }, delay);
  }

  #setState(state: SupervisorState, reason: string | null): void {
    this.#state = state;
    this.#reason = reason;
    this.#options.onState?.(state, reason);
  }
}
