import { existsSync } from 'node:fs';
import { type Config, loadConfig } from './config.ts';

/**
 * The process's configuration: `.env` from the working directory (when present) under the real
 * environment, which wins because Node's loader never overwrites a variable already set.
 */
export function loadProcessConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return loadConfig(process.env);
}
