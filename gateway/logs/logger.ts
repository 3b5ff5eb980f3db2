/**
 * The gateway's structured logger: one JSON object per line, secrets
 * redacted, kept in a ring for `logs.tail` and appended to a rotated file.
 *
 * @module
 */
import { FileSink } from "./file_sink.ts";
import { levelRank, type LogLevel } from "./levels.ts";
import { redactFields, redactText } from "./redact.ts";
import {
  type LogEntry,
  LogRing,
  type TailOptions,
  type TailResult,
} from "./ring_buffer.ts";

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Directory of `cara.log`; without it nothing is written to disk. */
  dir?: string;
  /** Entries below this level are discarded. */
  level: LogLevel;
  /** Rotate `cara.log` before it exceeds this size (default 10 MiB). */
  maxFileBytes?: number;
  /** Rotated files kept: `cara.log.1 … cara.log.<maxFiles>` (default 5). */
  maxFiles?: number;
  /** Entries kept in memory for {@linkcode Logger.tail} (default 2000). */
  ringSize?: number;
  /** Receives every recorded entry as its JSON line, e.g. to print it. */
  console?: (line: string, entry: LogEntry) => void;
  /** Wall clock in epoch milliseconds (default `Date.now`). */
  clock?: () => number;
}

/** Fields attached to one entry; secret-looking keys are redacted. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A logger bound to one target, e.g. `gateway.http`. */
export interface ScopedLogger {
  readonly target: string;
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for `<target>.<name>`. */
  child(name: string): ScopedLogger;
}

/** The root logger of a gateway process. */
export interface Logger {
  readonly level: LogLevel;
  trace(target: string, message: string, fields?: LogFields): void;
  debug(target: string, message: string, fields?: LogFields): void;
  info(target: string, message: string, fields?: LogFields): void;
  warn(target: string, message: string, fields?: LogFields): void;
  error(target: string, message: string, fields?: LogFields): void;
  /** A logger whose entries carry `target`. */
  child(target: string): ScopedLogger;
  /** Reads the in-memory tail (see {@linkcode LogRing.tail}). */
  tail(options?: TailOptions): TailResult;
  /** Resolves once every entry so far is on disk. */
  flush(): Promise<void>;
  /** Flushes and closes the log file; later entries stay in memory only. */
  close(): Promise<void>;
}

const MAX_MESSAGE = 4096;
const MAX_TARGET = 128;

/**
 * Creates the process logger.
 *
 * @example
 * ```ts
 * const logger = createLogger({ dir: "/var/lib/cara/logs", level: "info" });
 * logger.info("gateway", "listening", { port: 18789 });
 * const http = logger.child("gateway.http");
 * http.warn("slow request", { ms: 1200 });
 * await logger.close();
 * ```
 */
export function createLogger(options: LoggerOptions): Logger {
  const minRank = levelRank(options.level);
  const ring = new LogRing(options.ringSize ?? 2000);
  const clock = options.clock ?? Date.now;
  const sink = options.dir === undefined
    ? undefined
    : new FileSink(options.dir, {
      ...(options.maxFileBytes === undefined
        ? {}
        : { maxFileBytes: options.maxFileBytes }),
      ...(options.maxFiles === undefined ? {} : { maxFiles: options.maxFiles }),
      onError: (error) =>
        record(
          "error",
          "logs",
          "Cannot write the log file: logging to memory only until the disk accepts writes",
          {
            error,
          },
        ),
    });

  function record(
    level: LogLevel,
    target: string,
    message: string,
    fields?: LogFields,
  ): void {
    if (levelRank(level) < minRank) return;
    const entry = ring.push({
      timestamp: new Date(clock()).toISOString(),
      level,
      target: cap(target, MAX_TARGET),
      message: cap(redactText(message), MAX_MESSAGE),
      ...(fields === undefined ? {} : { fields: redactFields(fields) }),
    });
    const line = JSON.stringify(entry);
    sink?.write(line);
    options.console?.(line, entry);
  }

  function scoped(target: string): ScopedLogger {
    return {
      target,
      trace: (message, fields) => record("trace", target, message, fields),
      debug: (message, fields) => record("debug", target, message, fields),
      info: (message, fields) => record("info", target, message, fields),
      warn: (message, fields) => record("warn", target, message, fields),
      error: (message, fields) => record("error", target, message, fields),
      child: (name) => scoped(`${target}.${name}`),
    };
  }

  return {
    level: options.level,
    trace: (target, message, fields) =>
      record("trace", target, message, fields),
    debug: (target, message, fields) =>
      record("debug", target, message, fields),
    info: (target, message, fields) => record("info", target, message, fields),
    warn: (target, message, fields) => record("warn", target, message, fields),
    error: (target, message, fields) =>
      record("error", target, message, fields),
    child: scoped,
    tail: (tailOptions) => ring.tail(tailOptions),
    flush: async () => await sink?.flush(),
    close: async () => await sink?.close(),
  };
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
