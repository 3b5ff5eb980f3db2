/**
 * Calls WS method handlers the way the dispatcher does, with an operator
 * connection and the recording sink.
 *
 * @module
 */
import type {
  ConnectionInfo,
  MethodDefinition,
} from "../../../gateway/protocol/types.ts";
import type { RecordingSink } from "./_helpers.ts";

const CONN: ConnectionInfo = {
  connId: "c1",
  role: "operator",
  scopes: ["operator.admin"],
  client: { id: "test", version: "0", platform: "linux", mode: "cli" },
  deviceId: null,
  remoteIp: "127.0.0.1",
  localDirect: true,
  connectedAtMs: 0,
};

/** Calls one method by name. */
export type MethodCaller = (
  name: string,
  params?: unknown,
) => Promise<Record<string, unknown>>;

/** A caller of the named methods in `definitions`. */
export function methodCaller(
  definitions: MethodDefinition[],
  sink: RecordingSink,
): MethodCaller {
  return async (
    name: string,
    params?: unknown,
  ): Promise<Record<string, unknown>> => {
    const definition = definitions.find((d) => d.name === name);
    if (definition === undefined) throw new Error(`no method ${name}`);
    return await definition.handler({
      conn: CONN,
      params,
      signal: new AbortController().signal,
      events: sink,
    }) as Record<string, unknown>;
  };
}
