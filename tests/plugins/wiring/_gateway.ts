/**
 * A gateway for plugin CLI tests: exactly the production composition
 * (gateway/start_gateway.ts), on a free loopback port.
 *
 * @module
 */
import type { Env } from "../../../gateway/config/paths.ts";
import {
  type RunningGateway,
  startGateway,
} from "../../../gateway/start_gateway.ts";

/** Starts the gateway for `env` (its config file must exist). */
export async function startPluginsGateway(env: Env): Promise<RunningGateway> {
  return await startGateway({ env, port: 0 });
}
