/**
 * Method authorization of protocol.md §6, evaluated before dispatch: role
 * rules, scope rules, then "unknown method" (unknown methods need admin).
 *
 * @module
 */
import { ProtocolError } from "./errors.ts";
import { ADMIN_SCOPE, hasScope } from "./scopes.ts";
import type { MethodDefinition, Role } from "./types.ts";

/** The only methods a node-role connection may call. */
export const NODE_METHODS: readonly string[] = [
  "node.invoke.result",
  "node.event",
];

const SPECIFIC_SCOPES = new Set(["operator.pairing", "operator.approvals"]);

/** Who is calling. */
export interface Caller {
  readonly role: Role;
  readonly scopes: readonly string[];
}

/**
 * The error that refuses `method` to `caller`, or `null` when it may run.
 *
 * @example
 * ```ts
 * authorize("config.set", registry.get("config.set"), { role: "operator", scopes: ["operator.read"] });
 * // ProtocolError: method 'config.set' requires 'operator.admin' scope
 * ```
 */
export function authorize(
  method: string,
  definition: MethodDefinition | undefined,
  caller: Caller,
): ProtocolError | null {
  const nodeOnly = definition?.scope === "node" ||
    NODE_METHODS.includes(method);
  if (caller.role === "node") {
    if (!nodeOnly) {
      return new ProtocolError(
        "invalid_request",
        `method '${method}' is not allowed for node role`,
        { details: { method, role: "node" } },
      );
    }
  } else if (nodeOnly) {
    return new ProtocolError(
      "invalid_request",
      `method '${method}' is only allowed for node role`,
      { details: { method, role: caller.role } },
    );
  } else {
    const required = definition?.scope ?? ADMIN_SCOPE;
    if (!hasScope(caller.scopes, required)) {
      const needed = SPECIFIC_SCOPES.has(required)
        ? `'${required}' or '${ADMIN_SCOPE}'`
        : `'${required}'`;
      return new ProtocolError(
        "invalid_request",
        `method '${method}' requires ${needed} scope`,
        {
          details: {
            method,
            required_scope: required,
            connection_scopes: [...caller.scopes],
          },
        },
      );
    }
  }
  if (definition === undefined) {
    return new ProtocolError("invalid_request", "unknown method", {
      details: { method },
    });
  }
  return null;
}
