import fastJson from 'fast-json-stringify';
import type { FastifySchemaCompiler } from 'fastify';
import { createSerializerCompiler } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';

type JsonSchema = Record<string, unknown>;
type Serializer = (data: unknown) => string;
type RouteSchema = Parameters<FastifySchemaCompiler<unknown>>[0];

/**
 * Responses are written by fast-json-stringify, compiled once per route from the same zod schema
 * the OpenAPI document describes, as Fastify does with JSON Schemas. The zod serializer it
 * replaces parsed every answer into a copy and then ran `JSON.stringify` over the copy: a tenth
 * of what a cached read cost.
 *
 * A compiled serializer writes the schema's properties, in the schema's order, and refuses a
 * missing required property or a value it cannot write as its type; it does not check enums,
 * formats or patterns. With `checkResponses` (the test suite) every answer is also parsed by zod
 * and must come out byte for byte as zod's serializer writes it, so a presenter that drifts
 * from its schema, or a schema the compiler reads differently, fails the tests that reach it.
 * A schema JSON Schema cannot express (a stream) keeps the zod serializer.
 */
export function createResponseSerializerCompiler(options: { checkResponses: boolean }) {
  const checked = createSerializerCompiler({});
  return (route: RouteSchema): Serializer => {
    const zodSerializer = checked(route as Parameters<typeof checked>[0]) as Serializer;
    const compiled = compile(route.schema);
    if (compiled === null) return zodSerializer;
    if (!options.checkResponses) return compiled;
    return (data) => {
      const expected = zodSerializer(data);
      const actual = compiled(data);
      if (actual !== expected) {
        throw new Error(
          `${route.method} ${route.url}: the compiled serializer wrote ${actual}, zod's ${expected}`,
        );
      }
      return actual;
    };
  };
}

function compile(schema: unknown): Serializer | null {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema as ZodType, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
  } catch {
    return null;
  }
  return fastJson(simplifyNullable(json) as Parameters<typeof fastJson>[0]) as Serializer;
}

/**
 * zod writes `.nullable()` as `anyOf: [X, {type: "null"}]`; fast-json-stringify picks an anyOf
 * branch by validating the value against each with Ajv, on every value. `type: [X, "null"]`
 * says the same and is a type check.
 */
function simplifyNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplifyNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = simplifyNullable(value);
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const [first, second] = anyOf as JsonSchema[];
    const other = isNull(second) ? first : isNull(first) ? second : undefined;
    if (other && typeof other.type === 'string' && other.anyOf === undefined && other.oneOf === undefined) {
      const { anyOf: _, ...rest } = out;
      return { ...rest, ...other, type: [other.type, 'null'] };
    }
  }
  return out;
}

const isNull = (schema: JsonSchema | undefined) =>
  schema !== undefined && schema.type === 'null' && Object.keys(schema).length === 1;
