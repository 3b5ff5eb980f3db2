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
import { hexEqual, sha256Hex } from "./secret_compare.ts";

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

/** Plaintext tokens kept in memory for reuse (the oldest go first). */
const HANDED_OUT_MAX = 1024;

/** The key of a device's tokens in memory; a device's keys share the prefix `${deviceId}\n`. */
function handedOutKey(deviceId: string, role = ""): string {
  return `${deviceId}\n${role}`;
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
  /**
   * Tokens this process handed out, by device and role, so a device that
   * reconnects gets its token back instead of a new row on every connect.
   * The plaintext lives only in memory; each reuse is checked against the
   * stored hash first, so a revoked or expired token is never handed out.
   */
  #handedOut = new Map<string, IssuedDeviceToken & { tokenHash: string }>();
  #state: StateDatabase;

  constructor(state: StateDatabase, options: { clock?: () => number } = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#tokens = new DeviceTokenStore(state.db, { clock: this.#clock });
    this.#devices = state.devices;
    this.#state = state;
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

  /**
   * The token to hand a device that connected for `grant` (its pairing
   * already checked): the one handed out before when it is still stored,
   * unexpired, covers the scopes and is younger than half its life;
   * otherwise a newly issued one, committed without the fsync (a client that
   * loses it to a power cut pairs with its key again).
   */
  current(
    deviceId: string,
    grant: { role: string; scopes: readonly string[] },
  ): IssuedDeviceToken {
    const key = handedOutKey(deviceId, grant.role);
    const held = this.#handedOut.get(key);
    if (held !== undefined) {
      const now = this.#clock();
      const scopes = now - held.issuedAtMs < DEVICE_TOKEN_TTL_MS / 2
        ? this.#tokens.scopesOf(held.tokenHash, { deviceId, role: grant.role })
        : undefined;
      if (scopes !== undefined && scopesCover(scopes, grant.scopes)) {
        const { tokenHash: _, ...token } = held;
        return token;
      }
    }
    const issued = this.#state.relaxed(() => this.issue(deviceId, grant));
    this.#handedOut.delete(key);
    if (this.#handedOut.size >= HANDED_OUT_MAX) {
      this.#handedOut.delete(this.#handedOut.keys().next().value!);
    }
    this.#handedOut.set(key, { ...issued, tokenHash: sha256Hex(issued.token) });
    return issued;
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
    if (role !== undefined) {
      this.#handedOut.delete(handedOutKey(deviceId, role));
    } else {
      const prefix = handedOutKey(deviceId);
      for (const key of this.#handedOut.keys()) {
        if (key.startsWith(prefix)) this.#handedOut.delete(key);
      }
    }
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
    const presented = sha256Hex(check.token);
    for (const record of this.#tokens.forRole(check.deviceId, check.role)) {
      // Every candidate is compared so the time does not reveal which matched.
      if (
        hexEqual(presented, record.tokenHash) &&
        scopesCover(record.scopes, check.scopes)
      ) found = { issuedAtMs: record.issuedAt };
    }
    return found;
  }
}
