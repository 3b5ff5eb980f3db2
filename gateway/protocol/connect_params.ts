/**
 * Validates `connect` params (protocol.md §3) into `ConnectParams`, with the
 * operator scope default applied BEFORE any authentication step sees them.
 *
 * @module
 */
import { ConnectRefused } from "./errors.ts";
import { ADMIN_SCOPE } from "./scopes.ts";
import {
  type ClientInfo,
  type ConnectParams,
  type DeviceProof,
  PROTOCOL_VERSION,
  type Role,
} from "./types.ts";

/** Allowed `client.id` values. */
export const CLIENT_IDS: readonly string[] = [
  "webchat-ui",
  "carapace-control-ui",
  "webchat",
  "cli",
  "gateway-client",
  "carapace-macos",
  "carapace-ios",
  "carapace-android",
  "node-host",
  "test",
  "fingerprint",
  "carapace-probe",
];

/** Allowed `client.mode` values. */
export const CLIENT_MODES: readonly string[] = [
  "webchat",
  "cli",
  "ui",
  "backend",
  "node",
  "probe",
  "test",
];

const MAX_TEXT = 512;
const MAX_LIST = 256;
const OPTIONAL_CLIENT_FIELDS = [
  "displayName",
  "deviceFamily",
  "modelIdentifier",
  "instanceId",
] as const;

/**
 * Checks raw `connect` params.
 *
 * @throws {ConnectRefused} `protocol mismatch` (close 1002), `invalid role`
 * or `invalid connect params` (close 1008)
 * @example
 * ```ts
 * const params = connectParams({ minProtocol: 3, maxProtocol: 3, client: {...} });
 * params.scopes; // ["operator.admin"]
 * ```
 */
export function connectParams(raw: unknown): ConnectParams {
  const p = record(raw);
  const min = p.minProtocol;
  const max = p.maxProtocol;
  if (!u32(min) || !u32(max)) throw invalid();
  if (min > PROTOCOL_VERSION || max < PROTOCOL_VERSION) {
    throw new ConnectRefused("invalid_request", "protocol mismatch", {
      details: { expectedProtocol: PROTOCOL_VERSION },
      closeCode: 1002,
    });
  }
  const client = clientInfo(p.client);
  const role = p.role === undefined ? "operator" : p.role;
  if (role !== "operator" && role !== "node") {
    throw new ConnectRefused("invalid_request", "invalid role");
  }
  const scopes = p.scopes === undefined ? [] : list(p.scopes);
  const params: ConnectParams = {
    minProtocol: min,
    maxProtocol: max,
    client,
    role: role as Role,
    scopes: scopes.length === 0 && role === "operator" ? [ADMIN_SCOPE] : scopes,
  };
  if (p.caps !== undefined) params.caps = list(p.caps);
  if (p.commands !== undefined) params.commands = list(p.commands);
  if (p.permissions !== undefined) params.permissions = flags(p.permissions);
  if (p.pathEnv !== undefined) params.pathEnv = text(p.pathEnv, 64 * 1024);
  if (p.auth !== undefined) params.auth = auth(p.auth);
  if (p.device !== undefined) params.device = device(p.device);
  return params;
}

function clientInfo(raw: unknown): ClientInfo {
  const c = record(raw);
  const id = text(c.id);
  const mode = text(c.mode);
  const version = text(c.version);
  const platform = text(c.platform);
  if (
    !CLIENT_IDS.includes(id) || !CLIENT_MODES.includes(mode) ||
    version.trim() === "" || platform.trim() === ""
  ) {
    throw invalid();
  }
  const client: ClientInfo = { id, version, platform, mode };
  for (const key of OPTIONAL_CLIENT_FIELDS) {
    if (c[key] !== undefined) client[key] = text(c[key]);
  }
  return client;
}

function auth(raw: unknown): { token?: string; password?: string } {
  const a = record(raw);
  const out: { token?: string; password?: string } = {};
  for (const key of Object.keys(a)) {
    if (key !== "token" && key !== "password") throw invalid();
    if (a[key] !== undefined && a[key] !== null) out[key] = text(a[key], 4096);
  }
  return out;
}

function device(raw: unknown): DeviceProof {
  const d = record(raw);
  if (typeof d.signedAt !== "number" || !Number.isSafeInteger(d.signedAt)) {
    throw invalid();
  }
  const proof: DeviceProof = {
    id: text(d.id),
    publicKey: text(d.publicKey),
    signature: text(d.signature),
    signedAt: d.signedAt,
  };
  if (d.nonce !== undefined && d.nonce !== null) proof.nonce = text(d.nonce);
  return proof;
}

function record(raw: unknown): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw invalid();
  }
  return raw as Record<string, unknown>;
}

function text(raw: unknown, max = MAX_TEXT): string {
  if (typeof raw !== "string" || raw.length > max) throw invalid();
  return raw;
}

function list(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length > MAX_LIST) throw invalid();
  return raw.map((item) => text(item));
}

function flags(raw: unknown): Record<string, boolean> {
  const r = record(raw);
  const out: Record<string, boolean> = {};
  const keys = Object.keys(r);
  if (keys.length > MAX_LIST) throw invalid();
  for (const key of keys) {
    if (typeof r[key] !== "boolean") throw invalid();
    out[key] = r[key];
  }
  return out;
}

function u32(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 &&
    value <= 0xffff_ffff;
}

function invalid(): ConnectRefused {
  return new ConnectRefused("invalid_request", "invalid connect params");
}
