/**
 * Builds the auth services once, so the connect authenticator, the pairing
 * methods and HTTP service auth share one registry and one limiter.
 *
 * @module
 */
import type { EventSink } from "../protocol/types.ts";
import type { StateDatabase } from "../state/mod.ts";
import { DevicePairing, type DevicePairingLimits } from "./device_pairing.ts";
import { DeviceTokens } from "./device_tokens.ts";
import {
  FailedAuthLimiter,
  type FailedAuthLimiterOptions,
} from "./failed_auth_limiter.ts";
import { NodePairing, type NodePairingLimits } from "./node_pairing.ts";

/** The shared auth services. */
export interface AuthServices {
  devicePairing: DevicePairing;
  deviceTokens: DeviceTokens;
  nodePairing: NodePairing;
  limiter: FailedAuthLimiter;
}

/** Options of {@linkcode createAuthServices}. */
export interface AuthServicesOptions {
  events: EventSink;
  clock?: () => number;
  deviceLimits?: Partial<DevicePairingLimits>;
  nodeLimits?: Partial<NodePairingLimits>;
  limiter?: Omit<FailedAuthLimiterOptions, "clock">;
}

/**
 * Creates the device/node registries, device tokens and failed-auth limiter.
 *
 * @example
 * ```ts
 * const auth = createAuthServices(state, { events: broadcaster });
 * ```
 */
export function createAuthServices(
  state: StateDatabase,
  options: AuthServicesOptions,
): AuthServices {
  const clock = options.clock ?? Date.now;
  const deviceTokens = new DeviceTokens(state, { clock });
  const devicePairing = new DevicePairing(state, {
    events: options.events,
    clock,
    ...(options.deviceLimits === undefined
      ? {}
      : { limits: options.deviceLimits }),
    onRevokeTokens: (deviceId, role) => deviceTokens.revoke(deviceId, role),
  });
  const nodePairing = new NodePairing(state, {
    events: options.events,
    clock,
    ...(options.nodeLimits === undefined ? {} : { limits: options.nodeLimits }),
  });
  const limiter = new FailedAuthLimiter({ ...options.limiter, clock });
  return { devicePairing, deviceTokens, nodePairing, limiter };
}
