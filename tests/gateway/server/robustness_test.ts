/**
 * 1 000 hostile requests over raw TCP; afterwards the gateway must still
 * answer /health, must never have answered 500, and must have logged no
 * internal error. The generator is seeded so a failure can be replayed.
 */
import { assert, assertEquals } from "../../_helpers.ts";
import { serveGateway } from "../../../gateway/server/serve.ts";
import { rawExchange, testApp } from "./_helpers.ts";

const TOTAL = 1000;
const CONCURRENCY = 40;
const SEED = Number(Deno.env.get("CARA_FUZZ_SEED") ?? 20250101);
const TEN_MB = 10 * 1024 * 1024;

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Attack {
  kind: string;
  payload: Uint8Array | string;
  closeEarly?: boolean;
  timeoutMs?: number;
}

function attacks(random: () => number): Attack[] {
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)]!;
  const bytes = (length: number) =>
    Uint8Array.from({ length }, () => Math.floor(random() * 256));
  const paths = [
    "/health",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/health/..%2f..%2f..%2fetc%2fshadow",
    "/metrics?x=" + "%".repeat(50),
    "//" + "a/".repeat(2000),
    "/%00%ff%fe",
    "/hooks/..;/tools",
    "*",
    "http://evil.example/health",
  ];
  const kinds: (() => Attack)[] = [
    () => ({
      kind: "garbage",
      payload: bytes(1 + Math.floor(random() * 4000)),
    }),
    () => ({
      kind: "garbage-line",
      payload: `${String.fromCharCode(...bytes(40))}\r\n\r\n`,
    }),
    () => ({
      kind: "huge-header",
      payload: `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${
        "a".repeat(64 * 1024 + Math.floor(random() * 64 * 1024))
      }\r\n\r\n`,
    }),
    () => ({
      kind: "many-headers",
      payload: `GET /health HTTP/1.1\r\nHost: x\r\n${
        "X-H: v\r\n".repeat(500)
      }\r\n`,
    }),
    () => ({
      kind: "bad-method",
      payload: `${
        pick(["G@T", "GET\x00", "X".repeat(5000), "BREW", "PRI", "DELETE /"])
      } ${pick(paths)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    }),
    () => ({
      kind: "traversal",
      payload: `GET ${
        pick(paths)
      } HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    }),
    () => ({
      kind: "truncated",
      payload: pick([
        "GET /hea",
        "GET /health HTTP/1.1\r\nHo",
        "POST /echo HTTP/1.1\r\nContent-Length: 50\r\n\r\nabc",
      ]),
      closeEarly: true,
    }),
    () => ({
      kind: "bad-chunked",
      payload: `POST ${
        pick(["/echo", "/health"])
      } HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${
        pick([
          "ZZZ\r\nabc\r\n0\r\n\r\n",
          "5\r\nabc\r\n",
          "ffffffffffffffffffff\r\n",
          "-1\r\n\r\n",
          "3\r\nabcdef\r\n0\r\n\r\n",
        ])
      }`,
      timeoutMs: 300,
    }),
    () => ({
      kind: "smuggling",
      payload:
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n",
    }),
    () => ({
      kind: "declared-10mb",
      payload:
        `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${TEN_MB}\r\n\r\n${
          "x".repeat(1000)
        }`,
    }),
    () => ({
      kind: "slowloris",
      payload: `GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ${
        "a".repeat(Math.floor(random() * 100))
      }`,
      timeoutMs: 100 + Math.floor(random() * 200),
    }),
    () => ({
      kind: "http2-preface",
      payload: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + "\x00".repeat(30),
    }),
    () => ({
      kind: "bad-version",
      payload: `GET /health HTTP/${
        pick(["9.9", "1.x", "0.9", ""])
      }\r\nHost: x\r\n\r\n`,
    }),
    () => ({
      kind: "header-injection",
      payload:
        "GET /health HTTP/1.1\r\nHost: x\r\nX-A: b\rX-C: d\r\n\x00: y\r\n\r\n",
    }),
  ];
  const list: Attack[] = [];
  // A few real 10 MB bodies, with and without Content-Length.
  for (let index = 0; index < 4; index++) {
    const body = new Uint8Array(TEN_MB);
    const head = index % 2 === 0
      ? `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${TEN_MB}\r\n\r\n`
      : `POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${
        TEN_MB.toString(16)
      }\r\n`;
    const headBytes = new TextEncoder().encode(head);
    const payload = new Uint8Array(headBytes.byteLength + body.byteLength);
    payload.set(headBytes);
    payload.set(body, headBytes.byteLength);
    list.push({ kind: "10mb-body", payload, timeoutMs: 3000 });
  }
  while (list.length < TOTAL) list.push(pick(kinds)());
  return list;
}

Deno.test({
  name:
    "serveGateway() survives 1 000 hostile raw-TCP requests and still answers /health",
  fn: async () => {
    const { app, logger } = testApp({
      routes: (app) =>
        app.post(
          "/echo",
          async (c) =>
            c.json({ bytes: (await c.req.arrayBuffer()).byteLength }),
        ),
    });
    const server = await serveGateway(app, {
      hostname: "127.0.0.1",
      port: 0,
      logger,
      drainTimeoutMs: 1000,
    });
    let crashed = false;
    server.finished.then(() => (crashed = true));
    const started = performance.now();
    const replies: { kind: string; status: string }[] = [];
    try {
      const queue = attacks(prng(SEED));
      assertEquals(queue.length, TOTAL);
      const worker = async () => {
        for (
          let attack = queue.shift();
          attack !== undefined;
          attack = queue.shift()
        ) {
          const reply = await rawExchange(server.port, attack.payload, {
            timeoutMs: attack.timeoutMs ?? 500,
            ...(attack.closeEarly ? { closeEarly: true } : {}),
          });
          replies.push({
            kind: attack.kind,
            status: reply.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? "none",
          });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      assertEquals(replies.length, TOTAL);
      assertEquals(crashed, false);

      const health = await fetch(`${server.url}/health`);
      assertEquals(health.status, 200);
      assertEquals((await health.json()).status, "ok");

      const statuses = new Set(replies.map((reply) => reply.status));
      assert(!statuses.has("500"), `seed ${SEED}: a hostile request got 500`);
      for (const expected of ["200", "400", "404", "413"]) {
        assert(statuses.has(expected), `no ${expected} seen`);
      }
      const internal = logger.tail({ minLevel: "error" }).entries;
      assertEquals(internal, [], `seed ${SEED}: internal errors were logged`);
      assert(
        performance.now() - started < 20_000,
        "the hostile run took longer than 20 s",
      );
    } finally {
      await server.shutdown();
    }
  },
});
