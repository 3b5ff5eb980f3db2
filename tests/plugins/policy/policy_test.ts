import { assert, assertEquals } from "../../_helpers.ts";
import {
  globToRegExp,
  matchesAnyGlob,
} from "../../../plugins/policy/url_glob.ts";
import {
  resolveSandbox,
  sandboxSwitchKey,
} from "../../../plugins/policy/sandbox_policy.ts";
import {
  permits,
  resolvePermissions,
} from "../../../plugins/policy/permissions.ts";

Deno.test("globToRegExp() lets * stop at / and ** cross it", () => {
  const one = globToRegExp("https://api.example.com/*");
  assert(one.test("https://api.example.com/v1"));
  assert(!one.test("https://api.example.com/v1/x"));
  const any = globToRegExp("https://api.example.com/**");
  assert(any.test("https://api.example.com/v1/x?y=1"));
  assert(!any.test("https://api.example.com.evil.net/v1"));
  assert(
    !globToRegExp("https://*.example.com/**").test(
      "https://a.b/.example.com/x",
    ),
  );
  assert(
    !globToRegExp("https://api.example.com/v1").test(
      "https://apiXexample.com/v1",
    ),
  );
});

Deno.test("matchesAnyGlob() matches nothing for an empty list", () => {
  assert(!matchesAnyGlob([], "https://example.com/"));
});

Deno.test("resolveSandbox() denies everything by default", () => {
  const grant = resolveSandbox("weather");
  assertEquals([
    grant.enforced,
    grant.http,
    grant.credentials,
    grant.media,
    grant.allowTailscale,
  ], [true, false, false, false, false]);
});

Deno.test("resolveSandbox() lets an override win over defaults per switch", () => {
  const grant = resolveSandbox("weather", {
    defaults: { allow_http: true, allow_media: true },
    overrides: { weather: { allow_http: false, allow_credentials: true } },
  });
  assertEquals([grant.http, grant.credentials, grant.media], [
    false,
    true,
    true,
  ]);
  assertEquals(
    resolveSandbox("other", { overrides: { weather: { allow_http: true } } })
      .http,
    false,
  );
  assertEquals(resolveSandbox("toString", {}).http, false);
});

Deno.test("resolveSandbox() allows everything when the sandbox is disabled", () => {
  const grant = resolveSandbox("weather", { enabled: false });
  assertEquals([grant.enforced, grant.http, grant.credentials, grant.media], [
    false,
    true,
    true,
    true,
  ]);
  assertEquals(
    sandboxSwitchKey("weather", "media"),
    "plugins.sandbox.overrides.weather.allow_media",
  );
});

Deno.test("resolvePermissions() is not enforced unless enabled", () => {
  const p = resolvePermissions("weather", {}, {});
  assert(!p.enforced);
  assert(permits(p, p.httpAllowedUrls, "https://anything.example/"));
  assertEquals(p.httpRequestsPerMinute, 100);
});

Deno.test("resolvePermissions() uses manifest lists and treats a missing list as no access", () => {
  const p = resolvePermissions("weather", { enabled: true }, {
    http: {
      allowed_urls: ["https://api.weather.example/**"],
      max_requests_per_minute: 500,
    },
  });
  assert(permits(p, p.httpAllowedUrls, "https://api.weather.example/v1/now"));
  assert(!permits(p, p.httpAllowedUrls, "https://other.example/"));
  assert(!permits(p, p.mediaAllowedUrls, "https://api.weather.example/x.png"));
  assert(!permits(p, p.credentialAllowedKeys, "token"));
  assertEquals(p.httpRequestsPerMinute, 100);
});

Deno.test("resolvePermissions() lets config overrides replace lists and deny_all block everything", () => {
  const config = {
    enabled: true,
    overrides: {
      weather: {
        credential_allowed_keys: ["api_*"],
        http_max_requests_per_minute: 5,
      },
    },
  };
  const p = resolvePermissions("weather", config, {
    credentials: { allowed_keys: ["token"] },
  });
  assert(permits(p, p.credentialAllowedKeys, "api_key"));
  assert(!permits(p, p.credentialAllowedKeys, "token"));
  assertEquals(p.httpRequestsPerMinute, 5);
  const denied = resolvePermissions("weather", {
    enabled: true,
    overrides: { weather: { deny_all: true } },
  }, {
    http: { allowed_urls: ["**"] },
  });
  assert(!permits(denied, denied.httpAllowedUrls, "https://example.com/"));
});
