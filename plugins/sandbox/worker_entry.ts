/// <reference lib="deno.worker" />
/**
 * The sandbox Worker of a trusted plugin, started with Deno permissions
 * "none" (sandbox layer "permissions": no read, write, net, env, run or ffi
 * even if the glue or a jco bug tried). It runs the sandbox runtime.
 *
 * @module
 */
import type { ToSandbox } from "./messages.ts";
import { serveSandbox } from "./sandbox_runtime.ts";

const handle = serveSandbox((message) => self.postMessage(message));
self.onmessage = (event: MessageEvent<ToSandbox>) => void handle(event.data);
