/**
 * Device tokens: UUID v4 strings handed out once, stored only as their hex
 * SHA-256, bound to a device, a role and the scopes they grant, valid 90 days.
 *
 * @module
 */
import type { DeviceStore } from "../state/device_store.ts";
import { DeviceTokenStore } from "../state/device_token_store.ts";
import type { StateDatabase } from "../state/mod.ts";
import { scopesCover } from "./scope_cover.ts";
import { matchesHash, sha256Hex } from "./secret_compare.ts";

/** How long a device token is valid. */
export const DEVICE_TOKEN_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** A freshly issued token (the only time the plaintext exists). */
export interface IssuedDeviceToken {
  token: string;
  deviceId: string;
  role: string;
  scopes: string[];
  issuedAtMs: number;
  expiresAtMs: number;
}

/** What a presented token must match. */
export interface DeviceTokenCheck {
  deviceId: string;
  role: string;
  scopes: readonly string[];
  token: string;
}

/** Issues, verifies and revokes device tokens. */
export class DeviceTokens {
  #tokens: DeviceTokenStore;
  #devices: DeviceStore;
  #clock: () => number;

  constructor(state: StateDatabase, options: { clock?: () => number } = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#tokens = new DeviceTokenStore(state.db, { clock: this.#clock });
    this.#devices = state.devices;
  }

  /** Issues a new token for a paired device (older ones stay valid up to the per-role cap). */
  issue(
    deviceId: string,
    grant: { role: string; scopes: readonly string[] },
  ): IssuedDeviceToken {
    const token = crypto.randomUUID();
    const record = this.#tokens.insert({
      tokenHash: sha256Hex(token),
      deviceId,
      role: grant.role,
      scopes: [...grant.scopes],
      expiresAt: this.#clock() + DEVICE_TOKEN_TTL_MS,
    });
    return {
      token,
      deviceId,
      role: record.role,
      scopes: record.scopes,
      issuedAtMs: record.issuedAt,
      expiresAtMs: record.expiresAt,
    };
  }

  /** Revokes every token of the device and role, then issues a new one. */
  rotate(
    deviceId: string,
    grant: { role: string; scopes: readonly string[] },
  ): IssuedDeviceToken {
    this.#tokens.revoke(deviceId, grant.role);
    return this.issue(deviceId, grant);
  }

  /** Revokes the tokens of a device (one role or all); returns how many. */
  revoke(deviceId: string, role?: string): number {
    return this.#tokens.revoke(deviceId, role);
  }

  /**
   * The issue time of `check.token` when it is an unexpired token of this
   * paired device and role whose scopes cover the requested ones (and the
   * device's own); `null` otherwise. Hashes are compared in constant time.
   */
  verify(check: DeviceTokenCheck): { issuedAtMs: number } | null {
    const device = this.#devices.get(check.deviceId);
    if (device === undefined || device.revokedAt !== null) return null;
    if (!scopesCover(device.scopes, check.scopes)) return null;
    let found: { issuedAtMs: number } | null = null;
    for (const record of this.#tokens.forRole(check.deviceId, check.role)) {
      // Every candidate is compared so the time does not reveal which matched.
      if (
        matchesHash(check.token, record.tokenHash) &&
        scopesCover(record.scopes, check.scopes)
      ) found = { issuedAtMs: record.issuedAt };
    }
    return found;
  }
}
