import { CaraError } from "../../../gateway/errors.ts";
import {
  AUDIT_DATA_MAX_BYTES,
  AUDIT_TEXT_MAX_BYTES,
  TRUNCATION_MARKER,
} from "../../../gateway/state/mod.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import { T0, testDatabase, thrown } from "./_helpers.ts";

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

function storedBytes(t: ReturnType<typeof testDatabase>, id: number): number {
  const row = t.state.db.prepare("SELECT data FROM audit_events WHERE id = ?")
    .get(id);
  return bytes(String(row?.data));
}

Deno.test("AuditStore.append() stores event, data and clock time", () => {
  using t = testDatabase();
  const id = t.state.audit.append({
    event: "device_paired",
    data: { device_id: "abc", scopes: ["operator.read"], ok: true, n: 3 },
  });
  assertEquals(t.state.audit.list(), [{
    id,
    ts: T0,
    event: "device_paired",
    data: { device_id: "abc", scopes: ["operator.read"], ok: true, n: 3 },
  }]);
});

Deno.test("AuditStore.append() defaults data to an empty object", () => {
  using t = testDatabase();
  t.state.audit.append({ event: "gateway_connected" });
  assertEquals(t.state.audit.list()[0]?.data, {});
});

Deno.test("AuditStore.append() refuses an event name that is not snake_case", () => {
  using t = testDatabase();
  for (
    const event of [
      "AuthFailure",
      "auth-failure",
      "",
      "_x",
      "a__b",
      "x".repeat(65),
    ]
  ) {
    thrown(() => t.state.audit.append({ event }), RangeError);
  }
  assertEquals(t.state.audit.list(), []);
});

Deno.test("AuditStore.append() truncates a long free-text field with the marker", () => {
  using t = testDatabase();
  const prompt = "é".repeat(5000);
  const id = t.state.audit.append({
    event: "prompt_guard_blocked",
    data: { reason: "injection", prompt },
  });
  const data = t.state.audit.list()[0]?.data;
  assertEquals(data?.reason, "injection");
  const cut = String(data?.prompt);
  assert(cut.endsWith(TRUNCATION_MARKER));
  assert(bytes(cut) <= AUDIT_TEXT_MAX_BYTES);
  assert(prompt.startsWith(cut.slice(0, -TRUNCATION_MARKER.length)));
  assert(storedBytes(t, id) <= AUDIT_DATA_MAX_BYTES);
});

Deno.test("AuditStore.append() shortens several long strings until the data fits 4096 bytes", () => {
  using t = testDatabase();
  const id = t.state.audit.append({
    event: "tool_executed",
    data: {
      tool: "shell",
      input: "a".repeat(3000),
      output: { text: "b".repeat(3000), lines: ["c".repeat(2000)] },
    },
  });
  assert(storedBytes(t, id) <= AUDIT_DATA_MAX_BYTES);
  const data = t.state.audit.list()[0]?.data;
  assertEquals(data?.tool, "shell");
  assert(String(data?.input).endsWith(TRUNCATION_MARKER));
});

Deno.test("AuditStore.append() replaces data whose structure alone exceeds 4096 bytes", () => {
  using t = testDatabase();
  const many = Object.fromEntries(
    Array.from({ length: 1000 }, (_, i) => [`key_${i}`, i]),
  );
  const id = t.state.audit.append({ event: "config_changed", data: many });
  assert(storedBytes(t, id) <= AUDIT_DATA_MAX_BYTES);
  const data = t.state.audit.list()[0]?.data;
  assertEquals(data?._truncated, true);
  assertEquals(data?.original_bytes, bytes(JSON.stringify(many)));
});

Deno.test("AuditStore.append() keeps data of exactly 4096 bytes and cuts 4097", () => {
  using t = testDatabase();
  const overhead = bytes(JSON.stringify({ a: "", b: "" }));
  const fits = {
    a: "x".repeat(3000),
    b: "y".repeat(AUDIT_DATA_MAX_BYTES - overhead - 3000),
  };
  assertEquals(bytes(JSON.stringify(fits)), AUDIT_DATA_MAX_BYTES);
  t.state.audit.append({ event: "config_changed", data: fits });
  assertEquals(t.state.audit.list()[0]?.data, fits);
  const over = { ...fits, b: fits.b + "y" };
  const id = t.state.audit.append({ event: "config_changed", data: over });
  assert(storedBytes(t, id) <= AUDIT_DATA_MAX_BYTES);
  assert(String(t.state.audit.list()[0]?.data.a).endsWith(TRUNCATION_MARKER));
});

Deno.test("AuditStore.list() returns newest first, filtered by event and since, up to limit", () => {
  using t = testDatabase();
  const { audit } = t.state;
  audit.append({ event: "auth_failure", data: { n: 1 } });
  t.time.advance(1000);
  audit.append({ event: "auth_success", data: { n: 2 } });
  t.time.advance(1000);
  audit.append({ event: "auth_failure", data: { n: 3 } });
  assertEquals(audit.list().map((e) => e.data.n), [3, 2, 1]);
  assertEquals(audit.list({ limit: 2 }).map((e) => e.data.n), [3, 2]);
  assertEquals(audit.list({ event: "auth_failure" }).map((e) => e.data.n), [
    3,
    1,
  ]);
  assertEquals(audit.list({ since: T0 + 1000 }).map((e) => e.data.n), [3, 2]);
  assertEquals(
    audit.list({ since: T0 + 1, event: "auth_failure" }).map((e) => e.data.n),
    [3],
  );
});

Deno.test("AuditStore.list() refuses a limit outside 1..10000", () => {
  using t = testDatabase();
  for (const limit of [0, -1, 10_001, 1.5]) {
    const error = thrown(() => t.state.audit.list({ limit }), CaraError);
    assertEquals(error.code, "invalid_request");
  }
});
