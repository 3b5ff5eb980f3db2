/**
 * `POST /tools/invoke` (protocol.md §10): runs one tool of the tool registry
 * outside an agent turn. Service auth, body cap `gateway.hooks.maxBodyBytes`,
 * body `{tool, action?, args?, sessionKey?, dryRun?}`; answers 200
 * `{ok:true, result}`, 404 `{ok:false, error:{type:"not_found"}}`, 400
 * `{ok:false, error:{type:"tool_error"}}`.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { Tool } from "../agent/types.ts";
import type { CaraConfig } from "../config/mod.ts";
import { readJsonBody } from "../openai_compat/json_body.ts";
import type { GatewayEnv } from "../server/client_address.ts";

/** Collaborators of {@linkcode toolsHttpRoutes}. */
export interface ToolsHttpDeps {
  config: () => CaraConfig;
  /** The tools an HTTP caller may invoke (already filtered by policy). */
  tools: () => readonly Tool[];
  /** Service auth; answers 401 itself. */
  auth: MiddlewareHandler<GatewayEnv>;
  /** How long one tool may run (default 60 s). */
  timeoutMs?: number;
}

type Problem = { status: 400 | 404 | 413; type: string; message: string };

function refuse(c: Context<GatewayEnv>, p: Problem) {
  return c.json(
    { ok: false, error: { type: p.type, message: p.message } },
    p.status,
  );
}

function defaultAgentId(config: CaraConfig): string {
  const list = config.agents.list;
  return (list.find((a) => a.default === true) ?? list[0])?.id ?? "main";
}

/**
 * Adds `POST /tools/invoke`.
 *
 * @example
 * ```ts
 * toolsHttpRoutes({ config, tools: () => registry.list(), auth })(app);
 * ```
 */
export function toolsHttpRoutes(
  deps: ToolsHttpDeps,
): (app: Hono<GatewayEnv>) => void {
  const timeoutMs = deps.timeoutMs ?? 60_000;
  return (app) => {
    app.post("/tools/invoke", deps.auth, async (c) => {
      const config = deps.config();
      const body = await readJsonBody(
        c.req.raw,
        config.gateway.hooks.maxBodyBytes,
      );
      if (!body.ok) {
        return refuse(c, { ...body.problem, type: "invalid_request" });
      }
      const { tool: name, action, args, sessionKey, dryRun } = body.value;
      if (typeof name !== "string" || name === "") {
        return refuse(c, {
          status: 400,
          type: "invalid_request",
          message:
            `Cannot invoke a tool: "tool" is required, e.g. {"tool":"web_fetch","args":{…}}`,
        });
      }
      if (
        args !== undefined &&
        (typeof args !== "object" || args === null || Array.isArray(args))
      ) {
        return refuse(c, {
          status: 400,
          type: "invalid_request",
          message: `Cannot invoke tool "${name}": "args" must be an object`,
        });
      }
      const tool = deps.tools().find((t) => t.name === name);
      if (tool === undefined) {
        return refuse(c, {
          status: 404,
          type: "not_found",
          message: `Cannot invoke tool "${
            name.slice(0, 100)
          }": no such tool; available: ${
            deps.tools().map((t) => t.name).join(", ") || "(none)"
          }`,
        });
      }
      const input = {
        ...(args as Record<string, unknown> | undefined),
        ...(typeof action === "string" ? { action } : {}),
      };
      if (dryRun === true) {
        return c.json({
          ok: true,
          result: { dryRun: true, tool: name, input },
        });
      }
      const signal = AbortSignal.any([
        c.req.raw.signal,
        AbortSignal.timeout(timeoutMs),
      ]);
      try {
        const output = await tool.run(input, {
          agentId: defaultAgentId(config),
          sessionKey: typeof sessionKey === "string" && sessionKey !== ""
            ? sessionKey
            : "http:tools",
          runId: `tools-${crypto.randomUUID()}`,
          signal,
        });
        if (output.isError === true) {
          return refuse(c, {
            status: 400,
            type: "tool_error",
            message: output.content,
          });
        }
        return c.json({ ok: true, result: output.content });
      } catch (error) {
        if (
          !(error instanceof Error) || !signal.aborted && !("code" in error)
        ) throw error;
        return refuse(c, {
          status: 400,
          type: "tool_error",
          message: signal.aborted
            ? `Tool "${name}" did not finish: timed out after ${timeoutMs} ms or the request was cancelled`
            : error.message,
        });
      }
    });
  };
}
