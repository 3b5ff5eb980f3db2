/**
 * The built-in tool set the composition root hands to the run service:
 * `current_time`, `math_eval`, `web_fetch`, `memory_read|write|list`,
 * `session_list|read`, and the filesystem tools when `filesystem.enabled`.
 *
 * @module
 */
import type { Tool } from "../agent/types.ts";
import type { CaraConfig } from "../config/schema.ts";
import type { SessionStore } from "../state/mod.ts";
import { currentTimeTool } from "./current_time.ts";
import { filesystemTools } from "./fs_tools.ts";
import { mathEvalTool } from "./math_eval.ts";
import { memoryTools } from "./memory_tools.ts";
import { sessionTools } from "./session_tools.ts";
import { type WebFetchOptions, webFetchTool } from "./web_fetch.ts";

/** Options of {@linkcode builtinTools}. */
export interface BuiltinToolsOptions {
  config: CaraConfig;
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
    mathEvalTool(),
    webFetchTool(options.webFetch),
    ...memoryTools({ dir: options.memoryDir }),
    ...sessionTools({ sessions: options.sessions }),
    ...filesystemTools(options.config.filesystem),
  ];
}
