/**
 * The `carapace:plugin/host@1.0.0` imports as the sandbox calls them.
 *
 * Names and value shapes follow jco's bindings for the WIT (kebab-case →
 * camelCase, `option<T>` → `T | undefined`, `list<u8>` → `Uint8Array`,
 * `u64` → `bigint`, `tuple<a, b>` → `[a, b]`). Functions that reach the
 * network or the credential store are asynchronous: the sandbox runs them in
 * the gateway process and waits for the answer across the worker/process
 * boundary. `result<T, E>` is the tagged union jco uses for results
 * (`{tag: "ok", val}` / `{tag: "err", val}`); the sandbox turns it into the
 * return-or-throw form the generated glue expects.
 *
 * Every policy and limit (sandbox capabilities, permissions, SSRF, rate
 * limits, size caps) lives behind this interface: the sandbox forwards calls
 * verbatim and never checks anything itself.
 *
 * @module
 */

/** An HTTP method a plugin may use (plugins.md §1 `http-request`). */
export type HttpMethod =
  | "GET"
  | "POST"
  | "PUT"
  | "DELETE"
  | "PATCH"
  | "HEAD"
  | "OPTIONS";

/** WIT `http-request`: `method` is checked against {@linkcode HttpMethod}. */
export interface HttpRequest {
  method: string;
  /** At most 2048 characters, `https:` only. */
  url: string;
  /** A `Host` header is ignored: the host sets it from the URL. */
  headers: Array<[string, string]>;
  /** At most 10 MiB. */
  body?: Uint8Array | undefined;
}

/** WIT `http-response`. */
export interface HttpResponse {
  status: number;
  headers: Array<[string, string]>;
  /** At most 10 MiB; absent for an empty body. */
  body?: Uint8Array | undefined;
}

/** WIT `result<T, string>` in jco's tagged form. */
export type HostResult<T> =
  | { tag: "ok"; val: T }
  | { tag: "err"; val: string };

/** WIT `media-fetch-result`. */
export interface MediaFetchResult {
  ok: boolean;
  /** A temporary file under the state dir, valid for one hour. */
  localPath?: string | undefined;
  mimeType?: string | undefined;
  size?: bigint | undefined;
  error?: string | undefined;
}

/**
 * The host functions one plugin instance may call. Build with
 * `createHostFunctions(pluginId, deps)` from `plugins/host/host_functions.ts`.
 */
export interface HostFunctions {
  /** Log lines are capped at 4 KiB and 1000 per minute per plugin. */
  logDebug(message: string): void;
  logInfo(message: string): void;
  logWarn(message: string): void;
  logError(message: string): void;
  /** Reads `plugins.<plugin-id>.<key>` (exact key); always allowed. */
  configGet(key: string): string | undefined;
  /** Reads `<plugin-id>:<key>`; `undefined` when unset or not allowed. */
  credentialGet(key: string): Promise<string | undefined>;
  /** Stores `<plugin-id>:<key>`; `false` on any refusal or failure. */
  credentialSet(key: string, value: string): Promise<boolean>;
  /** An outbound HTTPS request through the sandbox policy and SSRF guard. */
  httpFetch(request: HttpRequest): Promise<HostResult<HttpResponse>>;
  /** Downloads a media URL to a temporary file through the SSRF guard. */
  mediaFetch(
    url: string,
    maxBytes?: bigint,
    timeoutMs?: number,
  ): Promise<MediaFetchResult>;
}

/** The names of {@linkcode HostFunctions}, e.g. for proxying across a boundary. */
export const HOST_FUNCTION_NAMES: readonly (keyof HostFunctions)[] = [
  "logDebug",
  "logInfo",
  "logWarn",
  "logError",
  "configGet",
  "credentialGet",
  "credentialSet",
  "httpFetch",
  "mediaFetch",
];

/**
 * A secret store as plugins see it, with keys already scoped and sanitised
 * (`<plugin-id>:<key>`). The gateway passes its credential store here.
 */
export interface CredentialStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix` (enforces the 100-keys-per-plugin cap). */
  list(prefix: string): Promise<string[]>;
}
