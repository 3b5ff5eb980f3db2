// Runs inside `dbus-run-session` with an unlocked gnome-keyring: exercises the real Secret Service.
import { SecretServiceStore } from "../../../gateway/credentials/secret_service.ts";

const store = new SecretServiceStore();
const key = `test:${crypto.randomUUID().slice(0, 8)}`;
const report: unknown[] = [await store.available(), await store.get(key)];
await store.set(key, '{"token":"t0p"}');
report.push(await store.get(key));
report.push(
  await store.delete(key),
  await store.delete(key),
  await store.get(key),
);
Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(report)));
