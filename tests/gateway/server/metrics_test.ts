import { assert, assertEquals, assertThrows } from "../../_helpers.ts";
import { createGatewayMetrics } from "../../../gateway/server/gateway_metrics.ts";
import { MetricsRegistry } from "../../../gateway/server/metrics.ts";

Deno.test("MetricsRegistry.render() prints HELP, TYPE and escaped label series", () => {
  const registry = new MetricsRegistry();
  const requests = registry.counter("demo_total", "Demo", ["path"]);
  requests.inc({ path: 'a"b\\c\nd' });
  requests.inc({ path: 'a"b\\c\nd' }, 2);
  registry.gauge("demo_plain", "Plain").set(4.5);
  assertEquals(
    registry.render(),
    '# HELP demo_total Demo\n# TYPE demo_total counter\ndemo_total{path="a\\"b\\\\c\\nd"} 3\n' +
      "# HELP demo_plain Plain\n# TYPE demo_plain gauge\ndemo_plain 4.5\n",
  );
});

Deno.test("MetricsRegistry rejects duplicate names, bad names and decreasing counters", () => {
  const registry = new MetricsRegistry();
  const counter = registry.counter("x_total", "x");
  assertThrows(() => registry.counter("x_total", "again"), TypeError);
  assertThrows(() => registry.gauge("bad-name", "x"), TypeError);
  assertThrows(() => counter.inc(undefined, -1), RangeError);
});

Deno.test("MetricsRegistry caps the number of series per family", () => {
  const registry = new MetricsRegistry();
  const counter = registry.counter("many_total", "x", ["id"]);
  for (let index = 0; index < 2000; index++) counter.inc({ id: String(index) });
  assert(
    registry.render().split("\n").filter((line) =>
      line.startsWith("many_total{")
    ).length <= 500,
  );
});

Deno.test("createGatewayMetrics() registers the protocol metric names with build info and uptime", () => {
  let now = 1000;
  const metrics = createGatewayMetrics({
    version: "1.2.3",
    commit: "deadbee",
    clock: () => now,
  });
  now += 65_400;
  metrics.httpRequests.inc({ method: "GET", status: "200" });
  const text = metrics.registry.render();
  for (
    const name of [
      "carapace_http_requests_total",
      "carapace_ws_connections_active",
      "carapace_ws_messages_total",
      "carapace_agent_runs_total",
      "carapace_agent_tokens_total",
      "carapace_sessions_active",
      "carapace_cron_executions_total",
      "carapace_rate_limit_hits_total",
      "carapace_ws_broadcast_drops_total",
      "carapace_build_info",
      "carapace_uptime_seconds",
    ]
  ) assert(text.includes(`# TYPE ${name} `), name);
  assert(
    text.includes(
      'carapace_http_requests_total{method="GET",status="200"} 1\n',
    ),
  );
  assert(
    text.includes('carapace_build_info{version="1.2.3",commit="deadbee"} 1\n'),
  );
  assert(text.includes("carapace_uptime_seconds 65\n"));
  assert(text.includes("carapace_ws_connections_active 0\n"));
  assert(text.includes("carapace_rate_limit_hits_total 0\n"));
});
