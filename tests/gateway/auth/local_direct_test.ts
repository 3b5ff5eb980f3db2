import {
  hostHeaderName,
  isLocalDirect,
  isLoopbackAddress,
} from "../../../gateway/auth/local_direct.ts";
import { assertEquals } from "../../_helpers.ts";

Deno.test("isLoopbackAddress() accepts 127/8, ::1 and v4-mapped loopback only", () => {
  for (
    const ip of ["127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1", "[::1]"]
  ) {
    assertEquals(isLoopbackAddress(ip), true, ip);
  }
  for (
    const ip of [
      "128.0.0.1",
      "10.0.0.1",
      "::ffff:10.0.0.1",
      "::2",
      "127.0.0",
      "127.0.0.256",
      "localhost",
      "",
    ]
  ) {
    assertEquals(isLoopbackAddress(ip), false, ip);
  }
});

Deno.test("hostHeaderName() strips ports and IPv6 brackets", () => {
  assertEquals(hostHeaderName("LocalHost:18789"), "localhost");
  assertEquals(hostHeaderName("[::1]:18789"), "::1");
  assertEquals(hostHeaderName("::1"), "::1");
  assertEquals(hostHeaderName("box.tail1.ts.net"), "box.tail1.ts.net");
});

Deno.test("isLocalDirect() follows the §5 matrix of peer, Host and forwarding headers", () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ["127.0.0.1", { host: "localhost:18789" }, true],
    ["127.0.0.1", { host: "127.0.0.1:18789" }, true],
    ["::1", { host: "[::1]:18789" }, true],
    ["::ffff:127.0.0.1", { host: "localhost" }, true],
    ["127.0.0.1", { host: "box.tail1.ts.net" }, true],
    ["127.0.0.1", { host: "ts.net" }, false],
    ["127.0.0.1", { host: "evil.example" }, false],
    ["127.0.0.1", {}, false],
    ["192.0.2.10", { host: "localhost" }, false],
    ["127.0.0.1", { host: "localhost", "x-forwarded-for": "1.2.3.4" }, false],
    ["127.0.0.1", { host: "localhost", "x-real-ip": "1.2.3.4" }, false],
    ["127.0.0.1", { host: "localhost", "x-forwarded-proto": "https" }, false],
    ["127.0.0.1", { host: "localhost", "x-forwarded-host": "a" }, false],
    ["127.0.0.1", { host: "localhost", forwarded: "for=1.2.3.4" }, true],
  ];
  for (const [ip, headers, expected] of cases) {
    assertEquals(
      isLocalDirect(ip, new Headers(headers)),
      expected,
      `${ip} ${JSON.stringify(headers)}`,
    );
  }
});
