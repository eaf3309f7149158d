import { type Config, loadConfig } from './config.ts';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * Defaults for tests (demo mode, silent logs, in-memory paths, no API key, an action limit no
 * test reaches unless it sets a lower one, every answer checked against its schema) deep-merged with `overrides`.
 */
export function testConfig(overrides: DeepPartial<Config> = {}): Config {
  const base = loadConfig({
    LOG_LEVEL: 'silent',
    DATA_DIR: './unused-test-data',
    RATE_LIMIT_ACTIONS_PER_MINUTE: '100000',
  });
  return deepMerge({ ...base, http: { ...base.http, checkResponses: true } }, overrides);
}

function deepMerge<T>(base: T, overrides: DeepPartial<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? deepMerge(current, value as DeepPartial<typeof current>)
        : value;
  }
  return out as T;
}
