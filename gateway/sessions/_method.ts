/**
 * One `sessions.*` method record: params read through MethodParams, state
 * errors answered as `invalid_request`.
 *
 * @module
 */
import { asProtocolError, MethodParams } from "../agent/method_params.ts";
import type {
  MethodContext,
  MethodDefinition,
  MethodScope,
} from "../protocol/types.ts";

/** Builds a method whose `run` gets its params reader and the request context. */
export function sessionMethod(
  name: string,
  scope: MethodScope,
  run: (p: MethodParams, ctx: MethodContext) => unknown,
): MethodDefinition {
  return {
    name,
    scope,
    handler: (ctx) =>
      asProtocolError(() => run(new MethodParams(name, ctx.params), ctx)),
  };
}
