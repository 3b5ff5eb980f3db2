import { assertEquals } from "../../_helpers.ts";
import {
  API_CSP,
  HSTS,
  PAGE_CSP,
} from "../../../gateway/server/security_headers.ts";
import { testApp } from "./_helpers.ts";

const EXPECTED_COMMON = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-xss-protection": "1; mode=block",
  "permissions-policy":
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
};

function assertCommon(res: Response): void {
  for (const [name, value] of Object.entries(EXPECTED_COMMON)) {
    assertEquals(res.headers.get(name), value, name);
  }
}

Deno.test("securityHeaders() sends the protocol headers and the API CSP on JSON routes", async () => {
  const { app } = testApp();
  for (const path of ["/health", "/metrics", "/nope"]) {
    const res = await app.request(path);
    await res.body?.cancel();
    assertCommon(res);
    assertEquals(res.headers.get("content-security-policy"), API_CSP);
    assertEquals(
      res.headers.get("content-security-policy"),
      "default-src 'none'; frame-ancestors 'none'",
    );
    assertEquals(res.headers.get("strict-transport-security"), null);
  }
});

Deno.test("securityHeaders() sends the page CSP on HTML responses", async () => {
  const { app } = testApp({
    routes: (app) => app.get("/ui", (c) => c.html("<p>hi</p>")),
  });
  const res = await app.request("/ui");
  assertEquals(await res.text(), "<p>hi</p>");
  assertCommon(res);
  assertEquals(
    res.headers.get("content-security-policy"),
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' wss: ws:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  );
  assertEquals(res.headers.get("content-security-policy"), PAGE_CSP);
});

Deno.test("securityHeaders() adds HSTS only when the listener uses TLS", async () => {
  const res = await testApp({ tls: true }).app.request("/health");
  await res.body?.cancel();
  assertEquals(
    res.headers.get("strict-transport-security"),
    "max-age=31536000; includeSubDomains",
  );
  assertEquals(HSTS, "max-age=31536000; includeSubDomains");
  assertCommon(res);
});

Deno.test("securityHeaders() also covers errors and responses with immutable headers", async () => {
  const { app } = testApp({
    routes: (app) => {
      app.get("/boom", () => {
        throw new Error("kaput");
      });
      app.get(
        "/redirect",
        () => Response.redirect("http://127.0.0.1/elsewhere", 302),
      );
    },
  });
  const boom = await app.request("/boom");
  await boom.body?.cancel();
  assertEquals(boom.status, 500);
  assertCommon(boom);
  const redirect = await app.request("/redirect");
  assertEquals(redirect.status, 302);
  assertCommon(redirect);
  assertEquals(redirect.headers.get("location"), "http://127.0.0.1/elsewhere");
});
