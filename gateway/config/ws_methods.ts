/**
 * The `config.*` WebSocket methods (protocol.md §7 "Config"): read, edit,
 * validate, describe and reload the config. Edits go through one
 * {@linkcode ConfigEditor}; see there for the `config.changed` payload.
 *
 * @module
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { MethodContext, MethodDefinition } from "../protocol/types.ts";
import type { ConfigObject } from "./_object.ts";
import { ConfigEditError } from "./config_edit_error.ts";
import { ConfigEditor, type ConfigEditorDeps } from "./config_editor.ts";
import { readConfigSnapshot } from "./config_snapshot.ts";
import { ConfigError } from "./errors.ts";
import { getKeyPath, parseKeyPath, setKeyPath } from "./key_path.ts";
import { mergePatch } from "./merge_patch.ts";
import { redactConfig } from "./redact.ts";
import { describeConfigSchema } from "./schema_description.ts";
import { validateCandidate } from "./validate_candidate.ts";
import { ConfigParams } from "./ws_params.ts";

/** Collaborators of {@linkcode configMethods}. */
export interface ConfigMethodsDeps extends ConfigEditorDeps {
  /** Share one editor with `PATCH /control/config`; default: a new one. */
  editor?: ConfigEditor;
}

type ConfigHandler = (
  params: ConfigParams,
  ctx: MethodContext,
) => unknown | Promise<unknown>;

/**
 * The seven `config.*` methods: `config.get {key?}`, `config.set {key, value,
 * baseHash}` or `{raw, baseHash}`, `config.apply {raw, baseHash}`,
 * `config.patch {raw, baseHash}` (JSON merge patch, `null` deletes),
 * `config.validate {raw}|{config}`, `config.schema`, `config.reload`.
 *
 * Scopes: protocol.md §6 also lists `config.get|validate|schema` as read
 * methods and `config.set|apply|patch` as write methods, but its rules apply
 * first match and rule 1 (admin-required) names every `config.*` method, so
 * all of them need `operator.admin`.
 *
 * @example
 * ```ts
 * registry.add(configMethods({ env, keyring, reloader, events, audit: state.audit }));
 * ```
 */
export function configMethods(deps: ConfigMethodsDeps): MethodDefinition[] {
  const editor = deps.editor ?? new ConfigEditor(deps);
  const { env, keyring, reloader } = deps;
  const path = () => reloader.current.path;
  const edit = async (
    params: ConfigParams,
    ctx: MethodContext,
    build: (before: ConfigObject) => unknown,
  ) => ({
    ok: true,
    ...await editor.edit({
      baseHash: params.baseHash(),
      actor: {
        source: "ws",
        method: params.method,
        connId: ctx.conn.connId,
        clientId: ctx.conn.client.id,
        deviceId: ctx.conn.deviceId,
      },
      build,
    }),
  });

  const handlers: Record<string, ConfigHandler> = {
    "config.get": async (params) => {
      const key = params.optionalString("key");
      if (key === undefined) {
        return await readConfigSnapshot({ env, keyring, path: path() });
      }
      const segments = parseKeyPath(key);
      const found = getKeyPath(reloader.current.raw, segments);
      return {
        key,
        value: found.found ? redactConfig(found.value, segments.at(-1)) : null,
      };
    },
    "config.set": (params, ctx) => {
      const key = params.optionalString("key");
      if (key === undefined) {
        const raw = params.rawObject();
        return edit(params, ctx, () => raw);
      }
      const segments = parseKeyPath(key);
      const value = params.field("value");
      if (value === undefined) throw params.invalid(`"value" is required`);
      return edit(params, ctx, (before) => setKeyPath(before, segments, value));
    },
    "config.apply": (params, ctx) => {
      const raw = params.rawObject();
      return edit(params, ctx, () => raw);
    },
    "config.patch": (params, ctx) => {
      const patch = params.rawObject({ allowObject: true });
      return edit(params, ctx, (before) => mergePatch(before, patch));
    },
    "config.validate": async (params) => {
      let candidate = params.field("config");
      if (candidate === undefined) {
        try {
          candidate = params.raw();
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          const issue = {
            severity: "error",
            path: "(root)",
            message: error.message,
          };
          return { ok: true, valid: false, issues: [issue], warnings: [] };
        }
      }
      const options = { env, keyring, path: path() };
      return { ok: true, ...await validateCandidate(candidate, options) };
    },
    "config.schema": () => describeConfigSchema(),
    "config.reload": async () => ({ ok: true, ...await editor.reload() }),
  };

  return Object.entries(handlers).map(([name, handler]) => ({
    name,
    scope: "operator.admin",
    handler: async function configMethod(ctx: MethodContext) {
      try {
        return await handler(new ConfigParams(ctx.params, name), ctx);
      } catch (error) {
        throw toProtocolError(error);
      }
    },
  }));
}

function toProtocolError(error: unknown): unknown {
  if (error instanceof ConfigEditError) {
    return new ProtocolError(
      error.kind === "unavailable" ? "unavailable" : "invalid_request",
      error.message,
      error.details === undefined ? {} : { details: error.details },
    );
  }
  if (error instanceof ConfigError) {
    return new ProtocolError(
      error.kind === "read" ? "unavailable" : "invalid_request",
      error.message,
    );
  }
  return error;
}
