import { describe, expect, it } from 'vitest';
import { negotiate } from './content-negotiation.ts';

const OFFERS = ['text/plain', 'application/json'] as const;

describe('negotiate', () => {
  it.each([
    [undefined, 'text/plain'],
    ['', 'text/plain'],
    ['*/*', 'text/plain'],
    ['application/json', 'application/json'],
    ['Application/JSON; charset=utf-8', 'application/json'],
    ['text/plain', 'text/plain'],
    ['text/*', 'text/plain'],
    ['application/*', 'application/json'],
    ['text/plain;q=0.5, application/json', 'application/json'],
    ['application/json;q=0.2, */*;q=0.9', 'text/plain'],
    ['application/json;q=0.2, text/plain;q=0.3', 'text/plain'],
    ['*/*;q=0.8, application/json;q=0', 'text/plain'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/plain'],
    ['image/png', 'text/plain'],
    ['not a media range, application/json', 'application/json'],
  ])('answers %j with %s', (accept, expected) => {
    expect(negotiate(accept, OFFERS)).toBe(expected);
  });

  it('lets the most specific range decide, not the first one', () => {
    expect(negotiate('*/*;q=1, text/plain;q=0.1', OFFERS)).toBe('application/json');
  });
});
