/**
 * Keeps the config in force: adopts a reloaded config (re-injecting its `env`
 * section, logging what changed, auditing it) or rejects a bad one and keeps
 * the last good config.
 *
 * @module
 */
import {
  applyConfigEnv,
  type EnvTarget,
  loadConfig,
  type LoadedConfig,
  type SecretKeyring,
} from "../config/mod.ts";
import type { Env } from "../config/paths.ts";
import type { ScopedLogger } from "../logs/logger.ts";
import type { AuditStore } from "../state/mod.ts";
import { describeReload } from "./reload_report.ts";

/** Collaborators of a {@linkcode ConfigReloader}. */
export interface ConfigReloaderOptions {
  env: Env;
  /** Derived secret keys, shared with the first load (Argon2id is slow). */
  keyring: SecretKeyring | null;
  /** Where the config's `env` section is injected; none means nowhere. */
  envTarget?: EnvTarget;
  log: ScopedLogger;
  audit: AuditStore;
}

/** The last good config and the rules for replacing it. */
export class ConfigReloader implements Disposable {
  #current: LoadedConfig;
  #undoEnv: () => void;
  #options: ConfigReloaderOptions;

  constructor(initial: LoadedConfig, options: ConfigReloaderOptions) {
    this.#options = options;
    this.#current = initial;
    this.#undoEnv = this.#inject(initial);
  }

  /** The config in force. */
  get current(): LoadedConfig {
    return this.#current;
  }

  /** Loads the file again; an invalid file is logged and the current config kept. */
  async reload(): Promise<boolean> {
    try {
      this.adopt(
        await loadConfig({
          env: this.#options.env,
          keyring: this.#options.keyring,
        }),
      );
      return true;
    } catch (error) {
      this.reject(error);
      return false;
    }
  }

  /** Puts a loaded, valid config in force. */
  adopt(next: LoadedConfig): void {
    const report = describeReload(this.#current.config, next.config);
    const unchanged = report.changed.length === 0 &&
      JSON.stringify(next.env) === JSON.stringify(this.#current.env);
    this.#undoEnv();
    this.#undoEnv = this.#inject(next);
    this.#current = next;
    // A write through config.set is re-read by the file watcher: not a second change.
    if (unchanged) return;
    for (const warning of next.warnings) this.#options.log.warn(warning);
    this.#options.log.info("Config reloaded", { ...report });
    this.#options.audit.append({
      event: "config_changed",
      data: { source: "reload", changed: report.changed },
    });
  }

  /** Logs one line for a config that failed to load. */
  reject(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.#options.log.error(
      `Config reload rejected, keeping the last good config: ${reason}`,
    );
  }

  /** Restores the environment as it was before the first injection. */
  [Symbol.dispose](): void {
    this.#undoEnv();
  }

  #inject(loaded: LoadedConfig): () => void {
    const target = this.#options.envTarget;
    return target ? applyConfigEnv(loaded.env, target) : () => {};
  }
}
