/**
 * The CLI against the real gateway, the way users run both: `cara start` as a
 * child process, then `cara logs`, `cara pair` and `cara status` over
 * plaintext loopback and over TLS with a pinned self-signed certificate.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";
import { spawnGateway } from "./_gateway_process.ts";

const TOKEN = "cli-e2e-token-0123456789abcdef";

function env(dir: string): Record<string, string> {
  return isolatedEnv(dir, {
    CARAPACE_GATEWAY_TOKEN: TOKEN,
    CARAPACE_CREDENTIAL_STORE: "none",
  });
}

Deno.test("cara logs reads the running gateway's log over the WebSocket protocol", async () => {
  using dir = tempDir();
  await using gateway = await spawnGateway(
    ["start", "--port", "0", "-q"],
    env(dir.path),
  );
  const result = await runCaraInProcess([
    "logs",
    "-n",
    "20",
    "--port",
    String(gateway.port),
  ], env(dir.path));
  assertEquals(result.code, 0, result.stderr);
  assertMatch(
    result.stdout,
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[info\] gateway: Gateway listening/m,
  );
});

Deno.test("cara pair registers this CLI as a node of the running gateway", async () => {
  using dir = tempDir();
  await using gateway = await spawnGateway(
    ["start", "--port", "0", "-q"],
    env(dir.path),
  );
  const result = await runCaraInProcess(
    ["pair", gateway.url, "--name", "e2e"],
    env(dir.path),
  );
  assertEquals(result.code, 0, result.stderr);
  const pairing = JSON.parse(
    await Deno.readTextFile(`${dir.path}/pairing.json`),
  );
  assertEquals(pairing.device_name, "e2e");
  assertEquals(pairing.gateway_url, gateway.url);
  assertEquals(
    (await Deno.stat(`${dir.path}/pairing.json`)).mode! & 0o777,
    0o600,
  );
});

Deno.test("cara logs --tls --trust pins the gateway's self-signed certificate and reuses the pin", async () => {
  using dir = tempDir();
  await Deno.writeTextFile(
    `${dir.path}/carapace.json5`,
    `{ gateway: { tls: { enabled: true } } }`,
  );
  await using gateway = await spawnGateway(
    ["start", "--port", "0", "-q"],
    env(dir.path),
  );
  assert(gateway.url.startsWith("https://"), gateway.url);
  const port = String(gateway.port);

  const untrusted = await runCaraInProcess(
    ["logs", "--tls", "--port", port],
    env(dir.path),
  );
  assertEquals(untrusted.code, 1);

  const trusted = await runCaraInProcess([
    "logs",
    "--tls",
    "--trust",
    "--port",
    port,
  ], env(dir.path));
  assertEquals(trusted.code, 0, trusted.stderr);
  assertMatch(trusted.stdout, /Gateway listening/);
  const pins = await Deno.readTextFile(`${dir.path}/known_gateways.json`);
  assert(pins.includes(port));

  const again = await runCaraInProcess(
    ["logs", "--tls", "--port", port],
    env(dir.path),
  );
  assertEquals(again.code, 0, again.stderr);
});

Deno.test("cara status shows the control status of a gateway with the control API enabled", async () => {
  using dir = tempDir();
  await Deno.writeTextFile(
    `${dir.path}/carapace.json5`,
    `{ gateway: { control: { enabled: true } } }`,
  );
  await using gateway = await spawnGateway(
    ["start", "--port", "0", "-q"],
    env(dir.path),
  );
  const text = await runCaraInProcess([
    "status",
    "--port",
    String(gateway.port),
  ], env(dir.path));
  assertEquals(text.code, 0, text.stderr);
  assertMatch(text.stdout, /^Channels: 0\/0$/m);
  assertMatch(
    text.stdout,
    new RegExp(`^Platform: ${Deno.build.os} \\(${Deno.build.arch}\\)$`, "m"),
  );
  const json = await runCaraInProcess([
    "status",
    "--port",
    String(gateway.port),
    "--json",
  ], env(dir.path));
  assertEquals(JSON.parse(json.stdout).controlStatus.ok, true);
});
