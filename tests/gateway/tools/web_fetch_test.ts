import { assert, assertMatch, assertRejects } from "../../_helpers.ts";
import { webFetchTool } from "../../../gateway/tools/web_fetch.ts";
import { startHttpPeer } from "../../fakes/http_peer.ts";
import { runTool } from "./_helpers.ts";

Deno.test("webFetchTool() refuses loopback and private addresses", async () => {
  await using peer = startHttpPeer();
  const tools = [webFetchTool({ timeoutMs: 2000 })];
  await assertRejects(() =>
    runTool(tools, "web_fetch", { url: `${peer.origin}/echo` })
  );
  await assertRejects(() =>
    runTool(tools, "web_fetch", { url: "http://10.0.0.1/" })
  );
  assert(peer.hits("/echo") === 0);
});

Deno.test("webFetchTool() returns text and checks every redirect hop again", async () => {
  await using peer = startHttpPeer();
  peer.serveFile("page.html", new TextEncoder().encode("<p>a &amp; b</p>"));
  const trusted = webFetchTool({
    timeoutMs: 2000,
    ssrf: { trustedAddresses: ["127.0.0.1"] },
  });
  const output = await runTool([trusted], "web_fetch", {
    url: `${peer.origin}/echo`,
  });
  assertMatch(output.content, /^Status 200/);
  const page = await runTool([trusted], "web_fetch", {
    url: `${peer.origin}/file/page.html`,
  });
  assertMatch(page.content, /a & b|<p>a &amp; b<\/p>/);
  const hop = encodeURIComponent("http://10.0.0.1/");
  await assertRejects(
    () =>
      runTool([trusted], "web_fetch", {
        url: `${peer.origin}/redirect?to=${hop}`,
      }),
  );
  assert(peer.hits("/redirect") === 1);
});
