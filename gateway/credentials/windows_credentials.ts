/**
 * Windows Credential Manager (generic credentials, target
 * `carapace:<key>`, user `carapace`) through PowerShell calling
 * CredReadW/CredWriteW/CredDeleteW. Values travel base64-encoded on stdin.
 * Not exercised by the test suite on Linux: only the script text is checked.
 *
 * @module
 */
import { type CommandRunner, runCommand } from "./command_runner.ts";
import {
  assertCredentialKey,
  assertCredentialValue,
  CREDENTIAL_SERVICE,
  type CredentialStore,
  CredentialStoreError,
} from "./store.ts";

const NATIVE = `
Add-Type -TypeDefinition @'
using System; using System.Runtime.InteropServices; using System.Text;
public static class CaraCred {
  [StructLayout(LayoutKind.Sequential, CharSet=CharSet.Unicode)]
  public struct CREDENTIAL { public int Flags; public int Type; public string TargetName; public string Comment;
    public long LastWritten; public int CredentialBlobSize; public IntPtr CredentialBlob; public int Persist;
    public int AttributeCount; public IntPtr Attributes; public string TargetAlias; public string UserName; }
  [DllImport("advapi32.dll", CharSet=CharSet.Unicode, SetLastError=true)] static extern bool CredReadW(string t, int ty, int f, out IntPtr c);
  [DllImport("advapi32.dll", CharSet=CharSet.Unicode, SetLastError=true)] static extern bool CredWriteW(ref CREDENTIAL c, int f);
  [DllImport("advapi32.dll", CharSet=CharSet.Unicode, SetLastError=true)] static extern bool CredDeleteW(string t, int ty, int f);
  [DllImport("advapi32.dll")] static extern void CredFree(IntPtr c);
  public static string Read(string t) { IntPtr p; if (!CredReadW(t, 1, 0, out p)) { if (Marshal.GetLastWin32Error() == 1168) return null; throw new Exception("CredRead failed: " + Marshal.GetLastWin32Error()); }
    try { var c = (CREDENTIAL)Marshal.PtrToStructure(p, typeof(CREDENTIAL)); var b = new byte[c.CredentialBlobSize]; Marshal.Copy(c.CredentialBlob, b, 0, b.Length); return Convert.ToBase64String(b); } finally { CredFree(p); } }
  public static void Write(string t, string u, string b64) { var b = Convert.FromBase64String(b64); var c = new CREDENTIAL(); c.Type = 1; c.TargetName = t; c.UserName = u; c.Persist = 2;
    c.CredentialBlobSize = b.Length; c.CredentialBlob = Marshal.AllocHGlobal(b.Length); try { Marshal.Copy(b, 0, c.CredentialBlob, b.Length); if (!CredWriteW(ref c, 0)) throw new Exception("CredWrite failed: " + Marshal.GetLastWin32Error()); } finally { Marshal.FreeHGlobal(c.CredentialBlob); } }
  public static bool Delete(string t) { if (CredDeleteW(t, 1, 0)) return true; if (Marshal.GetLastWin32Error() == 1168) return false; throw new Exception("CredDelete failed: " + Marshal.GetLastWin32Error()); }
}
'@
`;

/** The PowerShell program for one operation (the key is validated; the value comes from stdin). */
export function windowsCredentialScript(
  operation: "read" | "write" | "delete",
  key: string,
): string {
  assertCredentialKey(key);
  const target = `'${CREDENTIAL_SERVICE}:${key}'`;
  const body = operation === "read"
    ? `$v = [CaraCred]::Read(${target}); if ($v -eq $null) { exit 3 }; [Console]::Out.Write($v)`
    : operation === "write"
    ? `$in = [Console]::In.ReadToEnd().Trim(); [CaraCred]::Write(${target}, '${CREDENTIAL_SERVICE}', $in)`
    : `if (-not [CaraCred]::Delete(${target})) { exit 3 }`;
  return `$ErrorActionPreference = 'Stop'\n${NATIVE}\n${body}\n`;
}

/** A store in the Windows Credential Manager. */
export class WindowsCredentialStore implements CredentialStore {
  readonly backend = "windows-credential-manager" as const;
  readonly #run: CommandRunner;

  constructor(options: { runner?: CommandRunner } = {}) {
    this.#run = options.runner ?? runCommand;
  }

  async get(key: string): Promise<string | null> {
    const out = await this.#exec("read", key);
    if (out.code === 3) return null;
    const bytes = Uint8Array.fromBase64(out.stdout.trim());
    const value = new TextDecoder().decode(bytes);
    return value === "" ? null : value;
  }

  async set(key: string, value: string): Promise<void> {
    assertCredentialValue(key, value);
    await this.#exec("write", key, new TextEncoder().encode(value).toBase64());
  }

  async delete(key: string): Promise<boolean> {
    const out = await this.#exec("delete", key);
    return out.code !== 3;
  }

  async #exec(
    operation: "read" | "write" | "delete",
    key: string,
    stdin?: string,
  ) {
    const script = windowsCredentialScript(operation, key);
    const encoded = new Uint8Array(
      Array.from(script).flatMap((c) => {
        const code = c.charCodeAt(0);
        return [code & 0xff, code >> 8];
      }),
    ).toBase64();
    let out;
    try {
      out = await this.#run(
        "powershell.exe",
        ["-NoProfile", "-NonInteractive", "-EncodedCommand", encoded],
        stdin === undefined ? {} : { stdin },
      );
    } catch (error) {
      throw new CredentialStoreError(
        error instanceof Deno.errors.NotFound ? "unavailable" : "failed",
        `Cannot ${operation} credential "${key}" in the Windows Credential Manager: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
    if (out.code !== 0 && out.code !== 3) {
      const detail = out.stderr.trim().split("\n")[0]?.slice(0, 200);
      throw new CredentialStoreError(
        /denied/i.test(out.stderr) ? "access_denied" : "failed",
        `Cannot ${operation} credential "${key}" in the Windows Credential Manager: ${
          detail || "powershell failed"
        }`,
      );
    }
    return out;
  }
}
