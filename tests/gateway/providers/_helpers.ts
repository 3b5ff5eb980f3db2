/**
 * Helpers for the provider tests: a validated config from a partial raw one.
 *
 * @module
 */
import {
  type CaraConfig,
  configSchema,
} from "../../../gateway/config/schema.ts";

/** The config `raw` validates to (defaults applied); throws on a schema error. */
export function configOf(raw: Record<string, unknown> = {}): CaraConfig {
  return configSchema.parse(raw);
}
