/**
 * The `connect` decision (protocol.md §4–§5): device-required rules, device
 * signature, auth order (a) local, (b) Tailscale, (c) token/password,
 * (d) device token, then pairing and device token issuance, behind a
 * per-IP failed-auth limiter, with audit events.
 *
 * @module
 */
import type { CaraConfig } from "../config/mod.ts";
import type { Env } from "../config/paths.ts";
import { ConnectRefused } from "../protocol/errors.ts";
import type {
  AuthMethod,
  ConnectAuthenticator,
  ConnectGrant,
  ConnectRequest,
} from "../protocol/types.ts";
import type { StateDatabase } from "../state/mod.ts";
import { checkCredentials } from "./connect_credentials.ts";
import type { DevicePairing } from "./device_pairing.ts";
import {
  DeviceKeyCache,
  type VerifiedDevice,
  verifyDeviceProof,
} from "./device_signature_verify.ts";
import type { DeviceTokens } from "./device_tokens.ts";
import {
  type FailedAuthLimiter,
  tooManyFailuresMessage,
} from "./failed_auth_limiter.ts";
import { isLocalDirect } from "./local_direct.ts";
import {
  type CredentialLookup,
  resolveServerCredentials,
  type ServerCredentials,
} from "./server_credentials.ts";
import {
  tailscaleAllowed,
  tailscaleVerified,
  type TailscaleWhois,
  tailscaleWhois,
} from "./tailscale_auth.ts";

/** Collaborators of {@linkcode createConnectAuthenticator}. */
export interface ConnectAuthenticatorDeps {
  state: StateDatabase;
  /** The config in force (read on every connect, so reloads apply). */
  config: () => CaraConfig;
  env: Env;
  devicePairing: DevicePairing;
  deviceTokens: DeviceTokens;
  limiter: FailedAuthLimiter;
  /** The credential store (`gateway:token:default`, `gateway:password:default`). */
  lookup?: CredentialLookup;
  /** Tailscale login lookup (default: `tailscale whois --json`). */
  whois?: TailscaleWhois;
  clock?: () => number;
}

const CONTROL_UI = "carapace-control-ui";

function present(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}

/**
 * Builds the authenticator the protocol core calls for each `connect`.
 *
 * @example
 * ```ts
 * const authenticate = createConnectAuthenticator({ state, config: () => reloader.current.config,
 *   env, devicePairing, deviceTokens, limiter, lookup });
 * const grant = await authenticate({ params, nonce, remoteIp, headers, connId });
 * ```
 */
export function createConnectAuthenticator(
  deps: ConnectAuthenticatorDeps,
): ConnectAuthenticator {
  const clock = deps.clock ?? Date.now;
  const whois = deps.whois ?? tailscaleWhois;
  const keys = new DeviceKeyCache();

  async function authenticateMethod(
    request: ConnectRequest,
    server: ServerCredentials,
    device: VerifiedDevice | null,
    localDirect: boolean,
  ): Promise<AuthMethod> {
    const { params } = request;
    if (server.mode === "none" && localDirect) return "local";
    if (
      !localDirect && tailscaleAllowed(deps.config()) &&
      await tailscaleVerified(request.remoteIp, request.headers, whois)
    ) return "tailscale";
    const check = checkCredentials(server, params.auth);
    if (check.ok) return check.method;
    const token = params.auth?.token;
    if (
      device !== null && token !== undefined && present(token) &&
      deps.deviceTokens.verify({
          deviceId: device.deviceId,
          role: params.role,
          scopes: params.scopes,
          token,
        }) !== null
    ) return "device-token";
    throw new ConnectRefused("invalid_request", check.reason);
  }

  async function decide(
    request: ConnectRequest,
    server: ServerCredentials,
    localDirect: boolean,
    onAccepted: (grant: ConnectGrant) => void,
  ): Promise<ConnectGrant> {
    const { params } = request;
    const config = deps.config();
    const controlUi = params.client.id === CONTROL_UI;
    const ignoreDevice = controlUi &&
      config.gateway.controlUi.dangerouslyDisableDeviceAuth;
    const hasToken = present(params.auth?.token);
    const hasSecret = hasToken || present(params.auth?.password);
    const deviceOptional = ignoreDevice ||
      (controlUi && config.gateway.controlUi.allowInsecureAuth && hasSecret) ||
      (localDirect && hasToken);
    const proof = ignoreDevice ? undefined : params.device;
    if (proof === undefined && !deviceOptional) {
      throw new ConnectRefused("not_paired", "device identity required");
    }
    const device = proof === undefined ? null : await verifyDeviceProof(
      params,
      { nonce: request.nonce, localDirect, nowMs: clock(), keys },
    );
    const method = await authenticateMethod(
      request,
      server,
      device,
      localDirect,
    );
    const grant: ConnectGrant = {
      role: params.role,
      scopes: [...params.scopes],
      deviceId: device?.deviceId ?? null,
      localDirect,
      method,
    };
    if (device !== null) {
      const subject = {
        ...device,
        role: params.role,
        scopes: params.scopes,
        client: params.client,
        remoteIp: request.remoteIp,
        localDirect,
      };
      // A known device writes nothing now (its visit is deferred bookkeeping);
      // pairing and new tokens commit crash-safe but skip the fsync.
      if (!deps.devicePairing.touchIfPaired(subject)) {
        // Its own commit: a pending pairing request must persist when this throws.
        deps.state.relaxed(() => deps.devicePairing.ensure(subject));
      }
      grant.deviceToken = deviceToken(request, device, method);
    }
    onAccepted(grant);
    return grant;
  }

  function deviceToken(
    request: ConnectRequest,
    device: VerifiedDevice,
    method: AuthMethod,
  ): { token: string; issuedAtMs: number } {
    const { role, scopes, auth } = request.params;
    if (method === "device-token" && auth?.token !== undefined) {
      // The client already holds a valid token: hand it back, write nothing.
      const held = deps.deviceTokens.verify({
        deviceId: device.deviceId,
        role,
        scopes,
        token: auth.token,
      });
      if (held !== null) return { token: auth.token, ...held };
    }
    try {
      const issued = deps.deviceTokens.current(device.deviceId, {
        role,
        scopes,
      });
      return { token: issued.token, issuedAtMs: issued.issuedAtMs };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ConnectRefused(
        "invalid_request",
        `device token issuance failed: ${detail}`,
        { cause: error },
      );
    }
  }

  // Deferred: a flood of connects must not cost a commit each.
  function audit(event: string, data: Record<string, string | boolean | null>) {
    const ts = clock();
    deps.state.defer(() => deps.state.audit.append({ event, data, ts }));
  }

  return async function authenticate(request) {
    const localDirect = isLocalDirect(request.remoteIp, request.headers);
    const server = await resolveServerCredentials({
      config: deps.config(),
      env: deps.env,
      ...(deps.lookup === undefined ? {} : { lookup: deps.lookup }),
    });
    // Mode none + local-direct is the owner's own machine: never limited.
    const limited = !(server.mode === "none" && localDirect);
    const base = {
      remoteIp: request.remoteIp,
      clientId: request.params.client.id,
      role: request.params.role,
      localDirect,
    };
    if (limited) {
      const wait = deps.limiter.retryAfterMs(request.remoteIp);
      if (wait > 0) {
        audit("auth_failure", { ...base, reason: "rate limited" });
        throw new ConnectRefused("rate_limited", tooManyFailuresMessage(wait), {
          details: { retryAfterMs: wait },
        });
      }
    }
    try {
      return await decide(
        request,
        server,
        localDirect,
        (grant) =>
          audit("auth_success", {
            ...base,
            method: grant.method,
            deviceId: grant.deviceId,
          }),
      );
    } catch (error) {
      if (error instanceof ConnectRefused && error.code === "invalid_request") {
        if (limited) deps.limiter.recordFailure(request.remoteIp);
        audit("auth_failure", { ...base, reason: error.message });
      }
      throw error;
    }
  };
}
