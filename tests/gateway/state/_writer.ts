/**
 * Runs fixtures/writer.ts as a child process and reads its acknowledgements.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** One acknowledged step of the writer. */
export interface Ack {
  step: number;
  messageId: string;
  auditId: number;
}

/** A running writer process. */
export interface Writer extends AsyncDisposable {
  child: Deno.ChildProcess;
  /** Complete `ack` lines, in order, as they arrive. */
  acks(): AsyncGenerator<Ack>;
  stderr(): Promise<string>;
}

const WRITER = fileURLToPath(new URL("./fixtures/writer.ts", import.meta.url));

function parseAck(line: string): Ack | undefined {
  const [kind, step, messageId, auditId] = line.split(" ");
  if (kind !== "ack" || messageId === undefined) return undefined;
  return { step: Number(step), messageId, auditId: Number(auditId) };
}

/** Starts `writer.ts <dbPath> <label> [steps]`; killed on dispose if still running. */
export function startWriter(
  dbPath: string,
  options: { label: string; steps?: number },
): Writer {
  const args = ["run", "-A", WRITER, dbPath, options.label];
  if (options.steps !== undefined) args.push(String(options.steps));
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  return {
    child,
    async *acks() {
      let buffer = "";
      for await (
        const chunk of child.stdout.pipeThrough(new TextDecoderStream())
      ) {
        buffer += chunk;
        const lines = buffer.split("\n");
        // The last piece has no newline yet: an unfinished line is no ack.
        buffer = lines.pop() ?? "";
        for (const line of lines) {
          const ack = parseAck(line);
          if (ack !== undefined) yield ack;
        }
      }
    },
    stderr: () => stderr,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
      await child.status;
      await stderr;
    },
  };
}
