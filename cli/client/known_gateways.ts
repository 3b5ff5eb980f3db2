/**
 * Gateways whose certificate the user trusted with `--trust`:
 * `<state dir>/known_gateways.json` (0600) maps `host:port` to the pinned
 * certificate, its SHA-256 fingerprint and the name it is verified under.
 *
 * @module
 */
import { join } from "node:path";
import { type Env, resolveStateDir } from "../../gateway/config/paths.ts";
import {
  readPrivateFile,
  writePrivateFile,
} from "../../gateway/credentials/private_file.ts";

/** One pinned gateway. */
export interface KnownGateway {
  fingerprint: string;
  /** The pinned leaf certificate (PEM): the only trust anchor for this gateway. */
  certificate: string;
  /** The certificate name TLS verifies (a SAN of the pinned certificate). */
  serverName: string;
  trustedAt: string;
}

const FILE = "known_gateways.json";
const MAX_BYTES = 1024 * 1024;

/** The path of the pin file. */
export function knownGatewaysPath(env: Env): string {
  return join(resolveStateDir(env), FILE);
}

/** The pins of `env`'s state dir (an unreadable or malformed file counts as empty). */
export async function readKnownGateways(
  env: Env,
): Promise<Record<string, KnownGateway>> {
  const text = await readPrivateFile(knownGatewaysPath(env), {
    maxBytes: MAX_BYTES,
    what: "known gateways file",
  });
  if (text === null) return {};
  try {
    const parsed = JSON.parse(text) as { gateways?: unknown };
    const out: Record<string, KnownGateway> = {};
    if (typeof parsed.gateways !== "object" || parsed.gateways === null) {
      return out;
    }
    for (const [id, raw] of Object.entries(parsed.gateways)) {
      const g = raw as Partial<KnownGateway>;
      if (
        typeof g.fingerprint === "string" &&
        typeof g.certificate === "string" &&
        typeof g.serverName === "string"
      ) {
        out[id] = {
          fingerprint: g.fingerprint,
          certificate: g.certificate,
          serverName: g.serverName,
          trustedAt: typeof g.trustedAt === "string" ? g.trustedAt : "",
        };
      }
    }
    return out;
  } catch {
    return {};
  }
}

/** Pins `gateway` for `hostPort`, keeping the other pins. */
export async function rememberGateway(
  env: Env,
  hostPort: string,
  gateway: KnownGateway,
): Promise<void> {
  const gateways = await readKnownGateways(env);
  gateways[hostPort] = gateway;
  await writePrivateFile(
    knownGatewaysPath(env),
    `${JSON.stringify({ version: 1, gateways }, null, 2)}\n`,
  );
}
