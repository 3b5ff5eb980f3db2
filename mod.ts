/**
 * cara as a library: start a gateway in your own process, load and validate a
 * cara config, open cara's state database, and build clients and plugins
 * against the protocol types, the device-signature string and the plugin WIT.
 *
 * @example
 * ```ts
 * import { startGateway } from "./mod.ts";
 *
 * await using gateway = await startGateway({ env: Deno.env.toObject(), port: 0 });
 * const health = await (await fetch(`${gateway.url}/health`)).json();
 * ```
 *
 * @module
 */
export {
  type RunningGateway,
  startGateway,
  type StartGatewayOptions,
} from "./gateway/start_gateway.ts";
export {
  type CaraConfig,
  ConfigError,
  type ConfigErrorKind,
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  redactConfig,
  resolveConfigPath,
  resolveStateDir,
  validateConfig,
} from "./gateway/config/mod.ts";
export { openDatabase, StateDatabase } from "./gateway/state/mod.ts";
export { CaraError } from "./gateway/errors.ts";
export { BUILD_INFO, type BuildInfo } from "./gateway/build_info.ts";
export type {
  ClientInfo,
  ConnectionInfo,
  ConnectParams,
  EventFrame,
  MethodDefinition,
  MethodScope,
  RequestFrame,
  ResponseFrame,
  Role,
} from "./gateway/protocol/types.ts";
export {
  ERROR_CODES,
  type ErrorCode,
  ProtocolError,
} from "./gateway/protocol/errors.ts";
export { PROTOCOL_VERSION } from "./gateway/protocol/types.ts";
export { signedPayload } from "./gateway/protocol/device_signature.ts";
export type {
  HostFunctions,
  HttpRequest,
  HttpResponse,
  MediaFetchResult,
} from "./plugins/host/types.ts";
export type { PluginKind, PluginManifest } from "./plugins/loader/manifest.ts";
export { PLUGIN_WIT } from "./wit/plugin_wit.ts";
