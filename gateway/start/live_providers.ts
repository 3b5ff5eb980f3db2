/**
 * A provider registry that follows config reloads: it is rebuilt when the
 * config in force changes, and a rebuild that yields no provider keeps the
 * last registry that had some (ops-and-security.md §9).
 *
 * @module
 */
import type { CaraConfig } from "../config/mod.ts";
import type { Env } from "../config/paths.ts";
import {
  createProviderRegistry,
  type ProviderRegistry,
} from "../providers/registry.ts";

/** Options of {@linkcode liveProviders}. */
export interface LiveProvidersOptions {
  config: () => CaraConfig;
  env: Env;
  /** Called when a reload produced no provider and the previous set stays. */
  onKeptPrevious?: () => void;
}

/** A {@linkcode ProviderRegistry} view over whichever registry matches the current config. */
export function liveProviders(options: LiveProvidersOptions): ProviderRegistry {
  let builtFor: CaraConfig | undefined;
  let registry: ProviderRegistry | undefined;
  const current = (): ProviderRegistry => {
    const config = options.config();
    if (registry !== undefined && builtFor === config) return registry;
    const next = createProviderRegistry(config, options.env);
    const keep = registry !== undefined && next.configured().length === 0 &&
      registry.configured().length > 0;
    if (keep) options.onKeptPrevious?.();
    else registry = next;
    builtFor = config;
    return registry!;
  };
  return {
    resolve: (ref) => current().resolve(ref),
    configured: () => current().configured(),
    whyNotConfigured: (id) => current().whyNotConfigured(id),
    listModels: (signal) => current().listModels(signal),
  };
}
