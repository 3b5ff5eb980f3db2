import { assertEquals, assertThrows } from "../../_helpers.ts";
import { CaraError } from "../../../gateway/errors.ts";
import {
  assertBindAllowed,
  isLoopbackAddress,
  resolveBindHost,
} from "../../../gateway/server/bind.ts";

function iface(
  address: string,
  family: "IPv4" | "IPv6" = "IPv4",
): Deno.NetworkInterfaceInfo {
  return {
    family,
    name: "eth0",
    address,
    netmask: "",
    scopeid: null,
    cidr: "",
    mac: "",
  };
}

function caraError(
  code: string,
  message?: string,
): (error: unknown) => boolean {
  return (error) =>
    error instanceof CaraError && error.code === code &&
    (message === undefined || error.message === message);
}

Deno.test("resolveBindHost() maps the bind names to addresses", () => {
  for (const name of ["loopback", "localhost", "LOCAL", " loopback "]) {
    assertEquals(resolveBindHost(name), "127.0.0.1");
  }
  for (const name of ["auto", "all", "0.0.0.0"]) {
    assertEquals(resolveBindHost(name), "0.0.0.0");
  }
  assertEquals(resolveBindHost("192.168.1.7"), "192.168.1.7");
  assertEquals(resolveBindHost("[::1]"), "::1");
  assertEquals(resolveBindHost("gateway.example.org"), "gateway.example.org");
});

Deno.test("resolveBindHost() picks the first private IPv4 for lan", () => {
  const interfaces = () => [
    iface("127.0.0.1"),
    iface("fe80::1", "IPv6"),
    iface("8.8.8.8"),
    iface("172.20.0.5"),
    iface("10.0.0.2"),
  ];
  assertEquals(resolveBindHost("lan", { interfaces }), "172.20.0.5");
  assertEquals(
    resolveBindHost("local-network", {
      interfaces: () => [iface("192.168.0.9")],
    }),
    "192.168.0.9",
  );
  assertThrows(
    () =>
      resolveBindHost("lan", {
        interfaces: () => [iface("127.0.0.1"), iface("172.32.0.1")],
      }),
    caraError("bind_no_lan"),
  );
});

Deno.test("resolveBindHost() refuses tailnet and malformed values with a clear error", () => {
  for (const name of ["tailnet", "tailscale", "ts"]) {
    assertThrows(
      () => resolveBindHost(name),
      (error: unknown) =>
        caraError("bind_tailnet_unsupported")(error) &&
        (error as Error).message.includes("needs tailscale"),
    );
  }
  for (const value of ["", "  ", "a b", "host/../x", "x".repeat(300)]) {
    assertThrows(() => resolveBindHost(value), caraError("bind_invalid"));
  }
});

Deno.test("isLoopbackAddress() recognises loopback forms only", () => {
  for (
    const address of [
      "127.0.0.1",
      "127.8.9.10",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
      "localhost",
    ]
  ) {
    assertEquals(isLoopbackAddress(address), true, address);
  }
  for (
    const address of [
      "0.0.0.0",
      "10.0.0.1",
      "::",
      "::ffff:10.0.0.1",
      "128.0.0.1",
      "127.0.0.1.evil.com",
      "unknown",
    ]
  ) {
    assertEquals(isLoopbackAddress(address), false, address);
  }
});

Deno.test("assertBindAllowed() refuses a non-loopback bind without auth", () => {
  assertThrows(
    () => assertBindAllowed({ host: "0.0.0.0", authConfigured: false }),
    caraError(
      "bind_requires_auth",
      'Refusing to listen on "0.0.0.0" without authentication: set gateway.auth.token (or CARAPACE_GATEWAY_TOKEN) or bind to loopback',
    ),
  );
  assertBindAllowed({ host: "0.0.0.0", authConfigured: true });
  assertBindAllowed({ host: "127.0.0.1", authConfigured: false });
  assertBindAllowed({ host: "::1", authConfigured: false });
});
