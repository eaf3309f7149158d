import type { Db } from '../db/client.ts';
import { createErrorFactory } from '../shared/errors.ts';

export const databaseUnavailable = createErrorFactory({
  code: 'health.database_unavailable',
  statusCode: 503,
  message: 'The database does not answer.',
});

export interface HealthReport {
  status: 'ok';
  version: string;
  mode: 'demo' | 'canvas';
  demo: boolean;
  database: 'ok';
  worker: 'in_process' | 'external';
  summarizer: string;
}

/** Nothing that helps an attacker: no version to match against advisories, no set-up. */
export interface PublicHealthReport {
  status: 'ok';
}

export type HealthService = ReturnType<typeof createHealthService>;

/** What `GET /health` reports: the database answers, and how this process is set up. */
export function createHealthService(deps: {
  db: Db;
  demo: boolean;
  workerInProcess: boolean;
  summarizer: string;
  version: string;
}) {
  /** A round trip to SQLite; it fails once the file is closed, locked out or unreadable. */
  const ping = (): void => {
    try {
      deps.db.$client.prepare('select 1').get();
    } catch (error) {
      throw databaseUnavailable({ cause: error });
    }
  };

  return {
    ping,

    /** All a client without the API key learns: the server and its database answer. */
    checkPublic(): PublicHealthReport {
      ping();
      return { status: 'ok' };
    },

    check(): HealthReport {
      ping();
      return {
        status: 'ok',
        version: deps.version,
        mode: deps.demo ? 'demo' : 'canvas',
        demo: deps.demo,
        database: 'ok',
        worker: deps.workerInProcess ? 'in_process' : 'external',
        summarizer: deps.summarizer,
      };
    },
  };
}
