/**
 * The WS methods of features that load on first use, declared as data so the
 * registry (and `hello-ok`) lists them before their code is loaded.
 * tests/gateway/start/lazy_features_test.ts checks each list against the
 * feature's real method definitions.
 *
 * @module
 */

/** The methods of the agent feature, declared for the registry before it loads. */
export const AGENT_FEATURE_METHODS = [
  { name: "agent", scope: "operator.write" },
  { name: "agent.wait", scope: "operator.write" },
  { name: "chat.send", scope: "operator.write" },
  { name: "chat.abort", scope: "operator.write" },
  { name: "chat.history", scope: "operator.read" },
  { name: "agents.list", scope: "operator.read" },
  { name: "agent.identity.get", scope: "operator.read" },
  { name: "models.list", scope: "operator.read" },
  { name: "sessions.list", scope: "operator.read" },
  { name: "sessions.preview", scope: "operator.read" },
  { name: "sessions.load", scope: "operator.read" },
  { name: "sessions.create", scope: "operator.admin" },
  { name: "sessions.fork", scope: "operator.admin" },
  { name: "sessions.rename", scope: "operator.admin" },
  { name: "sessions.patch", scope: "operator.admin" },
  { name: "sessions.reset", scope: "operator.admin" },
  { name: "sessions.delete", scope: "operator.admin" },
  { name: "sessions.compact", scope: "operator.admin" },
  { name: "sessions.archive", scope: "operator.admin" },
  { name: "sessions.restore", scope: "operator.admin" },
  { name: "sessions.switch", scope: "operator.admin" },
  { name: "sessions.archives", scope: "operator.admin" },
  { name: "sessions.archive.delete", scope: "operator.admin" },
  { name: "sessions.export_user", scope: "operator.admin" },
  { name: "sessions.purge_user", scope: "operator.admin" },
  { name: "usage.status", scope: "operator.read" },
  { name: "usage.cost", scope: "operator.read" },
  { name: "usage.session", scope: "operator.read" },
  { name: "usage.providers", scope: "operator.read" },
  { name: "usage.daily", scope: "operator.read" },
  { name: "usage.monthly", scope: "operator.read" },
  { name: "usage.enable", scope: "operator.write" },
  { name: "usage.disable", scope: "operator.write" },
  { name: "usage.reset", scope: "operator.write" },
] as const;

/** The `plugins.*` methods, declared before the plugin feature loads. */
export const PLUGIN_FEATURE_METHODS = [
  { name: "plugins.status", scope: "operator.read" },
  { name: "plugins.bins", scope: "operator.read" },
  { name: "plugins.install", scope: "operator.admin" },
  { name: "plugins.update", scope: "operator.admin" },
] as const;
