/**
 * Checks every managed plugin artifact passes before it is written: a WASM
 * component (not a core module), at most 50 MiB, and its sha256.
 *
 * @module
 */
import { sha256Hex } from "../../gateway/sha256.ts";
import { CaraError } from "../../gateway/errors.ts";

/** The largest plugin artifact (50 MiB). */
export const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;

/** A managed plugin name: 1–128 ASCII letters, digits, `-`, `_`, not reserved. */
export function checkPluginName(name: string): void {
  const reserved = [
    "enabled",
    "entries",
    "load",
    "sandbox",
    "signature",
    "permissions",
  ];
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(name) || reserved.includes(name)) {
    throw new CaraError(
      "plugin_name_invalid",
      `Cannot install plugin "${
        name.slice(0, 130)
      }": names are 1 to 128 characters of A-Z, a-z, 0-9, "-" and "_", and not one of ${
        reserved.join(", ")
      }`,
    );
  }
}

/**
 * Refuses bytes that are not a WebAssembly component: a core module
 * (`\0asm` version 1) and anything without the `\0asm` magic.
 */
export function checkComponent(name: string, bytes: Uint8Array): void {
  if (bytes.length > MAX_ARTIFACT_BYTES) {
    throw new CaraError(
      "plugin_artifact_too_large",
      `Cannot install plugin "${name}": the artifact is ${bytes.length} bytes; the limit is ${MAX_ARTIFACT_BYTES}`,
    );
  }
  const magic = bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 &&
    bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic) {
    throw new CaraError(
      "plugin_artifact_invalid",
      `Cannot install plugin "${name}": the artifact is not a WebAssembly file`,
    );
  }
  // Component binaries carry version 0x0d with layer 1; core modules version 1, layer 0.
  if (bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) {
    throw new CaraError(
      "plugin_artifact_invalid",
      `Cannot install plugin "${name}": the artifact is a core WebAssembly module; build a component (e.g. cargo component build or jco componentize)`,
    );
  }
  if (bytes[6] !== 1 || bytes[7] !== 0) {
    throw new CaraError(
      "plugin_artifact_invalid",
      `Cannot install plugin "${name}": the artifact is not a WebAssembly component`,
    );
  }
}

export { sha256Hex };
