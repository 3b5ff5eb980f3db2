/**
 * A tiny Prometheus text-format registry (exposition format 0.0.4): counters
 * and gauges with labels, rendered in registration order.
 *
 * @module
 */

/** The `Content-Type` of {@linkcode MetricsRegistry.render}'s output. */
export const PROMETHEUS_CONTENT_TYPE =
  "text/plain; version=0.0.4; charset=utf-8";

/** Label values of one series, keyed by label name. */
export type Labels = Readonly<Record<string, string>>;

/** A series whose value only goes up. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

/** A series whose value is set, or read from `collect` at render time. */
export interface Gauge {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, by?: number): void;
  dec(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge";
  labelNames: readonly string[];
  series: Map<string, number>;
  collect?: () => number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// A hostile client must not be able to grow a family without bound.
const MAX_SERIES = 500;

/** Holds metric families and renders them for `GET /metrics`. */
export class MetricsRegistry {
  readonly #families = new Map<string, Family>();

  /** Registers a counter; duplicate or malformed names throw at start-up. */
  counter(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
  ): Counter {
    const family = this.#register({
      name,
      help,
      type: "counter",
      labelNames,
      series: new Map(),
    });
    return {
      inc: (labels, by = 1) => {
        if (by < 0) {
          throw new RangeError(
            `Cannot decrease counter "${name}": counters only go up`,
          );
        }
        add(family, labels, by);
      },
      get: (labels) => family.series.get(seriesKey(family, labels)) ?? 0,
    };
  }

  /** Registers a gauge; with `collect` its value is computed at render time. */
  gauge(
    name: string,
    help: string,
    options: { labelNames?: readonly string[]; collect?: () => number } = {},
  ): Gauge {
    const family = this.#register({
      name,
      help,
      type: "gauge",
      labelNames: options.labelNames ?? [],
      series: new Map(),
      ...(options.collect === undefined ? {} : { collect: options.collect }),
    });
    return {
      set: (value, labels) => void setValue(family, labels, value),
      inc: (labels, by = 1) => add(family, labels, by),
      dec: (labels, by = 1) => add(family, labels, -by),
      get: (labels) => family.series.get(seriesKey(family, labels)) ?? 0,
    };
  }

  /** Renders every family in the Prometheus text format. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.#families.values()) {
      lines.push(
        `# HELP ${family.name} ${
          family.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")
        }`,
      );
      lines.push(`# TYPE ${family.name} ${family.type}`);
      if (family.collect !== undefined) {
        lines.push(`${family.name} ${formatValue(family.collect())}`);
        continue;
      }
      if (family.labelNames.length === 0 && family.series.size === 0) {
        lines.push(`${family.name} 0`);
      }
      for (const [key, value] of family.series) {
        lines.push(`${family.name}${key} ${formatValue(value)}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }

  #register(family: Family): Family {
    for (const name of [family.name, ...family.labelNames]) {
      if (!NAME.test(name)) {
        throw new TypeError(
          `Cannot register metric "${family.name}": "${name}" is not a valid name`,
        );
      }
    }
    if (this.#families.has(family.name)) {
      throw new TypeError(
        `Cannot register metric "${family.name}": it is already registered`,
      );
    }
    this.#families.set(family.name, family);
    return family;
  }
}

function add(family: Family, labels: Labels | undefined, by: number): void {
  const key = seriesKey(family, labels);
  const current = family.series.get(key);
  if (current === undefined && family.series.size >= MAX_SERIES) return;
  family.series.set(key, (current ?? 0) + by);
}

function setValue(
  family: Family,
  labels: Labels | undefined,
  value: number,
): void {
  const key = seriesKey(family, labels);
  if (!family.series.has(key) && family.series.size >= MAX_SERIES) return;
  family.series.set(key, value);
}

function seriesKey(family: Family, labels: Labels = {}): string {
  if (family.labelNames.length === 0) return "";
  const pairs = family.labelNames.map((label) =>
    `${label}="${escapeLabel(labels[label] ?? "")}"`
  );
  return `{${pairs.join(",")}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(
    /\n/g,
    "\\n",
  );
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
