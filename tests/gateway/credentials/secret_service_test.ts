import { fileURLToPath } from "node:url";
import {
  SecretServiceStore,
  secretToolArgs,
} from "../../../gateway/credentials/secret_service.ts";
import { keychainAddLine } from "../../../gateway/credentials/macos_keychain.ts";
import { windowsCredentialScript } from "../../../gateway/credentials/windows_credentials.ts";
import { CredentialStoreError } from "../../../gateway/credentials/store.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
  tempDir,
} from "../../_helpers.ts";

function installed(name: string): boolean {
  const path = Deno.env.get("PATH") ?? "";
  return path.split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${name}`).isFile;
    } catch {
      return false;
    }
  });
}

const HAVE_KEYRING = ["secret-tool", "dbus-run-session", "gnome-keyring-daemon"]
  .every(installed);

Deno.test("secretToolArgs() files entries under service carapace and never puts the secret on argv", () => {
  assertEquals(secretToolArgs("lookup", "gateway:token:default"), [
    "lookup",
    "service",
    "carapace",
    "account",
    "gateway:token:default",
  ]);
  assertEquals(secretToolArgs("store", "k"), [
    "store",
    "--label=carapace: k",
    "service",
    "carapace",
    "account",
    "k",
  ]);
  assertEquals(secretToolArgs("clear", "k")[0], "clear");
});

Deno.test("keychainAddLine() hex-encodes the value for security -i", () => {
  assertEquals(
    keychainAddLine("gateway:token:default", "ab"),
    "add-generic-password -U -s carapace -a gateway:token:default -X 6162\n",
  );
});

Deno.test("windowsCredentialScript() targets carapace:<key> and reads the value from stdin", () => {
  const script = windowsCredentialScript("write", "gateway:token:default");
  assert(script.includes("'carapace:gateway:token:default'"));
  assert(script.includes("[Console]::In.ReadToEnd()"));
  assertThrows(
    () => windowsCredentialScript("read", "x'; rm"),
    CredentialStoreError,
  );
});

Deno.test("SecretServiceStore without a D-Bus session is unavailable, which allows a fallback", async () => {
  // secret-tool (or its absence) in an environment without a session bus.
  const store = new SecretServiceStore({
    runner: async (command, args) => {
      const out = await new Deno.Command(command, {
        args: [...args],
        clearEnv: true,
        env: { PATH: Deno.env.get("PATH") ?? "" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      return {
        code: out.code,
        stdout: text.decode(out.stdout),
        stderr: text.decode(out.stderr),
      };
    },
  });
  assertEquals(await store.available(), false);
  await assertRejects(
    () => store.set("gateway:token:default", "x"),
    (error: unknown) =>
      error instanceof CredentialStoreError && error.allowsFallback,
  );
});

Deno.test({
  name: HAVE_KEYRING
    ? "SecretServiceStore round-trips through a real gnome-keyring over D-Bus"
    : "SecretServiceStore reports secret-tool as missing when libsecret-tools is not installed",
  async fn() {
    if (!HAVE_KEYRING) {
      await assertRejects(
        () => new SecretServiceStore().get("k"),
        (error: unknown) =>
          error instanceof CredentialStoreError &&
          (error.failure === "unavailable"),
      );
      return;
    }
    const child = fileURLToPath(
      new URL("./_secret_service_child.ts", import.meta.url),
    );
    const script =
      `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "${Deno.execPath()}" run -A "${child}"`;
    using home = tempDir();
    // A private HOME: gnome-keyring creates a fresh login keyring unlocked with "pw".
    const out = await new Deno.Command("dbus-run-session", {
      args: ["--", "sh", "-c", script],
      env: {
        HOME: home.path,
        XDG_DATA_HOME: `${home.path}/data`,
        XDG_RUNTIME_DIR: home.path,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    assertEquals(JSON.parse(stdout), [
      true,
      null,
      '{"token":"t0p"}',
      true,
      false,
      null,
    ]);
  },
});
