/**
 * The method registry: one record (name, scope, handler) per WS method, and
 * the event names the gateway really emits. Dispatch is a lookup.
 *
 * @module
 */
import type { MethodDefinition, MethodScope } from "./types.ts";

const SCOPES: readonly MethodScope[] = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.pairing",
  "operator.approvals",
  "node",
];

/** Events the protocol core itself emits. */
export const CORE_EVENTS: readonly string[] = [
  "connect.challenge",
  "tick",
  "shutdown",
  "state.drop",
];

/**
 * Registered methods (advertised as `features.methods`) and events
 * (`features.events`).
 *
 * @example
 * ```ts
 * const registry = new MethodRegistry();
 * registry.register([{ name: "health", scope: "operator.read", handler: () => ({}) }]);
 * registry.names(); // ["health"]
 * ```
 */
export class MethodRegistry {
  readonly #methods = new Map<string, MethodDefinition>();
  readonly #events = new Set<string>(CORE_EVENTS);

  /**
   * Adds methods.
   *
   * @throws {Error} for a duplicate name, a blank name, an unknown scope or a
   * missing handler: these are wiring bugs and must stop the start-up
   */
  register(definitions: readonly MethodDefinition[]): this {
    for (const definition of definitions) {
      const { name, scope, handler } = definition;
      if (typeof name !== "string" || name.trim() === "") {
        throw new Error(
          `Register WS method failed: name "${name}" is blank; give every method a name`,
        );
      }
      if (this.#methods.has(name)) {
        throw new Error(
          `Register WS method "${name}" failed: it is already registered; two feature modules export the same method`,
        );
      }
      if (!SCOPES.includes(scope)) {
        throw new Error(
          `Register WS method "${name}" failed: scope "${scope}" is unknown; use one of ${
            SCOPES.join(", ")
          }`,
        );
      }
      if (typeof handler !== "function") {
        throw new Error(
          `Register WS method "${name}" failed: handler is not a function`,
        );
      }
      this.#methods.set(name, { name, scope, handler });
    }
    return this;
  }

  /** Adds event names the gateway can emit (advertised in `hello-ok`). */
  advertiseEvents(names: readonly string[]): this {
    for (const name of names) this.#events.add(name);
    return this;
  }

  /** The record of `name`, if registered. */
  get(name: string): MethodDefinition | undefined {
    return this.#methods.get(name);
  }

  /** Registered method names, in registration order. */
  names(): string[] {
    return [...this.#methods.keys()];
  }

  /** Advertised event names. */
  events(): string[] {
    return [...this.#events];
  }
}
