/**
 * The WebSocket protocol core: build a hub and a registry, register feature
 * methods, and mount `wsRoute` at `GET /ws`.
 *
 * @example
 * ```ts
 * const hub = new ConnectionHub({ limits: wsLimits(config.gateway.ws) });
 * const registry = new MethodRegistry().register(systemMethods(deps));
 * const app = createGatewayApp({ ...options, routes: (app) =>
 *   app.get("/ws", wsRoute({ hub, registry, authenticate, server, logger, uptimeMs })) });
 * // on graceful stop, before server.shutdown():
 * hub.shutdown({ reason: "gateway stopping" });
 * ```
 *
 * @module
 */
export { authorize, NODE_METHODS } from "./authorize.ts";
export { CLIENT_IDS, CLIENT_MODES, connectParams } from "./connect_params.ts";
export {
  deviceIdOf,
  signDeviceProof,
  signedPayload,
  type SignedPayloadFields,
} from "./device_signature.ts";
export { decodeBase64Loose, encodeBase64Url } from "./base64url.ts";
export { eventScope } from "./event_scope.ts";
export {
  ConnectionHub,
  type ConnectionHubOptions,
  type HubMetrics,
  type HubStats,
} from "./hub.ts";
export { DEFAULT_WS_LIMITS, type WsLimits, wsLimits } from "./limits.ts";
export { CORE_EVENTS, MethodRegistry } from "./method_registry.ts";
export { ADMIN_SCOPE, hasScope } from "./scopes.ts";
export type {
  ServerIdentity,
  SessionDeps,
  SnapshotState,
} from "./session_deps.ts";
export { wsRoute, type WsUpgrade, wsUpgrade } from "./ws_route.ts";
