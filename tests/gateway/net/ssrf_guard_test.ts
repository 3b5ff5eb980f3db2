import { assertEquals, assertRejects, assertThrows } from "../../_helpers.ts";
import {
  checkUrl,
  resolvePinned,
  SsrfError,
} from "../../../gateway/net/ssrf_guard.ts";

function resolverOf(map: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve = (host: string) => {
    calls.push(host);
    const found = map[host];
    return found
      ? Promise.resolve(found)
      : Promise.reject(new Error("NXDOMAIN"));
  };
  return { resolve, calls };
}

Deno.test("checkUrl() refuses http:// by default and allows it as an option", () => {
  assertThrows(
    () => checkUrl("http://example.com/"),
    {
      name: "SsrfError",
      message: /scheme "http:" is not allowed; use "https"/,
    },
  );
  assertEquals(
    checkUrl("http://example.com/", { schemes: ["http:", "https:"] }).host,
    "example.com",
  );
  assertThrows(
    () => checkUrl("file:///etc/passwd", { schemes: ["http:", "https:"] }),
    SsrfError,
  );
});

Deno.test("checkUrl() refuses literal loopback, metadata and mapped addresses", () => {
  for (
    const url of [
      "https://127.0.0.1/",
      "https://169.254.169.254/latest/meta-data/",
      "https://[::ffff:127.0.0.1]/",
      "https://[::1]:8443/",
      "https://2130706433/",
      "https://0x7f.1/",
      "https://localhost/",
      "https://metadata.google.internal/",
    ]
  ) {
    assertThrows(() => checkUrl(url), { name: "SsrfError" }, url);
  }
});

Deno.test("checkUrl() refuses URLs over 2048 characters and URLs with credentials", () => {
  assertThrows(
    () => checkUrl(`https://example.com/${"a".repeat(2040)}`),
    { name: "SsrfError", message: /limit is 2048/ },
  );
  assertThrows(
    () => checkUrl("https://user:pw@example.com/"),
    { name: "SsrfError", message: /credentials/ },
  );
  assertThrows(() => checkUrl("not a url"), {
    name: "SsrfError",
    message: /not a valid URL/,
  });
});

Deno.test("resolvePinned() refuses a host name that resolves to a private address", async () => {
  const { resolve } = resolverOf({
    "evil.example": ["93.184.216.34", "127.0.0.1"],
  });
  await assertRejects(
    () => resolvePinned("https://evil.example/", { resolve }),
    { name: "SsrfError", message: /address "127.0.0.1" is loopback/ },
  );
});

Deno.test("resolvePinned() refuses an unresolvable host and a resolver returning garbage", async () => {
  const { resolve } = resolverOf({ "odd.example": ["not-an-ip"] });
  await assertRejects(
    () => resolvePinned("https://nowhere.example/", { resolve }),
    { name: "SsrfError", message: /did not resolve/ },
  );
  await assertRejects(
    () => resolvePinned("https://odd.example/", { resolve }),
    { name: "SsrfError", message: /not an IP address/ },
  );
});

Deno.test("resolvePinned() pins the first validated address and resolves once", async () => {
  const { resolve, calls } = resolverOf({
    "api.example": ["93.184.216.34", "2606:2800:220:1::1"],
  });
  const target = await resolvePinned("https://api.example/v1", { resolve });
  assertEquals(target.address, "93.184.216.34");
  assertEquals(target.family, 4);
  assertEquals(target.url.hostname, "api.example");
  assertEquals(calls, ["api.example"]);
});

Deno.test("resolvePinned() accepts a trusted address and Tailscale only when configured", async () => {
  const { resolve } = resolverOf({
    "mirror.lan": ["192.168.1.10"],
    "ts.example": ["100.101.102.103"],
  });
  await assertRejects(
    () => resolvePinned("https://mirror.lan/", { resolve }),
    SsrfError,
  );
  const mirror = await resolvePinned("https://mirror.lan/", {
    resolve,
    trustedAddresses: ["192.168.1.10"],
  });
  assertEquals(mirror.address, "192.168.1.10");
  await assertRejects(
    () => resolvePinned("https://ts.example/", { resolve }),
    { name: "SsrfError", message: /Tailscale/ },
  );
  const ts = await resolvePinned("https://ts.example/", {
    resolve,
    allowTailscale: true,
  });
  assertEquals(ts.address, "100.101.102.103");
});
