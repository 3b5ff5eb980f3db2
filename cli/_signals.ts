/**
 * The runtime edge for process signals: SIGINT/SIGTERM ask for a graceful
 * stop, a second one forces it, SIGHUP asks for a config reload.
 *
 * @module
 */

/** What the signal handlers call. */
export interface SignalHandlers {
  /** First SIGINT/SIGTERM. */
  stop(): void;
  /** A second SIGINT/SIGTERM while stopping. */
  force(): void;
  /** SIGHUP (not on Windows). */
  reload(): void;
}

/** Installs the handlers; the returned function removes them. */
export function onProcessSignals(handlers: SignalHandlers): () => void {
  let stopRequested = false;
  const stopOrForce = () => {
    if (stopRequested) return handlers.force();
    stopRequested = true;
    handlers.stop();
  };
  const windows = Deno.build.os === "windows";
  const stopSignals: Deno.Signal[] = windows
    ? ["SIGINT", "SIGBREAK"]
    : ["SIGINT", "SIGTERM"];
  for (const signal of stopSignals) Deno.addSignalListener(signal, stopOrForce);
  if (!windows) Deno.addSignalListener("SIGHUP", handlers.reload);
  return () => {
    for (const signal of stopSignals) {
      Deno.removeSignalListener(signal, stopOrForce);
    }
    if (!windows) Deno.removeSignalListener("SIGHUP", handlers.reload);
  };
}
