import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { z } from 'zod';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/**
 * A per-route OpenAPI transform for a 200 answer that comes in several media types.
 * fastify-type-provider-zod documents every response as `application/json`; this documents each
 * media type with its own schema (@fastify/swagger keeps a response that already has `content`).
 * Set it as the route's `config.swaggerTransform`.
 */
export function documentMediaTypes(
  description: string,
  media: Readonly<Record<string, z.ZodType>>,
): SwaggerTransform {
  return (input) => {
    const documented = jsonSchemaTransform(input as TransformInput);
    const content = Object.fromEntries(
      Object.entries(media).map(([mediaType, schema]) => {
        const single = jsonSchemaTransform({
          ...input,
          schema: { response: { 200: schema } },
        } as TransformInput);
        return [mediaType, { schema: (single.schema.response as Record<string, unknown>)[200] }];
      }),
    );
    const response = { ...(documented.schema.response as object), 200: { description, content } };
    return { ...documented, schema: { ...documented.schema, response } };
  };
}
