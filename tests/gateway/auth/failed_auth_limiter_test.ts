import {
  FailedAuthLimiter,
  tooManyFailuresMessage,
} from "../../../gateway/auth/failed_auth_limiter.ts";
import { assertEquals, assertThrows } from "../../_helpers.ts";

function clock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

Deno.test("FailedAuthLimiter refuses an IP after 10 failures until its 60 s window ends", () => {
  const time = clock();
  const limiter = new FailedAuthLimiter({ clock: time.now });
  for (let i = 0; i < 9; i++) limiter.recordFailure("192.0.2.1");
  assertEquals(limiter.retryAfterMs("192.0.2.1"), 0);
  limiter.recordFailure("192.0.2.1");
  assertEquals(limiter.retryAfterMs("192.0.2.1"), 60_000);
  assertEquals(limiter.retryAfterMs("192.0.2.2"), 0);
  time.advance(59_000);
  assertEquals(limiter.retryAfterMs("192.0.2.1"), 1_000);
  time.advance(1_000);
  assertEquals(limiter.retryAfterMs("192.0.2.1"), 0);
});

Deno.test("FailedAuthLimiter counts loopback peers too", () => {
  const limiter = new FailedAuthLimiter({ maxFailures: 2, clock: () => 0 });
  limiter.recordFailure("127.0.0.1");
  limiter.recordFailure("127.0.0.1");
  assertEquals(limiter.retryAfterMs("127.0.0.1"), 60_000);
});

Deno.test("FailedAuthLimiter keeps at most maxTrackedIps entries, expired ones dropped first", () => {
  const time = clock();
  const limiter = new FailedAuthLimiter({
    maxTrackedIps: 100,
    clock: time.now,
  });
  for (let i = 0; i < 1_000; i++) {
    limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
  }
  assertEquals(limiter.trackedIps, 100);
  time.advance(60_000);
  limiter.recordFailure("192.0.2.1");
  assertEquals(limiter.trackedIps, 1);
});

Deno.test("FailedAuthLimiter() refuses limits below 1 and the message rounds up to seconds", () => {
  assertThrows(() => new FailedAuthLimiter({ maxFailures: 0 }), RangeError);
  assertEquals(
    tooManyFailuresMessage(1_200),
    "too many failed authentication attempts; retry in 2 s",
  );
});
