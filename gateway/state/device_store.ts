/**
 * Paired devices: identity (Ed25519 public key and its SHA-256 id), what the
 * device may do (role, scopes) and the hash of its device token.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { CaraError } from "../errors.ts";
import { checkOptionalText, checkText } from "./_check.ts";
import { num, numOrNull, type Row, text, textOrNull } from "./_row.ts";
import { parseStringArray } from "./json.ts";
import { writeStatement } from "./transaction.ts";

/** A stored device. */
export interface DeviceRecord {
  /** Lowercase hex SHA-256 of the raw public key. */
  deviceId: string;
  publicKey: string;
  displayName: string | null;
  platform: string | null;
  clientId: string | null;
  role: string;
  /** Every role the device was approved for, its primary `role` first. */
  roles: string[];
  scopes: string[];
  /** Hex SHA-256 of the device token; the token itself is never stored. */
  tokenHash: string | null;
  pairedAt: number;
  lastSeenAt: number | null;
  revokedAt: number | null;
}

/** Input of {@linkcode DeviceStore.upsert}; omitted optional fields keep their stored value. */
export interface DeviceUpsertInput {
  deviceId: string;
  publicKey: string;
  role: string;
  scopes: readonly string[];
  displayName?: string;
  platform?: string;
  clientId?: string;
  tokenHash?: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const MAX_SCOPES = 64;

function checkHash(value: string, what: string): string {
  if (!SHA256_HEX.test(value)) {
    throw new CaraError(
      "invalid_request",
      `Cannot store device ${what}: expected 64 lowercase hex characters (a SHA-256 digest)`,
    );
  }
  return value;
}

function checkScopes(scopes: readonly string[]): string {
  if (scopes.length > MAX_SCOPES) {
    throw new CaraError(
      "invalid_request",
      `Cannot store device scopes: got ${scopes.length}, the limit is ${MAX_SCOPES}`,
    );
  }
  for (const scope of scopes) checkText(scope, { what: "scope", max: 64 });
  return JSON.stringify([...new Set(scopes)]);
}

function toDevice(row: Row): DeviceRecord {
  return {
    deviceId: text(row, "device_id"),
    publicKey: text(row, "public_key"),
    displayName: textOrNull(row, "display_name"),
    platform: textOrNull(row, "platform"),
    clientId: textOrNull(row, "client_id"),
    role: text(row, "role"),
    roles: [
      ...new Set([text(row, "role"), ...parseStringArray(text(row, "roles"))]),
    ],
    scopes: parseStringArray(text(row, "scopes")),
    tokenHash: textOrNull(row, "token_hash"),
    pairedAt: num(row, "paired_at"),
    lastSeenAt: numOrNull(row, "last_seen_at"),
    revokedAt: numOrNull(row, "revoked_at"),
  };
}

// A revoked device that pairs again starts a new pairing.
const UPSERT = `
  INSERT INTO devices (device_id, public_key, display_name, platform, client_id,
    role, scopes, token_hash, paired_at)
  VALUES (:deviceId, :publicKey, :displayName, :platform, :clientId,
    :role, :scopes, :tokenHash, :now)
  ON CONFLICT (device_id) DO UPDATE SET
    display_name = COALESCE(excluded.display_name, display_name),
    platform = COALESCE(excluded.platform, platform),
    client_id = COALESCE(excluded.client_id, client_id),
    role = excluded.role,
    scopes = excluded.scopes,
    token_hash = COALESCE(excluded.token_hash, token_hash),
    paired_at = CASE WHEN revoked_at IS NULL THEN paired_at ELSE excluded.paired_at END,
    revoked_at = NULL
  WHERE public_key = excluded.public_key
  RETURNING *`;

/** Reads and writes rows of `devices`. */
export class DeviceStore {
  readonly #db: DatabaseSync;
  #clock: () => number;
  #upsert: StatementSync;
  #get: StatementSync;
  #list: StatementSync;
  #touch: StatementSync;
  #revoke: StatementSync;

  constructor(db: DatabaseSync, options: { clock: () => number }) {
    this.#db = db;
    this.#clock = options.clock;
    this.#upsert = db.prepare(UPSERT);
    this.#get = db.prepare("SELECT * FROM devices WHERE device_id = ?");
    this.#list = db.prepare(
      `SELECT * FROM devices WHERE :all OR revoked_at IS NULL
       ORDER BY paired_at, device_id`,
    );
    this.#touch = db.prepare(
      "UPDATE devices SET last_seen_at = ? WHERE device_id = ? AND revoked_at IS NULL",
    );
    this.#revoke = db.prepare(
      `UPDATE devices SET revoked_at = ?, token_hash = NULL
       WHERE device_id = ? AND revoked_at IS NULL`,
    );
  }

  /**
   * Pairs a device or updates a paired one (re-pairing a revoked device).
   *
   * @throws {CaraError} `invalid_request` for malformed fields or when the
   *   public key differs from the one stored for this device id
   */
  upsert(input: DeviceUpsertInput): DeviceRecord {
    const params = {
      deviceId: checkHash(input.deviceId, "id"),
      publicKey: checkText(input.publicKey, { what: "public key", max: 256 }),
      displayName: checkOptionalText(input.displayName, {
        what: "display name",
        max: 256,
      }),
      platform: checkOptionalText(input.platform, {
        what: "platform",
        max: 64,
      }),
      clientId: checkOptionalText(input.clientId, {
        what: "client id",
        max: 64,
      }),
      role: checkText(input.role, { what: "role", max: 32 }),
      scopes: checkScopes(input.scopes),
      tokenHash: input.tokenHash === undefined
        ? null
        : checkHash(input.tokenHash, "token hash"),
      now: this.#clock(),
    };
    const row = writeStatement(this.#db, () => this.#upsert.get(params));
    if (row === undefined) {
      throw new CaraError(
        "invalid_request",
        `Cannot pair device "${input.deviceId}": its public key differs from the one stored for this device id`,
      );
    }
    return toDevice(row);
  }

  /** The device with this id (revoked ones included), or `undefined`. */
  get(deviceId: string): DeviceRecord | undefined {
    const row = this.#get.get(deviceId);
    return row === undefined ? undefined : toDevice(row);
  }

  /** Paired devices, oldest pairing first; revoked ones only on request. */
  list(options: { includeRevoked?: boolean } = {}): DeviceRecord[] {
    return this.#list.all({ all: options.includeRevoked ? 1 : 0 }).map(
      toDevice,
    );
  }

  /** Records that the device was seen (at `at`, default now); false when unknown or revoked. */
  touch(deviceId: string, at?: number): boolean {
    const seen = at ?? this.#clock();
    return writeStatement(this.#db, () => this.#touch.run(seen, deviceId))
      .changes > 0;
  }

  /** Revokes the device and forgets its token hash; false when unknown or already revoked. */
  revoke(deviceId: string): boolean {
    const now = this.#clock();
    return writeStatement(this.#db, () => this.#revoke.run(now, deviceId))
      .changes > 0;
  }
}
