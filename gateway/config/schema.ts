/**
 * The zod schema of the whole config and the typed {@linkcode CaraConfig}
 * it produces (defaults applied). Sections the gateway does not use yet
 * are accepted as objects and kept as written.
 *
 * @module
 */
import { z } from "zod";
import { looseObject, section } from "./schema/_types.ts";
import {
  agentsSchema,
  classifierSchema,
  routesSchema,
} from "./schema/agents.ts";
import { gatewaySchema } from "./schema/gateway.ts";
import { pluginsSchema } from "./schema/plugins.ts";
import {
  cronSchema,
  filesystemSchema,
  loggingSchema,
  sessionsSchema,
  usageSchema,
} from "./schema/sections.ts";

const LOOSE_SECTIONS = [
  "meta",
  "env",
  "wizard",
  "diagnostics",
  "update",
  "browser",
  "ui",
  "auth",
  "models",
  "nodeHost",
  "tools",
  "bindings",
  "broadcast",
  "audio",
  "media",
  "messages",
  "commands",
  "approvals",
  "session",
  "hooks",
  "web",
  "channels",
  "discovery",
  "canvasHost",
  "talk",
  "anthropic",
  "openai",
  "codex",
  "google",
  "nearai",
  "providers",
  "bedrock",
  "venice",
  "signal",
  "telegram",
  "discord",
  "slack",
  "matrix",
  "vertex",
  "claudeCli",
] as const;

const TYPED_SECTIONS = [
  "gateway",
  "logging",
  "agents",
  "routes",
  "sessions",
  "usage",
  "cron",
  "filesystem",
  "plugins",
  "classifier",
] as const;

/** Every top-level key the config knows; others load with a warning. */
export const KNOWN_TOP_LEVEL_KEYS: readonly string[] = [
  ...TYPED_SECTIONS,
  ...LOOSE_SECTIONS,
];

const looseSection = looseObject().optional();
const looseShape = Object.fromEntries(
  LOOSE_SECTIONS.map((key) => [key, looseSection]),
) as Record<
  (typeof LOOSE_SECTIONS)[number],
  z.ZodOptional<ReturnType<typeof looseObject>>
>;

/** The zod schema of the config file (after includes, substitution and decryption). */
export const configSchema = section({
  ...looseShape,
  gateway: gatewaySchema,
  logging: loggingSchema,
  agents: agentsSchema,
  routes: routesSchema,
  sessions: sessionsSchema,
  usage: usageSchema,
  cron: cronSchema,
  filesystem: filesystemSchema,
  plugins: pluginsSchema,
  classifier: classifierSchema.default({}),
}).superRefine((config, ctx) => {
  const routes = Object.keys(config.routes);
  const checkRoute = (route: string | undefined, path: (string | number)[]) => {
    if (route !== undefined && !routes.includes(route)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path,
        message: `expected a route defined under "routes" (${
          routes.join(", ") || "none defined"
        })`,
      });
    }
  };
  checkRoute(config.agents.defaults.route, ["agents", "defaults", "route"]);
  const seen = new Set<string>();
  config.agents.list.forEach((agent, i) => {
    checkRoute(agent.route, ["agents", "list", i, "route"]);
    if (seen.has(agent.id)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["agents", "list", i, "id"],
        message: "expected a unique agent id, this one is used twice",
      });
    }
    seen.add(agent.id);
  });
  if (Object.hasOwn(config.sessions, "retentionDays")) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["sessions", "retentionDays"],
      message: `this key was removed; use "sessions.retention.days"`,
    });
  }
});

/** The validated config with defaults applied. */
export type CaraConfig = z.output<typeof configSchema>;
