/**
 * Helpers private to the gateway/server tests.
 *
 * @module
 */
import type { Hono } from "hono";
import { createLogger, type Logger } from "../../../gateway/logs/logger.ts";
import {
  createGatewayApp,
  type GatewayAppOptions,
} from "../../../gateway/server/app.ts";
import type { GatewayEnv } from "../../../gateway/server/client_address.ts";
import {
  createGatewayMetrics,
  type GatewayMetrics,
} from "../../../gateway/server/gateway_metrics.ts";

/** An app with a memory-only logger and its own metrics. */
export interface TestApp {
  app: Hono<GatewayEnv>;
  logger: Logger;
  metrics: GatewayMetrics;
}

/** Builds a gateway app for in-process requests; options override the defaults. */
export function testApp(overrides: Partial<GatewayAppOptions> = {}): TestApp {
  const logger = overrides.logger ?? createLogger({ level: "trace" });
  const metrics = overrides.metrics ??
    createGatewayMetrics({ version: "9.9.9", commit: "abc1234" });
  const app = createGatewayApp({
    version: "9.9.9",
    commit: "abc1234",
    ...overrides,
    logger,
    metrics,
  });
  return { app, logger, metrics };
}

/** A fake peer address for in-process requests (as Deno.serve would pass it). */
export function peer(hostname: string): { remoteAddr: Deno.NetAddr } {
  return { remoteAddr: { transport: "tcp", hostname, port: 40000 } };
}

/** Sends raw bytes on a fresh TCP connection and returns what came back (until close or timeout). */
export async function rawExchange(
  port: number,
  payload: Uint8Array | string,
  options: { timeoutMs?: number; closeEarly?: boolean } = {},
): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const bytes = typeof payload === "string"
    ? new TextEncoder().encode(payload)
    : payload;
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch {
      // already closed
    }
  }, options.timeoutMs ?? 2000);
  const chunks: Uint8Array[] = [];
  try {
    await writeAll(conn, bytes);
    if (options.closeEarly) return "";
    const buffer = new Uint8Array(16 * 1024);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
      if (
        chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0) > 64 * 1024
      ) break;
    }
  } catch {
    // reset by peer or closed by the timer: both are valid outcomes here
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // already closed
    }
  }
  return new TextDecoder().decode(concat(chunks));
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    offset += await conn.write(bytes.subarray(offset));
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(
    chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0),
  );
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
