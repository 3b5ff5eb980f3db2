/**
 * Helpers for the session method tests: a state database in a temp dir, and
 * a caller that authorizes like the dispatcher (protocol.md §6) before it
 * runs a handler on a given connection.
 *
 * @module
 */
import { authorize } from "../../../gateway/protocol/authorize.ts";
import type {
  ConnectionInfo,
  MethodDefinition,
} from "../../../gateway/protocol/types.ts";
import {
  openDatabase,
  type StateDatabase,
} from "../../../gateway/state/mod.ts";
import { tempDir } from "../../_helpers.ts";

/** A state database removed when the `using` scope ends. */
export function stateOf(): { state: StateDatabase } & Disposable {
  const dir = tempDir("cara-sessions-");
  const state = openDatabase(`${dir.path}/state.db`);
  return {
    state,
    [Symbol.dispose]() {
      state.close();
      dir[Symbol.dispose]();
    },
  };
}

/** One connection calling methods: its id, scopes and close signal. */
export interface TestConnection {
  connId?: string;
  scopes?: string[];
  closed?: AbortSignal;
}

/** Calls one method as `conn`; a refused or failed call rejects. */
export type ConnCaller = (
  name: string,
  params?: unknown,
  conn?: TestConnection,
) => Promise<Record<string, unknown>>;

/** A caller of `definitions` that authorizes first. */
export function connCaller(definitions: MethodDefinition[]): ConnCaller {
  return async (name, params, conn = {}) => {
    const definition = definitions.find((d) => d.name === name);
    const info: ConnectionInfo = {
      connId: conn.connId ?? "c1",
      role: "operator",
      scopes: conn.scopes ?? ["operator.admin"],
      client: { id: "test", version: "0", platform: "linux", mode: "cli" },
      deviceId: null,
      remoteIp: "127.0.0.1",
      localDirect: true,
      connectedAtMs: 0,
    };
    const refused = authorize(name, definition, info);
    if (refused !== null) throw refused;
    return await definition!.handler({
      conn: info,
      params,
      signal: conn.closed ?? new AbortController().signal,
      events: { broadcast() {} },
    }) as Record<string, unknown>;
  };
}
