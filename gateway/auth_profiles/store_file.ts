/**
 * The on-disk form of `auth_profiles.json` and its strict parser: one salt
 * per file (the slow key derivation runs once) and one sealed envelope per
 * profile.
 *
 * @module
 */
import { isEnvelope } from "../config/secrets/envelope.ts";
import {
  AUTH_PROFILE_PROVIDERS,
  type AuthProfileProvider,
  type AuthProfileSummary,
  isProfileId,
} from "./types.ts";

/** The largest store file read, in bytes. */
export const MAX_STORE_BYTES = 1024 * 1024;
/** The most profiles one store holds. */
export const MAX_PROFILES = 100;

/** One profile as stored: its summary and its sealed secrets. */
export interface StoredProfile extends Omit<AuthProfileSummary, "id"> {
  /** `enc:v2` envelope of the JSON of {@linkcode AuthProfileSecrets}. */
  sealed: string;
}

/** The whole file. */
export interface StoreFile {
  version: 1;
  /** Base64 salt shared by every envelope in the file. */
  salt: string;
  profiles: Record<string, StoredProfile>;
}

/** An empty file with a fresh salt. */
export function emptyStoreFile(): StoreFile {
  return {
    version: 1,
    salt: crypto.getRandomValues(new Uint8Array(16)).toBase64(),
    profiles: {},
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) &&
    value >= 0;
}

function parseProfile(value: unknown): StoredProfile | string {
  if (!isRecord(value)) return "a profile is not an object";
  const { provider, kind, createdAt, updatedAt, expiresAt, sealed } = value;
  if (!AUTH_PROFILE_PROVIDERS.includes(provider as AuthProfileProvider)) {
    return `unknown provider ${JSON.stringify(provider)}`;
  }
  if (kind !== "oauth" && kind !== "setup_token") {
    return `unknown kind ${JSON.stringify(kind)}`;
  }
  if (!isTime(createdAt) || !isTime(updatedAt)) return "bad timestamps";
  if (expiresAt !== undefined && !isTime(expiresAt)) return "bad expiresAt";
  if (typeof sealed !== "string" || !isEnvelope(sealed)) {
    return "tokens are not sealed (enc:v2)";
  }
  const profile: StoredProfile = {
    provider: provider as AuthProfileProvider,
    kind,
    createdAt,
    updatedAt,
    sealed,
  };
  if (expiresAt !== undefined) profile.expiresAt = expiresAt;
  return profile;
}

/**
 * The store file in `text`, or why it is not one.
 *
 * @returns the parsed file, or a string saying what is wrong
 */
export function parseStoreFile(text: string): StoreFile | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "it is not valid JSON";
  }
  if (!isRecord(value) || value.version !== 1) {
    return "expected an object with version 1";
  }
  if (typeof value.salt !== "string" || value.salt.length < 22) {
    return "its salt is missing";
  }
  if (!isRecord(value.profiles)) return "its profiles are not an object";
  const entries = Object.entries(value.profiles);
  if (entries.length > MAX_PROFILES) {
    return `it holds more than ${MAX_PROFILES} profiles`;
  }
  const profiles: Record<string, StoredProfile> = {};
  for (const [id, raw] of entries) {
    if (!isProfileId(id)) return `profile id ${JSON.stringify(id)} is invalid`;
    const parsed = parseProfile(raw);
    if (typeof parsed === "string") return `profile "${id}": ${parsed}`;
    profiles[id] = parsed;
  }
  return { version: 1, salt: value.salt, profiles };
}
