/**
 * The `agents`, `routes` and `classifier` sections.
 *
 * @module
 */
import { z } from "zod";
import {
  bool,
  int,
  looseObject,
  nonEmpty,
  oneOf,
  section,
  str,
  strList,
} from "./_types.ts";
import { modelRef } from "./model_ref.ts";

const ROUTE_ID = /^[a-z][a-z0-9-]*$/;

/** A route id such as `fast` or `deep-research`. */
function routeId() {
  return str("a route id").regex(
    ROUTE_ID,
    `expected a route id matching ${ROUTE_ID}`,
  );
}

/** Schema of `classifier` (top level and `agents.defaults.classifier`). */
export const classifierSchema = section({
  enabled: bool().default(false),
  mode: oneOf(["off", "warn", "block"]).default("off"),
  model: modelRef().optional(),
  blockThreshold: z.number({
    invalid_type_error: "expected a number from 0 to 1",
  })
    .min(0, "expected a number from 0 to 1").max(
      1,
      "expected a number from 0 to 1",
    )
    .default(0.8),
});

const sandbox = section({
  enabled: bool().default(true),
  max_cpu_seconds: int(1).default(30),
  max_memory_mb: int(1).default(512),
  max_fds: int(1).default(256),
  max_processes: int(1).default(32),
  allowed_paths: strList().default([
    "/tmp",
    "/usr/bin",
    "/usr/local/bin",
    "/bin",
  ]),
  network_access: bool().default(false),
  env_filter: strList().default([]),
});

const promptGuard = section({
  enabled: bool().default(false),
  preflight: section({
    enabled: bool().default(true),
    detect_injection: bool().default(true),
    detect_privilege_escalation: bool().default(true),
    detect_exfiltration: bool().default(true),
  }).default({}),
  tagging: section({ enabled: bool().default(true) }).default({}),
  postflight: section({
    enabled: bool().default(true),
    block_pii: bool().default(true),
    block_credentials: bool().default(true),
    custom_patterns: strList().default([]),
  }).default({}),
  config_lint: section({ enabled: bool().default(true) }).default({}),
});

const agentTools = section({
  policy: oneOf(["allow-all", "allow-list", "deny-list"]).default("allow-all"),
  list: strList().default([]),
});

const defaults = section({
  model: modelRef().optional(),
  route: routeId().optional(),
  maxConcurrent: int(1).default(4),
  timeoutSeconds: int(1).default(300),
  contextTokens: int(1).default(200000),
  thinkingDefault: oneOf(["off", "on", "auto"]).default("off"),
  verboseDefault: oneOf(["off", "on"]).default("off"),
  blockStreamingDefault: oneOf(["off", "on"]).default("off"),
  subagents: section({
    maxConcurrent: int(1).default(8),
    archiveAfterMinutes: int(1).default(60),
  }).default({}),
  compaction: section({ mode: str().default("safeguard") }).default({}),
  sandbox: sandbox.default({}),
  classifier: classifierSchema.optional(),
  tools: looseObject().optional(),
}).default({});

const agent = section({
  id: nonEmpty("a non-empty agent id"),
  default: bool().optional(),
  identity: section({
    name: str().optional(),
    description: str().optional(),
    avatar: str().optional(),
  }).optional(),
  route: routeId().optional(),
  model: modelRef().optional(),
  system: str().optional(),
  maxTurns: int(1).default(25),
  maxTokens: int(1).default(8192),
  temperature: z.number({ invalid_type_error: "expected a number" }).min(0).max(
    2,
  ).optional(),
  deliver: bool().default(true),
  tools: agentTools.optional(),
  toolPolicy: str().optional(),
  exfiltrationGuard: bool().default(false),
  promptGuard: promptGuard.optional(),
  outputSanitizer: looseObject().optional(),
  sandbox: sandbox.optional(),
  classifier: classifierSchema.optional(),
});

/** Schema of `agents`. */
export const agentsSchema = section({
  defaults,
  list: z.array(agent, { invalid_type_error: "expected an array of agents" })
    .default([]),
  promptGuard: promptGuard.default({}),
  outputSanitizer: section({
    sanitizeHtml: bool().optional(),
    cspPolicy: str().optional(),
  }).optional(),
}).default({});

/** Schema of `routes`: `routes.<id> = { model, label? }`. */
export const routesSchema = z.record(
  routeId(),
  section({ model: modelRef(), label: str().optional() }),
  { invalid_type_error: "expected an object of routes" },
).default({});

/** The validated `agents` section. */
export type AgentsConfig = z.output<typeof agentsSchema>;
