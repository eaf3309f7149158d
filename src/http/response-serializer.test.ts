import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createResponseSerializerCompiler } from './response-serializer.ts';

const itemSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  status: z.enum(['DISCOVERED', 'FAILED']),
  provider: z.string().nullable(),
  job: z.object({ id: z.number().int(), message: z.string().nullable() }).nullable(),
  links: z.array(z.object({ url: z.string() })),
  updated_at: z.iso.datetime(),
});

const sample = {
  id: 7,
  title: 'Lecture "1" — ünïcode\n\u0007 </script> \ud83d\ude00',
  status: 'FAILED',
  provider: null,
  job: { id: 3, message: null },
  links: [{ url: 'https://example.test/a?b=c&d' }],
  updated_at: '2026-12-02T05:00:00.000Z',
};

async function appWith(body: unknown, options: { checkResponses: boolean; zod?: boolean }) {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setSerializerCompiler(options.zod ? serializerCompiler : createResponseSerializerCompiler(options));
  app.get('/item', { schema: { response: { 200: itemSchema } } }, async () => body as never);
  app.get('/stream', { schema: { response: { 200: z.instanceof(Readable) } } }, async (_request, reply) =>
    reply.type('text/plain').send(Readable.from(['streamed'])),
  );
  await app.ready();
  return app;
}

const get = async (body: unknown, options: { checkResponses: boolean; zod?: boolean }, url = '/item') => {
  const app = await appWith(body, options);
  try {
    return await app.inject({ method: 'GET', url });
  } finally {
    await app.close();
  }
};

describe('the compiled response serializer', () => {
  it.each([false, true])(
    'writes what the zod serializer writes, byte for byte (checking: %s)',
    async (check) => {
      const expected = await get(sample, { checkResponses: false, zod: true });
      const actual = await get(sample, { checkResponses: check });
      expect(actual.statusCode).toBe(200);
      expect(actual.body).toBe(expected.body);
      expect(JSON.parse(actual.body)).toEqual(sample);
    },
  );

  it('writes only the properties of the schema, so a presenter cannot leak a field', async () => {
    const response = await get({ ...sample, token: 'secret-token' }, { checkResponses: false });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('secret-token');
  });

  it.each([false, true])('refuses an answer without a required property (checking: %s)', async (check) => {
    const { title: _, ...withoutTitle } = sample;
    const response = await get(withoutTitle, { checkResponses: check });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Lecture');
  });

  it('with checking on, refuses what only zod sees: a value outside its enum, a date that is not ISO', async () => {
    for (const body of [
      { ...sample, status: 'SOMETHING_ELSE' },
      { ...sample, updated_at: 'yesterday' },
    ]) {
      expect((await get(body, { checkResponses: true })).statusCode).toBe(500);
    }
  });

  it('keeps zod for a schema JSON Schema cannot express, such as a stream', async () => {
    const response = await get(sample, { checkResponses: true }, '/stream');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('streamed');
  });
});
