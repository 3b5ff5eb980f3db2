/**
 * The plugin side of a sandbox, whichever container it runs in: a Worker
 * with Deno permissions "none" (worker_entry.ts, trusted plugins) or the
 * child process of an untrusted plugin after it dropped every permission
 * (process_host.ts). It instantiates the transpiled component with our WASI
 * shims and host functions forwarded to the gateway, and answers calls.
 *
 * @module
 */
import { HOST_FUNCTION_NAMES } from "../host/types.ts";
import { deniedNamespace, grantedWasi } from "../wasi/deny_shims.ts";
import type {
  CallMessage,
  DoneMessage,
  FromSandbox,
  HostReplyMessage,
  LoadMessage,
  ToSandbox,
} from "./messages.ts";
import { limitMemory } from "./memory_limit.ts";

type Instance = Record<string, Record<string, (...a: unknown[]) => unknown>>;
type Instantiate = (
  getCoreModule: (name: string) => Promise<WebAssembly.Module>,
  imports: Record<string, unknown>,
) => Promise<Instance>;

const HOST_NAMESPACE = "carapace:plugin/host";

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Results of host functions that return `result<T, string>` are thrown. */
function hostImports(
  pending: Map<number, (m: HostReplyMessage) => void>,
  post: (message: FromSandbox) => void,
) {
  let nextId = 1;
  const call = (fn: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (reply) => {
        if (!reply.ok) return reject(new Error(reply.error ?? "host failed"));
        const value = reply.value as { tag?: string; val?: unknown };
        if (fn !== "httpFetch") return resolve(value);
        if (value.tag === "ok") return resolve(value.val);
        reject({ payload: value.val });
      });
      post({ type: "host-call", id, fn, args });
    });
  return Object.fromEntries(
    HOST_FUNCTION_NAMES.map((
      fn,
    ) => [fn, (...args: unknown[]) => call(fn, args)]),
  );
}

function importsFor(host: Record<string, unknown>): Record<string, unknown> {
  const granted: Record<string, unknown> = {
    ...grantedWasi(),
    [HOST_NAMESPACE]: host,
    [`${HOST_NAMESPACE}@1.0.0`]: host,
  };
  return new Proxy(granted, {
    get: (target, name) =>
      typeof name === "string"
        ? target[name.replace(/@[^/]*$/, "")] ?? target[name] ??
          deniedNamespace(name)
        : undefined,
  });
}

async function load(
  message: LoadMessage,
  host: Record<string, unknown>,
): Promise<Instance> {
  const { js, cores } = message.plugin;
  const url = URL.createObjectURL(new Blob([js], { type: "text/javascript" }));
  try {
    const glue = await import(url) as { instantiate: Instantiate };
    return await glue.instantiate((name) => {
      const bytes = cores[name];
      if (!bytes) throw new Error(`missing core module "${name}"`);
      return WebAssembly.compile(limitMemory(bytes, message.maxMemoryPages));
    }, importsFor(host));
  } finally {
    URL.revokeObjectURL(url);
  }
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A plugin-error thrown by the glue for `result<_, plugin-error>` exports. */
function isPluginError(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    !(value instanceof Error) &&
    "code" in value && "message" in value;
}

async function call(
  instance: Instance,
  message: CallMessage,
): Promise<DoneMessage> {
  // jco names interfaces in camelCase (`channel-meta` → `channelMeta`).
  const iface = instance[message.iface] ?? instance[camel(message.iface)];
  const exported = iface?.[camel(message.fn)];
  if (typeof exported !== "function") {
    const error = `the plugin does not export "${message.iface}.${message.fn}"`;
    return { type: "done", id: message.id, ok: false, error };
  }
  try {
    const value = await exported(...message.args);
    return { type: "done", id: message.id, ok: true, value };
  } catch (error) {
    if (isPluginError(error)) {
      return { type: "done", id: message.id, ok: false, pluginError: error };
    }
    return { type: "done", id: message.id, ok: false, error: describe(error) };
  }
}

/**
 * Starts serving: `post` sends to the gateway; the returned function takes
 * each message from it. Hides Node's `process` first: the glue probes
 * `process.env`, and a plugin has no environment.
 */
export function serveSandbox(
  post: (message: FromSandbox) => void,
): (message: ToSandbox) => Promise<void> {
  Object.defineProperty(globalThis, "process", { value: undefined });
  const pending = new Map<number, (m: HostReplyMessage) => void>();
  const host = hostImports(pending, post);
  let instance: Promise<Instance> | undefined;
  return async (message) => {
    if (message.type === "host-reply") {
      const settle = pending.get(message.id);
      pending.delete(message.id);
      return settle?.(message);
    }
    if (message.type === "load") {
      instance = load(message, host);
      try {
        await instance;
        post({ type: "done", id: 0, ok: true });
      } catch (error) {
        post({ type: "done", id: 0, ok: false, error: describe(error) });
      }
      return;
    }
    if (!instance) {
      return post({
        type: "done",
        id: message.id,
        ok: false,
        error: "not loaded",
      });
    }
    post(await call(await instance, message));
  };
}
