/**
 * Per-connection default sessions (`sessions.switch`): a WS connection picks
 * a session key, and its `chat.send`/`agent` calls without a session key use
 * it. Entries live as long as their connection.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** The most connections with a switched session kept at once. */
export const MAX_SWITCHED_CONNECTIONS = 4096;

/** The default session key of each connection that called `sessions.switch`. */
export class ConnectionSessions {
  #keys = new Map<string, string>();

  /**
   * Makes `sessionKey` the default of `connId` until `closed` aborts (the
   * connection's signal); returns the previous default.
   *
   * @throws {CaraError} `invalid_request` when {@linkcode MAX_SWITCHED_CONNECTIONS} other
   *   connections already hold a default
   * @example
   * ```ts
   * defaults.switch(ctx.conn.connId, "main:default:work", ctx.signal);
   * defaults.get(ctx.conn.connId); // "main:default:work"
   * ```
   */
  switch(
    connId: string,
    sessionKey: string,
    closed: AbortSignal,
  ): string | undefined {
    if (closed.aborted) return undefined;
    const previous = this.#keys.get(connId);
    if (previous === undefined) {
      if (this.#keys.size >= MAX_SWITCHED_CONNECTIONS) {
        throw new CaraError(
          "invalid_request",
          `Cannot switch the session of connection "${connId}": ${MAX_SWITCHED_CONNECTIONS} connections already hold one; retry later`,
        );
      }
      closed.addEventListener("abort", () => this.#keys.delete(connId), {
        once: true,
      });
    }
    this.#keys.set(connId, sessionKey);
    return previous;
  }

  /** The default session key of `connId`, if it switched. */
  get(connId: string): string | undefined {
    return this.#keys.get(connId);
  }

  /** How many connections hold a default. */
  get size(): number {
    return this.#keys.size;
  }
}
