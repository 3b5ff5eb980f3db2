/**
 * The built-in tool set the composition root hands to the run service:
 * `time` and `current_time`, `config_read`, `math_eval`, `web_fetch`,
 * `memory_read|write|list`, `session_list|read`, and the filesystem tools
 * when `filesystem.enabled`.
 *
 * @module
 */
import type { Tool } from "../agent/types.ts";
import type { CaraConfig } from "../config/schema.ts";
import type { SessionStore } from "../state/mod.ts";
import { configReadTool } from "./config_read.ts";
import { currentTimeTool } from "./current_time.ts";
import { filesystemTools } from "./fs_tools.ts";
import { mathEvalTool } from "./math_eval.ts";
import { memoryTools } from "./memory_tools.ts";
import { sessionTools } from "./session_tools.ts";
import { type WebFetchOptions, webFetchTool } from "./web_fetch.ts";

/** Options of {@linkcode builtinTools}. */
export interface BuiltinToolsOptions {
  config: CaraConfig;
  /** The config in force, for `config_read` (default: `config`). */
  currentConfig?: () => CaraConfig;
  sessions: SessionStore;
  /** `<state dir>/memory` (gateway/config/paths resolveMemoryDir). */
  memoryDir: string;
  webFetch?: WebFetchOptions;
}

/**
 * Builds the built-in tools (the filesystem config is read once: a restart
 * applies changes, as config.md says).
 *
 * @example
 * ```ts
 * const tools = builtinTools({ config, sessions: state.sessions, memoryDir: resolveMemoryDir(env) });
 * ```
 */
export function builtinTools(options: BuiltinToolsOptions): Tool[] {
  return [
    currentTimeTool(),
    currentTimeTool({ name: "time" }),
    configReadTool({ config: options.currentConfig ?? (() => options.config) }),
    mathEvalTool(),
    webFetchTool(options.webFetch),
    ...memoryTools({ dir: options.memoryDir }),
    ...sessionTools({ sessions: options.sessions }),
    ...filesystemTools(options.config.filesystem),
  ];
}
