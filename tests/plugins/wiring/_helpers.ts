/**
 * Helpers of the wiring tests: a validated config, the real encrypted-file
 * credential store in a temp state dir, a quiet logger, and the fixture
 * artifacts laid out in a `plugins.load.paths` directory.
 *
 * @module
 */
import { join } from "node:path";
import {
  type CaraConfig,
  validateConfig,
} from "../../../gateway/config/mod.ts";
import { openCredentialStore } from "../../../gateway/credentials/open_store.ts";
import type { CredentialStore } from "../../../gateway/credentials/store.ts";
import { createLogger, type Logger } from "../../../gateway/logs/logger.ts";
import {
  buildServiceComponent,
  type StartBehaviour,
} from "../fixtures/wat_service.ts";
import { buildWiringComponent } from "./_fixture.ts";

/** The hooks token of {@linkcode wiringConfig}. */
export const HOOKS_TOKEN = "hooks-token-0123456789abcdef";

/** A validated config with `plugins` and a hooks token (body cap 4 KiB). */
export function wiringConfig(plugins: Record<string, unknown>): CaraConfig {
  return validateConfig({
    gateway: { hooks: { token: HOOKS_TOKEN, maxBodyBytes: 4096 } },
    plugins,
  }).config;
}

/** The real encrypted-file credential store of `stateDir`. */
export function fileCredentials(stateDir: string): Promise<CredentialStore> {
  return openCredentialStore({
    CARAPACE_STATE_DIR: stateDir,
    CARAPACE_CREDENTIAL_STORE: "file",
    CARAPACE_CONFIG_PASSWORD: "wiring-test-password",
  });
}

/** A logger that keeps entries in memory only. */
export function quietLogger(): Logger {
  return createLogger({ level: "debug" });
}

/**
 * Writes fixture artifacts into `dir`: `wiring.wasm` (componentize-js) and
 * one `svc-<behaviour>.wasm` WAT service plugin per behaviour.
 */
export async function layOutPlugins(
  dir: string,
  services: readonly StartBehaviour[] = [],
  options: { wiring?: boolean } = {},
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  if (options.wiring !== false) {
    await Deno.writeFile(
      join(dir, "wiring.wasm"),
      await buildWiringComponent(),
    );
  }
  for (const behaviour of services) {
    await Deno.writeFile(
      join(dir, `svc-${behaviour}.wasm`),
      await buildServiceComponent(behaviour),
    );
  }
}

/** Polls `check` every 20 ms for up to `timeoutMs`. */
export async function until(
  check: () => boolean,
  timeoutMs = 8_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) {
      throw new Error("condition not met in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
