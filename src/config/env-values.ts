import { z } from 'zod';

/** The shapes environment values come in: empty means unset. */

export const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** The entries of a comma-separated setting, trimmed, without empty ones. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export const optionalUrl = optionalString.pipe(z.url({ protocol: /^https?$/ }).optional());

export const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
