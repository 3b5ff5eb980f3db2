import { assertEquals, tempDir } from "../../_helpers.ts";

Deno.test("dropPermissions() leaves an untrusted plugin's process no file, network, env, process, system or FFI access", async () => {
  using dir = tempDir();
  const secret = `${dir.path}/secret.txt`;
  await Deno.writeTextFile(secret, "do not read");
  const child = new URL("./_drop_permissions_child.ts", import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", child.href, secret],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  assertEquals(JSON.parse(text), {
    read: "NotCapable",
    write: "NotCapable",
    net: "NotCapable",
    listen: "NotCapable",
    env: "NotCapable",
    run: "NotCapable",
    sys: "NotCapable",
    ffi: "NotCapable",
  });
});
