/**
 * A JSON-Schema-like description of the config, derived from the zod schema
 * that validates it (so it cannot drift): `config.schema` over WS.
 *
 * @module
 */
import { z } from "zod";
import { configSchema, KNOWN_TOP_LEVEL_KEYS } from "./schema.ts";

/** One node of the description (a subset of JSON Schema). */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  /** `true`: other keys are kept as written; a node: the type of every value. */
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: string[];
  const?: unknown;
  anyOf?: SchemaNode[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
}

/** What `config.schema` answers. */
export interface ConfigSchemaDescription {
  schema: SchemaNode;
  /** Every top-level key the config knows; others load with a warning. */
  knownKeys: readonly string[];
}

/**
 * Describes the whole config schema (computed per call, not at import).
 *
 * @example
 * ```ts
 * describeConfigSchema().schema.properties?.gateway?.properties?.port;
 * // { type: "integer", minimum: 1, maximum: 65535, default: 18789 }
 * ```
 */
export function describeConfigSchema(): ConfigSchemaDescription {
  return { schema: describe(configSchema), knownKeys: KNOWN_TOP_LEVEL_KEYS };
}

function describe(schema: z.ZodTypeAny): SchemaNode {
  if (schema instanceof z.ZodDefault) {
    return {
      ...describe(schema.removeDefault()),
      default: schema._def.defaultValue(),
    };
  }
  if (schema instanceof z.ZodOptional) return describe(schema.unwrap());
  if (schema instanceof z.ZodEffects) return describe(schema.innerType());
  if (schema instanceof z.ZodNullable) {
    const inner = describe(schema.unwrap());
    const type = inner.type === undefined ? [] : [inner.type].flat();
    return { ...inner, type: [...type, "null"] };
  }
  if (schema instanceof z.ZodObject) return describeObject(schema);
  if (schema instanceof z.ZodRecord) {
    return {
      type: "object",
      additionalProperties: describe(schema.valueSchema),
    };
  }
  if (schema instanceof z.ZodArray) {
    return { type: "array", items: describe(schema.element) };
  }
  if (schema instanceof z.ZodUnion) {
    const options = schema.options as readonly z.ZodTypeAny[];
    return { anyOf: options.map(describe) };
  }
  if (schema instanceof z.ZodEnum) {
    return { type: "string", enum: [...schema.options as string[]] };
  }
  if (schema instanceof z.ZodLiteral) return { const: schema.value };
  if (schema instanceof z.ZodNumber) return describeNumber(schema);
  if (schema instanceof z.ZodString) {
    const minLength = schema.minLength;
    return { type: "string", ...(minLength === null ? {} : { minLength }) };
  }
  if (schema instanceof z.ZodBoolean) return { type: "boolean" };
  return {};
}

function describeObject(schema: z.ZodObject<z.ZodRawShape>): SchemaNode {
  const properties: Record<string, SchemaNode> = {};
  for (const [key, value] of Object.entries(schema.shape)) {
    properties[key] = describe(value);
  }
  return {
    type: "object",
    properties,
    additionalProperties: schema._def.unknownKeys !== "strict",
  };
}

function describeNumber(schema: z.ZodNumber): SchemaNode {
  const node: SchemaNode = { type: schema.isInt ? "integer" : "number" };
  if (schema.minValue !== null && Number.isFinite(schema.minValue)) {
    node.minimum = schema.minValue;
  }
  if (schema.maxValue !== null && Number.isFinite(schema.maxValue)) {
    node.maximum = schema.maxValue;
  }
  return node;
}
