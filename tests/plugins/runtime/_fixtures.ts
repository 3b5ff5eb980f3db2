/**
 * Fixture components for the runtime tests, built and transpiled once per
 * test file and kept in memory.
 *
 * @module
 */
import type { HostFunctions } from "../../../plugins/host/types.ts";
import { transpileComponent } from "../../../plugins/loader/transpile.ts";
import type { TranspiledPlugin } from "../../../plugins/sandbox/messages.ts";
import {
  buildServiceComponent,
  type StartBehaviour,
} from "../fixtures/wat_service.ts";

/** Builds (once) and transpiles the service fixture with `behaviour`. */
export function fixtureCache(): (
  behaviour: StartBehaviour,
) => Promise<TranspiledPlugin> {
  const cache = new Map<StartBehaviour, Promise<TranspiledPlugin>>();
  return (behaviour) => {
    let entry = cache.get(behaviour);
    if (!entry) {
      entry = buildServiceComponent(behaviour).then((bytes) =>
        transpileComponent(bytes).then((output) => output.plugin)
      );
      cache.set(behaviour, entry);
    }
    return entry;
  };
}

/** Host functions that record log lines and deny everything else. */
export function recordingHost(): HostFunctions & { logs: string[] } {
  const logs: string[] = [];
  return {
    logs,
    logDebug: (m) => void logs.push(`debug ${m}`),
    logInfo: (m) => void logs.push(`info ${m}`),
    logWarn: (m) => void logs.push(`warn ${m}`),
    logError: (m) => void logs.push(`error ${m}`),
    configGet: () => undefined,
    credentialGet: () => Promise.resolve(undefined),
    credentialSet: () => Promise.resolve(false),
    httpFetch: () => Promise.resolve({ tag: "err", val: "denied" }),
    mediaFetch: () => Promise.resolve({ ok: false, error: "denied" }),
  };
}
