/**
 * How a refused gateway request reads on the command line: `<method> failed:
 * <message>`, with hints for the two refusals a CLI user can act on at connect
 * time (an unpaired device, a missing credential).
 *
 * @module
 */
import { CaraError } from "../../gateway/errors.ts";

/** The CLI error for a response `error` of `method` (`connecting`: the `connect` request). */
export function requestError(
  method: string,
  raw: unknown,
  connecting: boolean,
  hostPort: string,
): CaraError {
  const error = (raw ?? {}) as {
    code?: unknown;
    message?: unknown;
    details?: unknown;
  };
  const message = typeof error.message === "string"
    ? error.message
    : "unknown error";
  const code = typeof error.code === "string" ? error.code : "invalid_request";
  if (
    connecting && code === "not_paired" && /pairing required/i.test(message)
  ) {
    const details = error.details as
      | { requestId?: unknown; details?: { requestId?: unknown } }
      | undefined;
    const requestId = details?.requestId ?? details?.details?.requestId;
    return new CaraError(
      "not_paired",
      `Cannot connect to gateway "${hostPort}": this device is not paired yet; ask an operator to approve it in the Control UI (device.pair.approve)${
        typeof requestId === "string" ? ` for request "${requestId}"` : ""
      }, then retry`,
    );
  }
  if (connecting && /device identity required/i.test(message)) {
    return new CaraError(
      code,
      `Cannot connect to gateway "${hostPort}": ${message}; set gateway.auth.token (or CARAPACE_GATEWAY_TOKEN) so the CLI can authenticate`,
    );
  }
  return new CaraError(code, `${method} failed: ${message}`);
}
