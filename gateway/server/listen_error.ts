/**
 * Turns a failure to open the listening socket into one line that says what
 * to change.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** Where the server tried to listen. */
export interface ListenTarget {
  hostname: string;
  port: number;
  tls: boolean;
}

/**
 * Maps a `Deno.serve` error to a {@linkcode CaraError}; unknown errors are
 * returned unchanged (they are bugs, not operator mistakes).
 */
export function listenError(error: unknown, target: ListenTarget): unknown {
  const where = `${
    target.hostname.includes(":") ? `[${target.hostname}]` : target.hostname
  }:${target.port}`;
  const fix = "choose another port with --port or gateway.port";
  if (error instanceof Deno.errors.AddrInUse) {
    return new CaraError(
      "port_in_use",
      `Cannot listen on ${where}: the address is already in use; stop the other process or ${fix}`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    const why = target.port < 1024
      ? `ports below 1024 need root or CAP_NET_BIND_SERVICE; ${fix} above 1023`
      : "the operating system refused; check firewall or security policy, or " +
        fix;
    return new CaraError(
      "port_permission_denied",
      `Cannot listen on ${where}: permission denied; ${why}`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof Deno.errors.NotCapable) {
    return new CaraError(
      "port_permission_denied",
      `Cannot listen on ${where}: this process lacks network permission; run it with --allow-net`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new CaraError(
      "address_not_available",
      `Cannot listen on ${where}: the address does not belong to this host; fix gateway.bind or use "loopback"`,
      { cause: error },
    );
  }
  if (
    target.tls && error instanceof Error &&
    !(error instanceof Deno.errors.Interrupted)
  ) {
    return new CaraError(
      "tls_invalid",
      `Cannot listen with TLS on ${where}: the certificate or key was rejected (${
        error.message.slice(0, 200)
      }); check gateway.tls.certPath and gateway.tls.keyPath`,
      { cause: error },
    );
  }
  return error;
}
