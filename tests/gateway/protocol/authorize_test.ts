import { assertEquals } from "../../_helpers.ts";
import { authorize } from "../../../gateway/protocol/authorize.ts";
import { MethodRegistry } from "../../../gateway/protocol/method_registry.ts";
import { hasScope } from "../../../gateway/protocol/scopes.ts";
import { assertThrows } from "../../_helpers.ts";
import type { MethodScope } from "../../../gateway/protocol/types.ts";

const registry = new MethodRegistry().register(
  (
    [
      ["health", "operator.read"],
      ["chat.send", "operator.write"],
      ["config.set", "operator.admin"],
      ["device.pair.approve", "operator.pairing"],
      ["exec.approval.resolve", "operator.approvals"],
      ["node.event", "node"],
    ] as [string, MethodScope][]
  ).map(([name, scope]) => ({ name, scope, handler: () => null })),
);

function check(method: string, role: "operator" | "node", scopes: string[]) {
  const error = authorize(method, registry.get(method), { role, scopes });
  return error === null
    ? "ok"
    : { message: error.message, details: error.details, code: error.code };
}

Deno.test("hasScope() matches exactly, lets admin and operator.* satisfy operator scopes, and write satisfy read", () => {
  assertEquals(hasScope(["operator.read"], "operator.read"), true);
  assertEquals(hasScope(["operator.write"], "operator.read"), true);
  assertEquals(hasScope(["operator.read"], "operator.write"), false);
  assertEquals(hasScope(["operator.admin"], "operator.pairing"), true);
  assertEquals(hasScope(["operator.*"], "operator.approvals"), true);
  assertEquals(hasScope(["operator.pairing"], "operator.read"), false);
  assertEquals(hasScope([], "operator.read"), false);
});

Deno.test("authorize() applies the scope matrix of protocol.md §6", () => {
  const matrix: [string, string[], boolean][] = [
    ["health", ["operator.read"], true],
    ["health", ["operator.write"], true],
    ["health", ["operator.pairing"], false],
    ["chat.send", ["operator.read"], false],
    ["chat.send", ["operator.write"], true],
    ["config.set", ["operator.write"], false],
    ["config.set", ["operator.admin"], true],
    ["device.pair.approve", ["operator.pairing"], true],
    ["device.pair.approve", ["operator.write"], false],
    ["device.pair.approve", ["operator.admin"], true],
    ["exec.approval.resolve", ["operator.approvals"], true],
    ["exec.approval.resolve", ["operator.pairing"], false],
  ];
  for (const [method, scopes, allowed] of matrix) {
    assertEquals(
      check(method, "operator", scopes) === "ok",
      allowed,
      `${method} ${scopes}`,
    );
  }
});

Deno.test("authorize() names the required scope, and 'or operator.admin' for specific scopes", () => {
  assertEquals(check("config.set", "operator", ["operator.read"]), {
    code: "invalid_request",
    message: "method 'config.set' requires 'operator.admin' scope",
    details: {
      method: "config.set",
      required_scope: "operator.admin",
      connection_scopes: ["operator.read"],
    },
  });
  assertEquals(
    check("device.pair.approve", "operator", ["operator.read"]).valueOf(),
    {
      code: "invalid_request",
      message:
        "method 'device.pair.approve' requires 'operator.pairing' or 'operator.admin' scope",
      details: {
        method: "device.pair.approve",
        required_scope: "operator.pairing",
        connection_scopes: ["operator.read"],
      },
    },
  );
});

Deno.test("authorize() needs admin before saying unknown method", () => {
  assertEquals(check("no.such", "operator", ["operator.read"]), {
    code: "invalid_request",
    message: "method 'no.such' requires 'operator.admin' scope",
    details: {
      method: "no.such",
      required_scope: "operator.admin",
      connection_scopes: ["operator.read"],
    },
  });
  assertEquals(check("no.such", "operator", ["operator.admin"]), {
    code: "invalid_request",
    message: "unknown method",
    details: { method: "no.such" },
  });
});

Deno.test("authorize() keeps the node role to node methods and node methods to the node role", () => {
  assertEquals(check("node.event", "node", []), "ok");
  assertEquals(check("health", "node", ["operator.admin"]), {
    code: "invalid_request",
    message: "method 'health' is not allowed for node role",
    details: { method: "health", role: "node" },
  });
  assertEquals(check("node.event", "operator", ["operator.admin"]), {
    code: "invalid_request",
    message: "method 'node.event' is only allowed for node role",
    details: { method: "node.event", role: "operator" },
  });
  const unregistered = check("node.invoke.result", "operator", [
    "operator.admin",
  ]);
  assertEquals(
    (unregistered as { message: string }).message,
    "method 'node.invoke.result' is only allowed for node role",
  );
});

Deno.test("MethodRegistry.register() throws on duplicate names, blank names and unknown scopes", () => {
  const r = new MethodRegistry().register([{
    name: "a",
    scope: "operator.read",
    handler: () => 1,
  }]);
  assertThrows(
    () => r.register([{ name: "a", scope: "operator.read", handler: () => 1 }]),
    /already registered/,
  );
  assertThrows(
    () => r.register([{ name: " ", scope: "operator.read", handler: () => 1 }]),
    /blank/,
  );
  assertThrows(
    () =>
      r.register([{
        name: "b",
        scope: "operator.root" as MethodScope,
        handler: () => 1,
      }]),
    /scope "operator.root" is unknown/,
  );
  assertEquals(r.names(), ["a"]);
});
