/**
 * WS handshake benchmark: fresh connection → `connect.challenge` → signed
 * device `connect` (Ed25519, v2 payload) → `hello-ok` → `health` → close,
 * beside a bare Deno WebSocket echo doing open → two round trips → close.
 * Both run in this process, interleaved in batches so noise hits both.
 *
 * @module
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import {
  decodeBase64Loose,
  encodeBase64Url,
} from "../gateway/protocol/base64url.ts";
import {
  deviceIdOf,
  signedPayload,
} from "../gateway/protocol/device_signature.ts";
import {
  BENCH_TOKEN,
  BenchSocket,
  connectFrame,
  nextNonEvent,
  type Percentiles,
  percentiles,
  startBenchGateway,
  startEchoServer,
} from "./ws_support.ts";

/** One JSON line of this benchmark. */
export interface WsHandshakeReport {
  bench: "ws_handshake";
  iterations: number;
  cara: Percentiles | null;
  bare_ws_echo: Percentiles | null;
  /** cara p50 / echo p50. */
  ratio_p50: number | null;
  targets: { p50_us: 1000; p99_us: 3000 };
  error?: string;
}

const BATCH = 50;

/** Runs `iterations` handshakes on each side (default 1 000). */
export async function benchWsHandshake(
  options: { iterations?: number } = {},
): Promise<WsHandshakeReport> {
  const iterations = Math.max(BATCH, options.iterations ?? 1000);
  const report: WsHandshakeReport = {
    bench: "ws_handshake",
    iterations,
    cara: null,
    bare_ws_echo: null,
    ratio_p50: null,
    targets: { p50_us: 1000, p99_us: 3000 },
  };
  try {
    await using started = await startBenchGateway();
    const gateway = { url: started.wsUrl };
    await using echo = startEchoServer();
    const keys = await deviceKeys();
    const cara: number[] = [];
    const base: number[] = [];
    for (let warm = 0; warm < 20; warm++) {
      await caraOnce(gateway.url, keys);
      await echoOnce(echo.url);
    }
    while (cara.length < iterations) {
      for (let i = 0; i < BATCH; i++) {
        cara.push(await caraOnce(gateway.url, keys));
      }
      for (let i = 0; i < BATCH; i++) base.push(await echoOnce(echo.url));
    }
    report.cara = percentiles(cara);
    report.bare_ws_echo = percentiles(base);
    report.ratio_p50 = Math.round(
      (report.cara.p50_us / Math.max(1, report.bare_ws_echo.p50_us)) * 100,
    ) / 100;
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  }
  return report;
}

/** A device identity as a client keeps it: key pair, public key and id computed once. */
interface DeviceKeys {
  privateKey: KeyObject;
  publicKey: string;
  deviceId: string;
}

// The client signs with node:crypto's synchronous Ed25519, the fastest signer
// Deno has, so the figure is the gateway's and not WebCrypto's on the client.
function deviceKeys(): Promise<DeviceKeys> {
  const pair = generateKeyPairSync("ed25519");
  const publicKey = pair.publicKey.export({ format: "jwk" }).x!;
  return deviceIdOf(decodeBase64Loose(publicKey)!).then((deviceId) => ({
    privateKey: pair.privateKey,
    publicKey,
    deviceId,
  }));
}

async function caraOnce(url: string, keys: DeviceKeys): Promise<number> {
  const start = performance.now();
  const socket = new BenchSocket(url);
  const challenge = JSON.parse(await socket.next());
  const signedAt = Date.now();
  const message = signedPayload({
    deviceId: keys.deviceId,
    clientId: "test",
    clientMode: "test",
    role: "operator",
    scopes: ["operator.read"],
    signedAtMs: signedAt,
    token: BENCH_TOKEN,
    nonce: challenge.payload.nonce,
  });
  const signature = sign(
    null,
    new TextEncoder().encode(message),
    keys.privateKey,
  );

  const device = {
    id: keys.deviceId,
    publicKey: keys.publicKey,
    signature: encodeBase64Url(signature),
    signedAt,
    nonce: challenge.payload.nonce,
  };
  socket.socket.send(connectFrame({ scopes: ["operator.read"], device }));
  expectOk(await nextNonEvent(socket));
  socket.socket.send('{"type":"req","id":"h","method":"health"}');
  expectOk(await nextNonEvent(socket));
  await socket.close();
  return performance.now() - start;
}

async function echoOnce(url: string): Promise<number> {
  const start = performance.now();
  const socket = new BenchSocket(url);
  await socket.opened;
  socket.socket.send('{"type":"req","id":"c","method":"connect"}');
  await socket.next();
  socket.socket.send('{"type":"req","id":"h","method":"health"}');
  await socket.next();
  await socket.close();
  return performance.now() - start;
}

function expectOk(text: string): void {
  const frame = JSON.parse(text);
  if (frame.ok !== true) {
    throw new Error(`WS handshake bench failed: ${text.slice(0, 300)}`);
  }
}

if (import.meta.main) {
  const report = await benchWsHandshake();
  Deno.stdout.writeSync(
    new TextEncoder().encode(JSON.stringify(report) + "\n"),
  );
}
