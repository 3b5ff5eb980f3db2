import { resolveServerCredentials } from "../../../gateway/auth/server_credentials.ts";
import { configSchema } from "../../../gateway/config/mod.ts";
import { assertEquals } from "../../_helpers.ts";

function config(auth: Record<string, unknown>) {
  return configSchema.parse({ gateway: { auth } });
}

Deno.test("resolveServerCredentials() maps none and local to none and keeps token/password", async () => {
  for (
    const [mode, expected] of [["none", "none"], ["local", "none"], [
      "token",
      "token",
    ], ["password", "password"]]
  ) {
    const creds = await resolveServerCredentials({
      config: config({ mode }),
      env: {},
    });
    assertEquals(creds.mode, expected);
  }
});

Deno.test("resolveServerCredentials() picks password when unset and a password resolves, else token", async () => {
  assertEquals(
    (await resolveServerCredentials({
      config: config({ password: "pw" }),
      env: {},
    })).mode,
    "password",
  );
  assertEquals(
    (await resolveServerCredentials({
      config: config({ token: "t" }),
      env: {},
    })).mode,
    "token",
  );
  assertEquals(
    (await resolveServerCredentials({ config: config({}), env: {} })).mode,
    "token",
  );
  assertEquals(
    (await resolveServerCredentials({
      config: config({}),
      env: {},
      lookup: (a) =>
        Promise.resolve(a === "gateway:password:default" ? "pw" : null),
    })).mode,
    "password",
  );
});

Deno.test("resolveServerCredentials() prefers env over config over the credential store, blank counting as missing", async () => {
  const asked: string[] = [];
  const lookup = (account: string) => {
    asked.push(account);
    return Promise.resolve(`store-${account}`);
  };
  const env = {
    CARAPACE_GATEWAY_TOKEN: "env-token",
    CARAPACE_GATEWAY_PASSWORD: "  ",
  };
  const creds = await resolveServerCredentials({
    config: config({ token: "cfg-token", password: "" }),
    env,
    lookup,
  });
  assertEquals(creds.token, "env-token");
  assertEquals(creds.password, "store-gateway:password:default");
  assertEquals(asked, ["gateway:password:default"]);
  const fromConfig = await resolveServerCredentials({
    config: config({ token: "cfg-token" }),
    env: {},
  });
  assertEquals(fromConfig.token, "cfg-token");
  assertEquals(fromConfig.password, null);
});
