/**
 * The `gateway` section: listener, auth, reload, hooks, control, WS limits, TLS.
 *
 * @module
 */
import type { z } from "zod";
import {
  bool,
  int,
  looseObject,
  oneOf,
  positive,
  secret,
  section,
  str,
  strList,
} from "./_types.ts";

/** Reload modes after alias resolution. */
export type ReloadMode = "hot" | "hybrid" | "off";

const RELOAD_ALIASES: Readonly<Record<string, ReloadMode>> = {
  hot: "hot",
  hybrid: "hybrid",
  off: "off",
  none: "off",
  disabled: "off",
};

/** `hot|hybrid|off` plus the aliases `none`/`disabled`; `null` for anything else. */
export function reloadModeOf(value: string): ReloadMode | null {
  return RELOAD_ALIASES[value.trim().toLowerCase()] ?? null;
}

/** Bind names the gateway understands besides a literal IP or host name. */
export const BIND_NAMES: readonly string[] = [
  "loopback",
  "localhost",
  "local",
  "lan",
  "local-network",
  "tailnet",
  "tailscale",
  "ts",
  "auto",
  "all",
];

/** `/hooks/` → `/hooks`, `hooks` → `/hooks`. */
export function normalizeHooksPath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, "");
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

const auth = section({
  mode: oneOf(["none", "local", "token", "password"]).optional(),
  token: secret().optional(),
  password: secret().optional(),
  allowTailscale: bool().optional(),
}).default({});

const reload = section({
  // Unknown modes turn watching off; the validator reports them as a warning.
  mode: str(`one of "hot", "hybrid", "off"`).transform((v) =>
    reloadModeOf(v) ?? "off"
  )
    .default("hybrid"),
  debounceMs: int(1).default(300),
}).default({});

const hooks = section({
  enabled: bool().default(false),
  token: secret().optional(),
  path: str('a URL path such as "/hooks"').transform(normalizeHooksPath)
    .refine((v) => v !== "/", {
      message: `expected a path other than "/", such as "/hooks"`,
    })
    .default("/hooks"),
  maxBodyBytes: int(1).default(262144),
}).default({});

const controlUi = section({
  enabled: bool().default(false),
  basePath: str().default(""),
  path: str("a directory path").optional(),
  allowInsecureAuth: bool().default(false),
  dangerouslyDisableDeviceAuth: bool().default(false),
}).default({});

const ws = section({
  messageRate: positive().default(60),
  messageBurst: positive().default(120),
  maxConnections: int(1).default(1024),
  maxPerIp: int(1).default(32),
  maxJsonDepth: int(1, 1024).default(32),
}).default({});

const tls = section({
  enabled: bool().default(false),
  certPath: str("a file path").optional(),
  keyPath: str("a file path").optional(),
  autoGenerate: bool().default(true),
}).default({});

/** Schema of `gateway`. */
export const gatewaySchema = section({
  port: int(1, 65535).default(18789),
  bind: str(`a bind name (${BIND_NAMES.join(", ")}) or an IP address`).min(
    1,
    "expected a non-empty bind name",
  ).default("loopback"),
  auth,
  reload,
  hooks,
  control: section({ enabled: bool().default(false) }).default({}),
  controlUi,
  openai: section({
    chatCompletions: bool().default(false),
    responses: bool().default(false),
  }).default({}),
  ws,
  tls,
  trustedProxies: strList("an array of IP addresses").default([]),
  tailscale: looseObject().optional(),
  mtls: looseObject().optional(),
  remote: looseObject().optional(),
  nodes: looseObject().optional(),
}).default({});

/** The validated `gateway` section. */
export type GatewayConfig = z.output<typeof gatewaySchema>;
