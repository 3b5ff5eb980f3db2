import { assert, assertEquals } from "../../_helpers.ts";
import { blockedAddressReason } from "../../../gateway/net/blocked_address.ts";
import { isBlockedHostname } from "../../../gateway/net/blocked_hostname.ts";

const BLOCKED = [
  "0.0.0.0",
  "10.1.2.3",
  "127.0.0.1",
  "127.255.255.254",
  "169.254.169.254",
  "172.16.0.1",
  "172.31.255.255",
  "192.168.1.1",
  "192.0.0.8",
  "192.0.2.1",
  "198.51.100.7",
  "203.0.113.9",
  "224.0.0.1",
  "239.255.255.250",
  "240.0.0.1",
  "255.255.255.255",
  "100.64.0.1",
  "100.127.255.255",
  "::1",
  "::",
  "fc00::1",
  "fd12:3456::1",
  "fe80::1",
  "febf::1",
  "ff02::1",
  "2001:db8::1",
  "fd00:ec2::254",
  "::ffff:127.0.0.1",
  "::ffff:7f00:1",
  "[::ffff:169.254.169.254]",
  "::ffff:10.0.0.1",
  "::127.0.0.1",
  "64:ff9b::a9fe:a9fe",
  "2002:7f00:1::",
  "not-an-ip",
  "1.2.3",
  "01.2.3.4",
];

const ALLOWED = [
  "1.1.1.1",
  "8.8.8.8",
  "172.32.0.1",
  "100.128.0.1",
  "2606:4700:4700::1111",
  "::ffff:8.8.8.8",
  "fec0::1",
];

Deno.test("blockedAddressReason() refuses every reserved range incl. embedded IPv4", () => {
  for (const address of BLOCKED) {
    assert(
      blockedAddressReason(address) !== null,
      `${address} should be blocked`,
    );
  }
});

Deno.test("blockedAddressReason() accepts public addresses", () => {
  for (const address of ALLOWED) {
    assertEquals(blockedAddressReason(address), null, address);
  }
});

Deno.test("blockedAddressReason() permits 100.64.0.0/10 only with allowTailscale", () => {
  assert(blockedAddressReason("100.100.100.100") !== null);
  assertEquals(
    blockedAddressReason("100.100.100.100", { allowTailscale: true }),
    null,
  );
  assert(blockedAddressReason("127.0.0.1", { allowTailscale: true }) !== null);
});

Deno.test("blockedAddressReason() names the range it matched", () => {
  assertEquals(
    blockedAddressReason("::ffff:169.254.169.254"),
    "link-local / cloud metadata (169.254.0.0/16)",
  );
  assertEquals(blockedAddressReason("::1"), "loopback (::1)");
});

Deno.test("isBlockedHostname() refuses local and metadata names", () => {
  for (
    const name of [
      "localhost",
      "LOCALHOST.",
      "localhost.localdomain",
      "api.localhost",
      "metadata",
      "metadata.google.internal",
      "instance-data",
      "db.corp.internal",
    ]
  ) {
    assert(isBlockedHostname(name), name);
  }
  for (
    const name of [
      "example.com",
      "localhost.example.com",
      "internal.example.com",
    ]
  ) {
    assert(!isBlockedHostname(name), name);
  }
});
