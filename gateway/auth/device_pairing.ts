/**
 * Device pairing policy (protocol.md §5, ops-and-security.md §4): known
 * devices pass, others get a pending request that an operator approves, or
 * that is approved at once for a local-direct connection.
 *
 * @module
 */
import { ConnectRefused, ProtocolError } from "../protocol/errors.ts";
import type { ClientInfo, EventSink } from "../protocol/types.ts";
import {
  type DevicePairingRequest,
  DevicePairingStore,
} from "../state/device_pairing_store.ts";
import type { DeviceRecord, StateDatabase } from "../state/mod.ts";
import { scopesCover } from "./scope_cover.ts";

/** Registry limits; defaults per ops-and-security.md §4. */
export interface DevicePairingLimits {
  maxPaired: number;
  maxPending: number;
  pendingTtlMs: number;
}

/** The default device registry limits. */
export const DEVICE_PAIRING_LIMITS: DevicePairingLimits = {
  maxPaired: 50,
  maxPending: 25,
  pendingTtlMs: 60 * 60 * 1000,
};

/** A verified device asking to connect. */
export interface PairingSubject {
  deviceId: string;
  /** base64url (normalised) raw public key. */
  publicKey: string;
  role: string;
  scopes: readonly string[];
  client: ClientInfo;
  remoteIp: string;
  localDirect: boolean;
}

/** A paired device as methods show it (no token hash). */
export interface PairedDevice {
  deviceId: string;
  publicKey: string;
  displayName: string | null;
  platform: string | null;
  clientId: string | null;
  role: string;
  roles: string[];
  scopes: string[];
  pairedAtMs: number;
  lastSeenAtMs: number | null;
}

/** Options of {@linkcode DevicePairing}. */
export interface DevicePairingOptions {
  events: EventSink;
  clock?: () => number;
  limits?: Partial<DevicePairingLimits>;
  /** Called with a device whose tokens must go (evicted, roles narrowed). */
  onRevokeTokens?: (deviceId: string, role?: string) => void;
}

const PAIRING_SCOPE = { scope: "operator.pairing" } as const;

function union(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/** The device pairing registry and its rules. */
export class DevicePairing {
  #state: StateDatabase;
  #store: DevicePairingStore;
  #events: EventSink;
  #clock: () => number;
  #limits: DevicePairingLimits;
  #onRevoke: (deviceId: string, role?: string) => void;

  constructor(state: StateDatabase, options: DevicePairingOptions) {
    this.#state = state;
    this.#clock = options.clock ?? Date.now;
    this.#store = new DevicePairingStore(state.db, { clock: this.#clock });
    this.#events = options.events;
    this.#limits = { ...DEVICE_PAIRING_LIMITS, ...options.limits };
    this.#onRevoke = options.onRevokeTokens ?? (() => {});
  }

  /**
   * Lets a known device through or runs pairing for it.
   *
   * @throws {ConnectRefused} `device identity mismatch`, `pairing required`
   *   (`not_paired`, details carry the request id) or `unavailable` when too
   *   many requests are pending
   */
  ensure(subject: PairingSubject): void {
    if (this.touchIfPaired(subject)) return;
    const device = this.#active(subject.deviceId);
    const request = this.#request(subject, device !== undefined);
    if (subject.localDirect) {
      this.approve(request.requestId, { auto: true });
      return;
    }
    throw new ConnectRefused("not_paired", "pairing required", {
      details: {
        requestId: request.requestId,
        details: { requestId: request.requestId },
      },
    });
  }

  /**
   * When the device is paired for the subject's role and scopes, records that
   * it was seen and returns true; otherwise returns false and writes nothing.
   *
   * @throws {ConnectRefused} `device identity mismatch` when the id is paired
   *   with another public key
   */
  touchIfPaired(subject: PairingSubject): boolean {
    const device = this.#active(subject.deviceId);
    if (device === undefined) return false;
    if (device.publicKey !== subject.publicKey) {
      throw new ConnectRefused("invalid_request", "device identity mismatch");
    }
    if (
      !device.roles.includes(subject.role) ||
      !scopesCover(device.scopes, subject.scopes)
    ) return false;
    this.#refresh(device, subject);
    return true;
  }

  /** The paired (not revoked) device with this id, or `undefined`. */
  device(deviceId: string): PairedDevice | undefined {
    this.#state.flushDeferred();
    const device = this.#active(deviceId);
    return device === undefined ? undefined : this.#show(device);
  }

  /** Pending requests and paired devices. */
  list(): { pending: DevicePairingRequest[]; paired: PairedDevice[] } {
    this.#state.flushDeferred();
    this.#store.expire(this.#clock() - this.#limits.pendingTtlMs);
    return {
      pending: this.#store.list(),
      paired: this.#state.devices.list().map((d) => this.#show(d)),
    };
  }

  /**
   * Approves a pending request (roles/scopes default to the request's plus
   * what the device already held) and announces `device.pair.resolved`.
   *
   * @throws {ProtocolError} `invalid_request` for an unknown request id
   */
  approve(
    requestId: string,
    options: { roles?: string[]; scopes?: string[]; auto?: boolean } = {},
  ): { requestId: string; device: PairedDevice } {
    const paired = this.#state.transaction(() => {
      const request = this.#pending(requestId);
      const held = this.#active(request.deviceId);
      const heldRoles = held === undefined
        ? []
        : this.#store.rolesOf(held.deviceId);
      const roles = options.roles ?? union(heldRoles, request.roles);
      const scopes = options.scopes ??
        union(held?.scopes ?? [], request.scopes);
      if (held === undefined) this.#makeRoom();
      const device = this.#state.devices.upsert({
        deviceId: request.deviceId,
        publicKey: request.publicKey,
        role: roles.includes(request.role)
          ? request.role
          : roles[0] ?? request.role,
        scopes,
        ...(request.displayName === null
          ? {}
          : { displayName: request.displayName }),
        ...(request.platform === null ? {} : { platform: request.platform }),
        ...(request.clientId === null ? {} : { clientId: request.clientId }),
      });
      this.#store.setRoles(device.deviceId, roles);
      for (const role of heldRoles) {
        if (!roles.includes(role)) this.#onRevoke(device.deviceId, role);
      }
      this.#store.delete(requestId);
      this.#state.audit.append({
        event: "device_paired",
        data: {
          requestId,
          deviceId: device.deviceId,
          roles,
          scopes,
          remoteIp: request.remoteIp,
          auto: options.auto === true,
        },
      });
      return this.#show(device);
    });
    this.#resolved(requestId, paired.deviceId, "approved");
    return { requestId, device: paired };
  }

  /**
   * Rejects a pending request and announces `device.pair.resolved`.
   *
   * @throws {ProtocolError} `invalid_request` for an unknown request id
   */
  reject(requestId: string): { requestId: string; deviceId: string } {
    const request = this.#pending(requestId);
    this.#store.delete(requestId);
    this.#resolved(requestId, request.deviceId, "rejected");
    return { requestId, deviceId: request.deviceId };
  }

  #active(deviceId: string): DeviceRecord | undefined {
    const device = this.#state.devices.get(deviceId);
    return device?.revokedAt === null ? device : undefined;
  }

  #pending(requestId: string): DevicePairingRequest {
    this.#store.expire(this.#clock() - this.#limits.pendingTtlMs);
    const request = this.#store.get(requestId);
    if (request === undefined) {
      throw new ProtocolError(
        "invalid_request",
        `unknown requestId "${
          requestId.slice(0, 80)
        }": it was approved, rejected or expired; list pending requests with device.pair.list`,
      );
    }
    return request;
  }

  #refresh(device: DeviceRecord, subject: PairingSubject): void {
    const { displayName, platform, id } = subject.client;
    if (
      (displayName !== undefined && displayName !== device.displayName) ||
      platform !== device.platform || id !== device.clientId
    ) {
      this.#state.devices.upsert({
        deviceId: device.deviceId,
        publicKey: device.publicKey,
        role: device.role,
        scopes: device.scopes,
        platform,
        clientId: id,
        ...(displayName === undefined ? {} : { displayName }),
      });
    }
    const at = this.#clock();
    this.#state.defer(
      () => this.#state.devices.touch(device.deviceId, at),
      `device-seen:${device.deviceId}`,
    );
  }

  #request(subject: PairingSubject, isRepair: boolean): DevicePairingRequest {
    this.#store.expire(this.#clock() - this.#limits.pendingTtlMs);
    const existing = this.#store.forDevice(subject.deviceId);
    if (
      existing === undefined && this.#store.count() >= this.#limits.maxPending
    ) {
      throw new ConnectRefused(
        "unavailable",
        "too many pending pairing requests",
      );
    }
    const request = this.#store.request({
      deviceId: subject.deviceId,
      publicKey: subject.publicKey,
      displayName: subject.client.displayName ?? null,
      platform: subject.client.platform,
      clientId: subject.client.id,
      clientMode: subject.client.mode,
      role: subject.role,
      scopes: [...subject.scopes],
      remoteIp: subject.remoteIp,
      silent: subject.localDirect,
      isRepair,
    });
    if (existing === undefined && !request.silent) {
      this.#events.broadcast("device.pair.requested", {
        ...request,
        ts: this.#clock(),
      }, PAIRING_SCOPE);
    }
    return request;
  }

  // Over the limit, the least recently seen device is unpaired.
  #makeRoom(): void {
    const devices = this.#state.devices.list();
    if (devices.length < this.#limits.maxPaired) return;
    const seen = (d: DeviceRecord) => d.lastSeenAt ?? d.pairedAt;
    const oldest = devices.reduce((a, b) => (seen(b) < seen(a) ? b : a));
    this.#state.devices.revoke(oldest.deviceId);
    this.#onRevoke(oldest.deviceId);
    this.#state.audit.append({
      event: "device_evicted",
      data: { deviceId: oldest.deviceId, reason: "paired device limit" },
    });
  }

  #resolved(requestId: string, deviceId: string, decision: string): void {
    this.#events.broadcast("device.pair.resolved", {
      requestId,
      deviceId,
      decision,
      ts: this.#clock(),
    }, PAIRING_SCOPE);
  }

  #show(device: DeviceRecord): PairedDevice {
    return {
      deviceId: device.deviceId,
      publicKey: device.publicKey,
      displayName: device.displayName,
      platform: device.platform,
      clientId: device.clientId,
      role: device.role,
      roles: this.#store.rolesOf(device.deviceId),
      scopes: device.scopes,
      pairedAtMs: device.pairedAt,
      lastSeenAtMs: device.lastSeenAt,
    };
  }
}
