/**
 * `cara pair <URL>` (cli.md §4): register this machine as a node of a
 * gateway (node.pair.request, then self-approval with node.pair.approve) and
 * keep the node token in `<state dir>/pairing.json` (0600, atomic).
 *
 * @module
 */
import { join } from "node:path";
import { Command } from "@commander-js/extra-typings";
import { resolveStateDir } from "../gateway/config/paths.ts";
import { writePrivateFile } from "../gateway/credentials/private_file.ts";
import { openGatewaySession } from "./client/gateway_session.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { BUILD_INFO } from "../gateway/build_info.ts";

/**
 * Checks a gateway URL: http/https, no user info; returns host, port, TLS and
 * the `scheme://host:port` form that is shown and stored.
 */
export function parsePairUrl(
  text: string,
): { host: string; port: number; tls: boolean; origin: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(
      `Cannot pair with "${text}": it is not a URL; use e.g. https://gw.example.net:18789`,
    );
  }
  const authority = text.replace(/^[a-z]+:\/\//i, "").split(/[/?#]/)[0] ?? "";
  if (url.username || url.password || authority.includes("@")) {
    throw new CliError(
      `Cannot pair with "${url.protocol}//…": the URL must not contain a user name or password`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(
      `Cannot pair with "${text}": expected an http:// or https:// URL`,
    );
  }
  const tls = url.protocol === "https:";
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return {
    host,
    port,
    tls,
    origin: `${url.protocol}//${url.hostname}:${port}`,
  };
}

/** `cara pair <URL> [--name NAME] [--trust] [--allow-plaintext]`. */
export function pairCommand(ctx: CliContext): Command<
  [string],
  { name?: string; trust?: true; allowPlaintext?: true }
> {
  return new Command("pair")
    .description("pair this machine with a gateway as a node")
    .argument("<url>", "gateway URL, e.g. https://gw.example.net:18789")
    .option("--name <name>", "device name (default: $HOSTNAME)")
    .option("--trust", "with https: pin the gateway's certificate on first use")
    .option("--allow-plaintext", "allow http:// to a non-loopback host")
    .addHelpText(
      "after",
      "\nExamples:\n  cara pair http://127.0.0.1:18789\n  cara pair https://gw.example.net:18789 --name laptop --trust\n",
    )
    .action(async (urlText, options) => {
      const target = parsePairUrl(urlText);
      const name = options.name?.trim() || ctx.env.HOSTNAME?.trim() ||
        "unknown";
      await using client = await openGatewaySession(ctx, {
        host: target.host,
        port: target.port,
        ...(target.tls ? { tls: true as const } : {}),
        ...(options.trust ? { trust: true as const } : {}),
        ...(options.allowPlaintext ? { allowPlaintext: true as const } : {}),
      }, { role: "operator", scopes: ["operator.pairing"], requireAuth: true });
      const nodeId = `node-${crypto.randomUUID()}`;
      const requested = await client.request("node.pair.request", {
        nodeId,
        displayName: name,
        platform: Deno.build.os,
        version: BUILD_INFO.version,
        silent: false,
      }, "pair-1") as { request?: { requestId?: unknown } };
      const requestId = requested.request?.requestId;
      if (typeof requestId !== "string") {
        throw new CliError(
          "node.pair.request failed: the gateway returned no requestId",
        );
      }
      const approved = await client.request(
        "node.pair.approve",
        { requestId },
        "pair-2",
      ) as {
        node?: { token?: unknown };
      };
      const token = approved.node?.token;
      if (typeof token !== "string") {
        throw new CliError(
          "node.pair.approve failed: the gateway returned no node token",
        );
      }
      const path = join(resolveStateDir(ctx.env), "pairing.json");
      await writePrivateFile(
        path,
        `${
          JSON.stringify(
            {
              node_id: nodeId,
              gateway_url: target.origin,
              device_name: name,
              token,
              paired_at: new Date().toISOString(),
            },
            null,
            2,
          )
        }\n`,
      );
      ctx.io.out(
        `Paired with ${target.origin}
  Node ID:    ${nodeId}
  Node token: saved in ${path} (not shown)
`,
      );
    });
}
