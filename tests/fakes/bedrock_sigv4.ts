/**
 * An independent AWS Signature Version 4 check, as Bedrock runs it on every
 * request: parse `Authorization`, rebuild the canonical request from what
 * arrived on the wire (double-encoded path, sorted query, signed headers,
 * SHA-256 of the raw body), derive the signing key from the secret and
 * compare signatures.
 *
 * @module
 */

/** The keys and scope a fake AWS service accepts. */
export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  /** When set, `x-amz-security-token` must carry it (and be signed). */
  sessionToken?: string;
}

/** A request as the fake service received it. */
export interface SignedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

async function sha256(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return hex(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
}

async function hmac(
  key: Uint8Array<ArrayBuffer>,
  text: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey(
    "raw",
    key as BufferSource,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(
    await crypto.subtle.sign("HMAC", k, encoder.encode(text)),
  );
}

/** RFC 3986 encoding as SigV4 wants it (only unreserved characters kept). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalQuery(url: URL): string {
  return [...url.searchParams].map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a, x], [b, y]) => a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : 1)
    .map(([k, v]) => `${k}=${v}`).join("&");
}

/**
 * Checks a request's SigV4 signature; resolves to `undefined` when it is
 * valid, else to the reason it is not.
 */
export async function verifySigV4(
  request: SignedRequest,
  keys: AwsKeys,
  now = Date.now(),
): Promise<string | undefined> {
  const auth = request.headers.get("authorization") ?? "";
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/
      .exec(auth);
  if (!match) return "no SigV4 Authorization header";
  const [, keyId, day, region, service, signedList, signature] = match;
  if (keyId !== keys.accessKeyId) return "unknown access key";
  if (region !== keys.region || service !== keys.service) return "wrong scope";
  const amzDate = request.headers.get("x-amz-date") ?? "";
  const stamp = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate);
  if (!stamp || amzDate.slice(0, 8) !== day) return "bad x-amz-date";
  const [, y, mo, d, h, mi, s] = stamp.map(Number);
  const signedAt = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  if (Math.abs(now - signedAt) > 5 * 60_000) return "signature expired";
  const signed = signedList!.split(";");
  for (const required of ["host", "x-amz-date"]) {
    if (!signed.includes(required)) return `"${required}" is not signed`;
  }
  if (keys.sessionToken !== undefined) {
    if (
      request.headers.get("x-amz-security-token") !== keys.sessionToken ||
      !signed.includes("x-amz-security-token")
    ) return "missing or unsigned session token";
  }
  const payloadHash = await sha256(request.body);
  const declared = request.headers.get("x-amz-content-sha256");
  if (declared !== null && declared !== payloadHash) return "payload hash";
  const path = request.url.pathname.split("/").map((segment) =>
    uriEncode(segment)
  ).join("/");
  const headerLines = signed.map((name) =>
    `${name}:${(request.headers.get(name) ?? "").trim().replace(/\s+/g, " ")}\n`
  ).join("");
  const canonical = [
    request.method,
    path,
    canonicalQuery(request.url),
    headerLines,
    signedList,
    payloadHash,
  ].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${await sha256(
    canonical,
  )}`;
  let key: Uint8Array<ArrayBuffer> = encoder.encode(
    `AWS4${keys.secretAccessKey}`,
  );
  for (const part of [day!, region!, service!, "aws4_request"]) {
    key = await hmac(key, part);
  }
  const expected = hex((await hmac(key, toSign)).buffer as ArrayBuffer);
  return expected === signature ? undefined : "signature mismatch";
}
