/**
 * The one path by which clients change the config file (WS `config.*`,
 * `PATCH /control/config`): one edit at a time, `baseHash` optimistic
 * concurrency, protected prefixes refused, the atomic writer (secrets stay
 * sealed), then reload, a `config.changed` event and a `config_changed`
 * audit entry.
 *
 * `config.changed` payload: `{hash, changed}` — `hash` is the SHA-256 of the
 * config file now on disk (`null` when there is none), `changed` the sorted
 * dotted paths that differ (values are never sent; at most 100, then `…`).
 *
 * @module
 */
import type { EventSink } from "../protocol/types.ts";
import type { JsonObject } from "../state/json.ts";
import { type ConfigObject, isRecord } from "./_object.ts";
import { changedPaths } from "./changed_paths.ts";
import {
  ConfigEditError,
  HASH_CONFLICT_MESSAGE,
  HASH_REQUIRED_MESSAGE,
} from "./config_edit_error.ts";
import { toConfigEditError } from "./config_edit_mapping.ts";
import type { LoadedConfig } from "./load.ts";
import { loadConfig } from "./load.ts";
import type { Env } from "./paths.ts";
import { changedProtectedPrefixes } from "./protected.ts";
import { restoreRedacted } from "./restore_redacted.ts";
import type { SecretKeyring } from "./secrets/keyring.ts";
import { readPlainConfig, writeConfig } from "./write.ts";

/** The config in force and how to reload it (`ConfigReloader` fits). */
export interface ConfigSource {
  readonly current: LoadedConfig;
  /** Re-reads the file; `false` when it did not load (the old config stays). */
  reload(): Promise<boolean>;
}

/** Where edits are recorded (`AuditStore` fits). */
export interface ConfigAudit {
  append(input: { event: string; data?: JsonObject }): number;
}

/** Collaborators of a {@linkcode ConfigEditor}. */
export interface ConfigEditorDeps {
  env: Env;
  keyring: SecretKeyring | null;
  reloader: ConfigSource;
  events: EventSink;
  audit?: ConfigAudit;
}

/** One edit: how to build the new file content from the current one. */
export interface ConfigEdit {
  /** The `hash` the client last read; required when the file exists. */
  baseHash?: string | null;
  /** Who asks, for the audit trail, e.g. `{source: "ws", method: "config.set"}`. */
  actor: JsonObject;
  build(before: ConfigObject): unknown;
}

/** What a successful edit did. */
export interface ConfigEditResult {
  path: string;
  hash: string;
  changed: string[];
  /** Whether the running config now is the written one. */
  reloaded: boolean;
  warnings: string[];
}

/** Serialises config edits and reloads, and announces what changed. */
export class ConfigEditor {
  #deps: ConfigEditorDeps;
  #queue: Promise<void> = Promise.resolve();
  #announced: string | null | undefined = undefined;

  constructor(deps: ConfigEditorDeps) {
    this.#deps = deps;
  }

  /**
   * Applies one edit.
   *
   * @throws {ConfigEditError} every refusal, see its kinds
   */
  edit(edit: ConfigEdit): Promise<ConfigEditResult> {
    return this.#serial(() => this.#edit(edit));
  }

  /**
   * Reloads the file now and announces the result.
   *
   * @throws {ConfigEditError} kind `invalid`/`rejected` when the file does not load
   */
  reload(): Promise<{ hash: string | null; changed: string[] }> {
    return this.#serial(async () => {
      const { reloader, env, keyring } = this.#deps;
      const before = reloader.current;
      if (!(await reloader.reload())) {
        try {
          await loadConfig({ env, keyring, path: before.path });
        } catch (error) {
          throw toConfigEditError(error);
        }
        throw new ConfigEditError(
          "rejected",
          "config reload failed; see the gateway log",
        );
      }
      const after = reloader.current;
      const changed = changedPaths(before.raw, after.raw);
      this.#broadcast(after.hash, changed);
      return { hash: after.hash, changed };
    });
  }

  /** Announces a reload done elsewhere (the file watcher), unless already announced. */
  announce(before: LoadedConfig, after: LoadedConfig): void {
    if (after.hash === this.#announced) return;
    this.#broadcast(after.hash, changedPaths(before.raw, after.raw));
  }

  async #edit(edit: ConfigEdit): Promise<ConfigEditResult> {
    const { reloader, env, keyring } = this.#deps;
    const path = reloader.current.path;
    const current = await readPlainConfig(path).catch((error) => {
      throw toConfigEditError(error);
    });
    checkBaseHash(current.hash, edit.baseHash);
    const candidate = restoreRedacted(
      edit.build(current.value),
      current.value,
    );
    if (!isRecord(candidate)) {
      throw new ConfigEditError("invalid", "invalid config", {
        details: {
          issues: [{
            severity: "error",
            path: "(root)",
            message: "expected an object",
          }],
        },
      });
    }
    const touched = changedProtectedPrefixes(current.value, candidate);
    if (touched.length > 0) {
      throw new ConfigEditError(
        "protected",
        `config change refused: it changes protected config ${
          touched.map((p) => `"${p}"`).join(", ")
        }; edit the file by hand instead`,
        { details: { protected: touched } },
      );
    }
    const written = await writeConfig({
      env,
      path,
      keyring,
      value: candidate,
      ...(current.hash === null ? {} : { baseHash: current.hash }),
    }).catch((error) => {
      throw toConfigEditError(error);
    });
    const changed = changedPaths(current.value, candidate);
    const reloaded = await reloader.reload();
    const warnings = [...written.warnings];
    if (!reloaded) {
      warnings.push(
        "The file was written but did not load; the previous config stays in force (see the gateway log)",
      );
    }
    this.#broadcast(written.hash, changed);
    this.#deps.audit?.append({
      event: "config_changed",
      data: { ...edit.actor, changed, hash: written.hash },
    });
    return { path, hash: written.hash, changed, reloaded, warnings };
  }

  #broadcast(hash: string | null, changed: string[]): void {
    this.#announced = hash;
    this.#deps.events.broadcast("config.changed", { hash, changed });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.then(() => {}, () => {});
    return run;
  }
}

function checkBaseHash(
  fileHash: string | null,
  baseHash: string | null | undefined,
): void {
  const given = baseHash ?? "";
  if (fileHash !== null && given === "") {
    throw new ConfigEditError("hash_required", HASH_REQUIRED_MESSAGE);
  }
  if (given !== "" && given !== fileHash) {
    throw new ConfigEditError("conflict", HASH_CONFLICT_MESSAGE);
  }
}
