/**
 * WS methods for device pairing, device tokens and node pairing
 * (protocol.md §6–§7), each with its scope.
 *
 * @module
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { MethodDefinition, Role } from "../protocol/types.ts";
import {
  optionalFlag,
  optionalString,
  optionalStrings,
  paramsOf,
  requireString,
} from "./_params.ts";
import type { DevicePairing } from "./device_pairing.ts";
import type { DeviceTokens } from "./device_tokens.ts";
import type { NodePairing } from "./node_pairing.ts";

const ROLES: readonly Role[] = ["operator", "node"];

function checkRoles(method: string, roles: string[] | undefined): void {
  const unknown = roles?.find((role) => !ROLES.includes(role as Role));
  if (unknown !== undefined) {
    throw new ProtocolError(
      "invalid_request",
      `invalid ${method} params: role "${unknown}" is not one of ${
        ROLES.join(", ")
      }`,
    );
  }
}

/**
 * `device.pair.list|approve|reject` and `device.token.rotate|revoke`.
 *
 * @example
 * ```ts
 * registry.add(...devicePairingMethods({ devicePairing, deviceTokens }));
 * ```
 */
export function devicePairingMethods(
  deps: {
    devicePairing: DevicePairing;
    deviceTokens: DeviceTokens;
    clock?: () => number;
  },
): MethodDefinition[] {
  const { devicePairing, deviceTokens } = deps;
  return [
    {
      name: "device.pair.list",
      scope: "operator.read",
      handler: () => devicePairing.list(),
    },
    {
      name: "device.pair.approve",
      scope: "operator.pairing",
      handler: ({ params: raw }) => {
        const m = "device.pair.approve";
        const params = paramsOf(m, raw);
        const roles = optionalStrings(m, params, "roles");
        checkRoles(m, roles);
        const scopes = optionalStrings(m, params, "scopes");
        return devicePairing.approve(requireString(m, params, "requestId"), {
          ...(roles === undefined ? {} : { roles }),
          ...(scopes === undefined ? {} : { scopes }),
        });
      },
    },
    {
      name: "device.pair.reject",
      scope: "operator.pairing",
      handler: ({ params }) =>
        devicePairing.reject(
          requireString(
            "device.pair.reject",
            paramsOf("device.pair.reject", params),
            "requestId",
          ),
        ),
    },
    {
      name: "device.token.rotate",
      scope: "operator.pairing",
      handler: ({ params: raw }) => {
        const m = "device.token.rotate";
        const params = paramsOf(m, raw);
        const deviceId = requireString(m, params, "deviceId", 64);
        const role = requireString(m, params, "role", 32);
        checkRoles(m, [role]);
        const device = devicePairing.device(deviceId);
        if (device === undefined || !device.roles.includes(role)) {
          throw new ProtocolError(
            "invalid_request",
            `cannot rotate the token of device "${deviceId}" for role "${role}": the device is not paired for that role; approve it first`,
          );
        }
        const scopes = optionalStrings(m, params, "scopes") ?? device.scopes;
        const issued = deviceTokens.rotate(deviceId, { role, scopes });
        return {
          deviceId,
          role,
          token: issued.token,
          scopes: issued.scopes,
          issuedAtMs: issued.issuedAtMs,
          expiresAtMs: issued.expiresAtMs,
        };
      },
    },
    {
      name: "device.token.revoke",
      scope: "operator.pairing",
      handler: ({ params: raw }) => {
        const m = "device.token.revoke";
        const params = paramsOf(m, raw);
        const deviceId = requireString(m, params, "deviceId", 64);
        const role = optionalString(m, params, "role", 32);
        const revoked = deviceTokens.revoke(deviceId, role);
        return {
          deviceId,
          role: role ?? null,
          revoked,
          revokedAtMs: Date.now(),
        };
      },
    },
  ];
}

/**
 * `node.pair.request|list|approve|reject|verify`.
 *
 * @example
 * ```ts
 * registry.add(...nodePairingMethods({ nodePairing }));
 * ```
 */
export function nodePairingMethods(
  deps: { nodePairing: NodePairing },
): MethodDefinition[] {
  const { nodePairing } = deps;
  const requestId = (m: string, raw: unknown) =>
    requireString(m, paramsOf(m, raw), "requestId");
  return [
    {
      name: "node.pair.request",
      scope: "operator.pairing",
      handler: ({ params: raw, conn }) => {
        const m = "node.pair.request";
        const params = paramsOf(m, raw);
        return nodePairing.request({
          nodeId: requireString(m, params, "nodeId", 128),
          displayName: optionalString(m, params, "displayName") ?? null,
          platform: optionalString(m, params, "platform", 64) ?? null,
          version: optionalString(m, params, "version", 64) ?? null,
          silent: optionalFlag(m, params, "silent"),
          remoteIp: conn.remoteIp,
        });
      },
    },
    {
      name: "node.pair.list",
      scope: "operator.read",
      handler: () => nodePairing.list(),
    },
    {
      name: "node.pair.approve",
      scope: "operator.pairing",
      handler: ({ params }) =>
        nodePairing.approve(requestId("node.pair.approve", params)),
    },
    {
      name: "node.pair.reject",
      scope: "operator.pairing",
      handler: ({ params }) =>
        nodePairing.reject(requestId("node.pair.reject", params)),
    },
    {
      name: "node.pair.verify",
      scope: "operator.pairing",
      handler: ({ params: raw }) => {
        const m = "node.pair.verify";
        const params = paramsOf(m, raw);
        return nodePairing.verify(
          requireString(m, params, "nodeId", 128),
          requireString(m, params, "token", 128),
        );
      },
    },
  ];
}
