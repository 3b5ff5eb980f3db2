/**
 * Feature code that loads on first use: a value built once, WS method records
 * whose handlers load their implementation on the first call, and route groups
 * served by a sub-app built on the first request. Start-up then loads only
 * the core (config, state, server, protocol, auth).
 *
 * @module
 */
import { Hono } from "hono";
import type { GatewayEnv } from "../server/client_address.ts";
import type { MethodDefinition, MethodScope } from "../protocol/types.ts";
import { lazy } from "../lazy_value.ts";

export { lazy };

/** A method's name and scope, declared before its implementation is loaded. */
export interface MethodDeclaration {
  name: string;
  scope: MethodScope;
}

/**
 * Registry records for `declared` whose handlers dispatch to the definitions
 * `load` yields. tests/gateway/start/lazy_features_test.ts checks that each
 * declaration matches its implementation.
 */
export function lazyMethods(
  declared: readonly MethodDeclaration[],
  load: () => Promise<readonly MethodDefinition[]>,
): MethodDefinition[] {
  const loaded = lazy(async () =>
    new Map((await load()).map((d) => [d.name, d]))
  );
  return declared.map(({ name, scope }) => ({
    name,
    scope,
    async handler(context) {
      const definition = (await loaded()).get(name);
      if (definition === undefined) {
        throw new Error(
          `Method "${name}" is declared but its feature does not implement it`,
        );
      }
      return await definition.handler(context);
    },
  }));
}

/**
 * Serves `patterns` (Hono paths such as `/v1/*`) from a sub-app that `mount`
 * fills on the first request.
 */
export function lazyRoutes(
  app: Hono<GatewayEnv>,
  patterns: readonly string[],
  mount: () => Promise<(app: Hono<GatewayEnv>) => void>,
): void {
  const sub = lazy(async () => {
    const inner = new Hono<GatewayEnv>();
    (await mount())(inner);
    inner.notFound((c) =>
      c.json({
        ok: false,
        error: `Not found: ${JSON.stringify(c.req.path.slice(0, 200))}`,
      }, 404)
    );
    return inner;
  });
  for (const pattern of patterns) {
    app.all(pattern, async (c) => await (await sub()).fetch(c.req.raw, c.env));
  }
}
