/**
 * Pending device pairing requests (one per device) and the roles a paired
 * device holds. Limits and expiry are policy of gateway/auth.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { checkOptionalText, checkText } from "./_check.ts";
import { num, type Row, text, textOrNull } from "./_row.ts";
import { parseStringArray } from "./json.ts";
import { writeStatement } from "./transaction.ts";

/** A pending device pairing request. */
export interface DevicePairingRequest {
  requestId: string;
  deviceId: string;
  publicKey: string;
  displayName: string | null;
  platform: string | null;
  clientId: string | null;
  clientMode: string | null;
  role: string;
  roles: string[];
  scopes: string[];
  remoteIp: string | null;
  silent: boolean;
  isRepair: boolean;
  createdAt: number;
}

/** Input of {@linkcode DevicePairingStore.request}. */
export type DevicePairingInput = Omit<
  DevicePairingRequest,
  "requestId" | "createdAt" | "roles"
>;

const MAX_LIST = 64;

function list(values: readonly string[], what: string): string {
  if (values.length > MAX_LIST) {
    throw new RangeError(`Cannot store ${what}: more than ${MAX_LIST} entries`);
  }
  for (const value of values) checkText(value, { what, max: 64 });
  return JSON.stringify([...new Set(values)]);
}

function toRequest(row: Row): DevicePairingRequest {
  return {
    requestId: text(row, "request_id"),
    deviceId: text(row, "device_id"),
    publicKey: text(row, "public_key"),
    displayName: textOrNull(row, "display_name"),
    platform: textOrNull(row, "platform"),
    clientId: textOrNull(row, "client_id"),
    clientMode: textOrNull(row, "client_mode"),
    role: text(row, "role"),
    roles: parseStringArray(text(row, "roles")),
    scopes: parseStringArray(text(row, "scopes")),
    remoteIp: textOrNull(row, "remote_ip"),
    silent: num(row, "silent") === 1,
    isRepair: num(row, "is_repair") === 1,
    createdAt: num(row, "created_at"),
  };
}

// A device asking again keeps its request id; the request grows to cover
// every role and scope asked for so one approval answers them all.
const UPSERT = `
  INSERT INTO device_pairing_requests (request_id, device_id, public_key,
    display_name, platform, client_id, client_mode, role, roles, scopes,
    remote_ip, silent, is_repair, created_at)
  VALUES (:requestId, :deviceId, :publicKey, :displayName, :platform,
    :clientId, :clientMode, :role, :roles, :scopes, :remoteIp, :silent,
    :isRepair, :now)
  ON CONFLICT (device_id) DO UPDATE SET
    public_key = excluded.public_key,
    display_name = COALESCE(excluded.display_name, display_name),
    platform = COALESCE(excluded.platform, platform),
    client_id = COALESCE(excluded.client_id, client_id),
    client_mode = COALESCE(excluded.client_mode, client_mode),
    role = excluded.role,
    roles = (SELECT json_group_array(DISTINCT value) FROM
      (SELECT value FROM json_each(roles) UNION SELECT value FROM json_each(excluded.roles))),
    scopes = (SELECT json_group_array(DISTINCT value) FROM
      (SELECT value FROM json_each(scopes) UNION SELECT value FROM json_each(excluded.scopes))),
    remote_ip = excluded.remote_ip,
    silent = excluded.silent,
    is_repair = excluded.is_repair
  RETURNING *`;

/** Reads and writes `device_pairing_requests` and `devices.roles`. */
export class DevicePairingStore {
  readonly #db: DatabaseSync;
  #clock: () => number;
  #upsert: StatementSync;
  #get: StatementSync;
  #byDevice: StatementSync;
  #list: StatementSync;
  #count: StatementSync;
  #delete: StatementSync;
  #expire: StatementSync;
  #roles: StatementSync;
  #setRoles: StatementSync;

  constructor(db: DatabaseSync, options: { clock: () => number }) {
    this.#db = db;
    this.#clock = options.clock;
    this.#upsert = db.prepare(UPSERT);
    const table = "device_pairing_requests";
    this.#get = db.prepare(`SELECT * FROM ${table} WHERE request_id = ?`);
    this.#byDevice = db.prepare(`SELECT * FROM ${table} WHERE device_id = ?`);
    this.#list = db.prepare(
      `SELECT * FROM ${table} ORDER BY created_at, request_id`,
    );
    this.#count = db.prepare(`SELECT count(*) AS n FROM ${table}`);
    this.#delete = db.prepare(`DELETE FROM ${table} WHERE request_id = ?`);
    this.#expire = db.prepare(`DELETE FROM ${table} WHERE created_at <= ?`);
    this.#roles = db.prepare(
      "SELECT role, roles FROM devices WHERE device_id = ?",
    );
    this.#setRoles = db.prepare(
      "UPDATE devices SET roles = ? WHERE device_id = ?",
    );
  }

  /** Creates the device's pending request or widens the existing one. */
  request(input: DevicePairingInput): DevicePairingRequest {
    const params = {
      requestId: crypto.randomUUID(),
      deviceId: checkText(input.deviceId, { what: "device id", max: 64 }),
      publicKey: checkText(input.publicKey, { what: "public key", max: 256 }),
      displayName: checkOptionalText(input.displayName ?? undefined, {
        what: "display name",
        max: 256,
      }),
      platform: checkOptionalText(input.platform ?? undefined, {
        what: "platform",
        max: 64,
      }),
      clientId: input.clientId,
      clientMode: input.clientMode,
      role: checkText(input.role, { what: "role", max: 32 }),
      roles: list([input.role], "role"),
      scopes: list(input.scopes, "scope"),
      remoteIp: input.remoteIp,
      silent: input.silent ? 1 : 0,
      isRepair: input.isRepair ? 1 : 0,
      now: this.#clock(),
    };
    const row = writeStatement(this.#db, () => this.#upsert.get(params));
    if (row === undefined) throw new TypeError("upsert returned no row");
    return toRequest(row);
  }

  /** The request with this id, or `undefined`. */
  get(requestId: string): DevicePairingRequest | undefined {
    const row = this.#get.get(requestId);
    return row === undefined ? undefined : toRequest(row);
  }

  /** The pending request of a device, or `undefined`. */
  forDevice(deviceId: string): DevicePairingRequest | undefined {
    const row = this.#byDevice.get(deviceId);
    return row === undefined ? undefined : toRequest(row);
  }

  /** Pending requests, oldest first. */
  list(): DevicePairingRequest[] {
    return this.#list.all().map(toRequest);
  }

  /** How many requests are pending. */
  count(): number {
    return num(this.#count.get() ?? { n: 0 }, "n");
  }

  /** Removes a request; false when it was not pending. */
  delete(requestId: string): boolean {
    return writeStatement(this.#db, () => this.#delete.run(requestId))
      .changes > 0;
  }

  /** Removes requests created at or before `cutoffMs`; returns how many. */
  expire(cutoffMs: number): number {
    return Number(
      writeStatement(this.#db, () => this.#expire.run(cutoffMs)).changes,
    );
  }

  /** Roles a stored device holds (its primary role included); `[]` when unknown. */
  rolesOf(deviceId: string): string[] {
    const row = this.#roles.get(deviceId);
    if (row === undefined) return [];
    const roles = parseStringArray(text(row, "roles"));
    return [...new Set([text(row, "role"), ...roles])];
  }

  /** Replaces the roles of a stored device. */
  setRoles(deviceId: string, roles: readonly string[]): void {
    const value = list(roles, "role");
    writeStatement(this.#db, () => this.#setRoles.run(value, deviceId));
  }
}
