import { assert, assertEquals } from "../../_helpers.ts";
import {
  connectedClient,
  startWsGateway,
  type TestClient,
} from "./_helpers.ts";

const TOTAL_FRAMES = 10_000;
const PER_CONNECTION = 50;
const WORKERS = 4;

function randomText(rng: () => number, length: number): string {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(rng() * 256);
  return new TextDecoder().decode(bytes);
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Frames the gateway answers with an error and keeps the socket open. */
function survivable(rng: () => number, i: number): string {
  const id = `f${i}`;
  switch (i % 6) {
    case 0:
      return JSON.stringify({ type: "req", id, method: 12345 });
    case 1:
      return JSON.stringify({ type: "nope", id, method: "health" });
    case 2:
      return JSON.stringify({ type: "req", id, method: "no.such.method" });
    case 3:
      return `{"type":"req","id":"${id}","method":"health","params":${
        "[".repeat(40 + (i % 200))
      }1${"]".repeat(40 + (i % 200))}}`;
    case 4:
      return JSON.stringify({
        type: "req",
        id,
        method: "health",
        params: { junk: randomText(rng, 64) },
      });
    default:
      return JSON.stringify({ type: "req", id, method: "connect", params: 7 });
  }
}

/** Frames that make the gateway close the socket with 1008. */
function fatal(rng: () => number, i: number): string {
  switch (i % 5) {
    case 0:
      return randomText(rng, 1 + Math.floor(rng() * 400));
    case 1:
      return JSON.stringify({ type: "req", id: "x", method: "health" }).slice(
        0,
        1 + Math.floor(rng() * 30),
      );
    case 2:
      return JSON.stringify({
        type: "req",
        id: "i".repeat(300_000),
        method: "health",
      });
    case 3:
      return "[".repeat(100_000);
    default:
      return JSON.stringify({ id: 17, method: [] });
  }
}

async function batch(url: string, rng: () => number, base: number) {
  const client: TestClient = await connectedClient(url);
  for (let i = 0; i < PER_CONNECTION - 1; i++) {
    client.sendRaw(survivable(rng, base + i));
  }
  client.sendRaw(fatal(rng, base));
  const closed = await client.closed;
  assertEquals(closed.code, 1008);
  const replies = client.frames.filter((f) => f.type === "res").length;
  assertEquals(replies, PER_CONNECTION - 1);
}

Deno.test("wsRoute() survives 10 000 malformed frames over many connections and keeps serving health with bounded RSS", async () => {
  await using gw = await startWsGateway({
    limits: { messageRate: 1e9, messageBurst: 1e9 },
    methods: () => [{
      name: "health",
      scope: "operator.read",
      handler: () => ({ status: "healthy" }),
    }],
  });
  await using probe = await connectedClient(gw.url);
  const rssBefore = Deno.memoryUsage().rss;
  const batches = TOTAL_FRAMES / PER_CONNECTION;
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      const rng = seeded(w + 1);
      while (next < batches) {
        const index = next++;
        await batch(gw.url, rng, index * PER_CONNECTION);
        if (index % 20 === 0) {
          assertEquals((await probe.request("health")).ok, true);
        }
      }
    }),
  );
  assertEquals((await probe.request("health")).payload, { status: "healthy" });
  const growthMib = (Deno.memoryUsage().rss - rssBefore) / 2 ** 20;
  assert(growthMib < 96, `RSS grew by ${growthMib.toFixed(1)} MiB`);
  assertEquals(gw.hub.stats().connectionCount, 1);
});
