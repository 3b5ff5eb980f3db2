/**
 * A command that talks to a gateway: the connection flags every such command
 * shares (`--port`, `--host`, `--tls`, `--trust`, `--allow-plaintext`,
 * `--json`), declared once.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { parsePort } from "../status.ts";

/** A new command `name` with the shared connection flags. */
// deno-lint-ignore explicit-module-boundary-types -- the flag types are inferred from the chain
export function gatewayCommand(
  name: string,
  jsonHelp = "print the response as JSON",
) {
  return new Command(name)
    .option(
      "-p, --port <port>",
      "gateway port (default: gateway.port, else 18789)",
      parsePort,
    )
    .option("--host <host>", "gateway host", "127.0.0.1")
    .option("--tls", "connect with wss:// (TLS)")
    .option("--trust", "with --tls: pin the gateway's certificate on first use")
    .option("--allow-plaintext", "allow ws:// to a non-loopback host")
    .option("--json", jsonHelp);
}
