import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { toAppError } from './openai.responses.ts';

const API_KEY = 'sk-test-0123456789-SECRET-abcdef';
const context = { model: 'gpt-test', apiKey: API_KEY, signal: undefined };

/** Everything an error would show in a log line or an API answer. */
function exposed(error: unknown): string {
  return `${String(error)}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
}

describe('toAppError', () => {
  it('passes an error that is not from the API through as internal, with the key masked', () => {
    const error = toAppError(new TypeError(`boom ${API_KEY}`), context);

    expect(error).not.toBeInstanceOf(AppError);
    expect(error).toMatchObject({ name: 'TypeError', message: 'boom [redacted]' });
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('masks the key anywhere down the cause chain of an internal error', () => {
    const error = toAppError(new Error('outer', { cause: new Error(`inner ${API_KEY}`) }), context);

    expect(error).toMatchObject({ message: 'outer', cause: { message: 'inner [redacted]' } });
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('passes an internal error that does not mention the key through unchanged', () => {
    const original = new Error('boom');
    expect(toAppError(original, context)).toBe(original);
  });
});
