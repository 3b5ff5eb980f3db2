/**
 * Device tokens, stored only as the hex SHA-256 of the token, each bound to
 * one device and role with the scopes it grants and an expiry.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { CaraError } from "../errors.ts";
import { num, type Row, text } from "./_row.ts";
import { parseStringArray } from "./json.ts";
import { transaction, writeStatement } from "./transaction.ts";

/** A stored device token (its hash, never the token). */
export interface DeviceTokenRecord {
  tokenHash: string;
  deviceId: string;
  role: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
}

/** Input of {@linkcode DeviceTokenStore.insert}. */
export type DeviceTokenInput = Omit<DeviceTokenRecord, "issuedAt">;

/** Tokens kept per device and role (the oldest beyond this are dropped). */
export const DEVICE_TOKENS_PER_ROLE = 8;
/** Tokens kept in all (the oldest beyond this are dropped). */
export const DEVICE_TOKENS_MAX = 200;

const SHA256_HEX = /^[0-9a-f]{64}$/;

function toToken(row: Row): DeviceTokenRecord {
  return {
    tokenHash: text(row, "token_hash"),
    deviceId: text(row, "device_id"),
    role: text(row, "role"),
    scopes: parseStringArray(text(row, "scopes")),
    issuedAt: num(row, "issued_at"),
    expiresAt: num(row, "expires_at"),
  };
}

/** Reads and writes `device_tokens`. */
export class DeviceTokenStore {
  #db: DatabaseSync;
  #clock: () => number;
  #insert: StatementSync;
  #forRole: StatementSync;
  #trimRole: StatementSync;
  #trimAll: StatementSync;
  #deleteRole: StatementSync;
  #deleteExpired: StatementSync;
  #scopesOf: StatementSync;

  constructor(db: DatabaseSync, options: { clock: () => number }) {
    this.#db = db;
    this.#clock = options.clock;
    this.#insert = db.prepare(
      `INSERT INTO device_tokens (token_hash, device_id, role, scopes, issued_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#forRole = db.prepare(
      `SELECT * FROM device_tokens WHERE device_id = ? AND role = ?
       ORDER BY issued_at DESC, rowid DESC`,
    );
    this.#trimRole = db.prepare(
      `DELETE FROM device_tokens WHERE device_id = :deviceId AND role = :role
       AND rowid NOT IN (SELECT rowid FROM device_tokens
         WHERE device_id = :deviceId AND role = :role
         ORDER BY issued_at DESC, rowid DESC LIMIT :keep)`,
    );
    this.#trimAll = db.prepare(
      `DELETE FROM device_tokens WHERE rowid NOT IN (SELECT rowid FROM device_tokens
         ORDER BY issued_at DESC, rowid DESC LIMIT ?)`,
    );
    this.#deleteRole = db.prepare(
      "DELETE FROM device_tokens WHERE device_id = :deviceId AND (:role IS NULL OR role = :role)",
    );
    this.#deleteExpired = db.prepare(
      "DELETE FROM device_tokens WHERE expires_at <= ?",
    );
    this.#scopesOf = db.prepare(
      `SELECT scopes FROM device_tokens WHERE token_hash = ? AND device_id = ?
       AND role = ? AND expires_at > ?`,
    );
  }

  /**
   * Stores a token hash and drops the oldest tokens beyond the limits.
   *
   * @throws {CaraError} `invalid_request` for a hash that is not hex SHA-256
   */
  insert(input: DeviceTokenInput): DeviceTokenRecord {
    if (!SHA256_HEX.test(input.tokenHash)) {
      throw new CaraError(
        "invalid_request",
        "Cannot store device token: expected 64 lowercase hex characters (a SHA-256 digest)",
      );
    }
    const issuedAt = this.#clock();
    const scopes = JSON.stringify([...new Set(input.scopes)]);
    // One commit for the insert and both trims.
    transaction(this.#db, () => {
      this.#insert.run(
        input.tokenHash,
        input.deviceId,
        input.role,
        scopes,
        issuedAt,
        input.expiresAt,
      );
      this.#trimRole.run({
        deviceId: input.deviceId,
        role: input.role,
        keep: DEVICE_TOKENS_PER_ROLE,
      });
      this.#trimAll.run(DEVICE_TOKENS_MAX);
    });
    return { ...input, scopes: [...new Set(input.scopes)], issuedAt };
  }

  /** Unexpired tokens of a device and role, newest first. */
  forRole(deviceId: string, role: string): DeviceTokenRecord[] {
    const now = this.#clock();
    return this.#forRole.all(deviceId, role).map(toToken).filter((token) =>
      token.expiresAt > now
    );
  }

  /** Deletes the tokens of a device (one role, or all); returns how many. */
  revoke(deviceId: string, role?: string): number {
    const params = { deviceId, role: role ?? null };
    return Number(
      writeStatement(this.#db, () => this.#deleteRole.run(params)).changes,
    );
  }

  /** The scopes of an unexpired stored token of this device and role, else `undefined`. */
  scopesOf(
    tokenHash: string,
    owner: { deviceId: string; role: string },
  ): string[] | undefined {
    const row = this.#scopesOf.get(
      tokenHash,
      owner.deviceId,
      owner.role,
      this.#clock(),
    );
    return row === undefined
      ? undefined
      : parseStringArray(text(row, "scopes"));
  }

  /** Deletes expired tokens; returns how many. */
  deleteExpired(): number {
    const now = this.#clock();
    return Number(
      writeStatement(this.#db, () => this.#deleteExpired.run(now)).changes,
    );
  }
}
