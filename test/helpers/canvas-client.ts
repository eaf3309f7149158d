import { inspect } from 'node:util';
import type { DestinationStream } from 'pino';
import { expect } from 'vitest';
import {
  type CanvasClient,
  type CanvasClientOptions,
  createCanvasClient,
} from '../../src/canvas/canvas.client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { type FakeCanvas, type FakeCanvasOptions, startFakeCanvas } from '../fakes/fake-canvas-server.ts';

/** Distinctive enough that any leak into errors or logs is unmistakable. */
export const SECRET_TOKEN = 'sekrit-7Hq2-canvas-token-ZZ91';

/** Captures structured log lines, so tests can assert on what the client logged. */
export function captureLogs() {
  const lines: string[] = [];
  const destination: DestinationStream = {
    write: (line: string) => {
      lines.push(line);
    },
  };
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

export type CanvasTestContext = { canvas: FakeCanvas; client: CanvasClient; logs: string[] };

/**
 * A fake Canvas on port 0 plus a client tuned for tests: millisecond backoffs and throttle
 * pauses, a short timeout. Close `canvas` after the test.
 */
export async function startCanvasTest(
  fakeOptions: FakeCanvasOptions = {},
  clientOptions: Partial<CanvasClientOptions> = {},
): Promise<CanvasTestContext> {
  const canvas = await startFakeCanvas({ token: SECRET_TOKEN, ...fakeOptions });
  const { logger, lines } = captureLogs();
  const client = createCanvasClient({
    baseUrl: canvas.baseUrl,
    token: canvas.token,
    timeoutMs: 2000,
    retryBaseDelayMs: 2,
    maxRetryDelayMs: 2000,
    maxThrottlePauseMs: 5,
    logger,
    ...clientOptions,
  });
  return { canvas, client, logs: lines };
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject');
}

/** Fails if `secret` shows up anywhere in the error: message, JSON, inspect output, cause chain. */
export function expectNoSecret(error: unknown, secret: string): void {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    expect(String(current)).not.toContain(secret);
    expect(JSON.stringify(current) ?? '').not.toContain(secret);
    if (current instanceof Error) expect(current.stack ?? '').not.toContain(secret);
    current = current instanceof Error ? current.cause : undefined;
  }
  expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(secret);
}

/** Milliseconds between consecutive timestamps. */
export function gapsBetween(times: readonly number[]): number[] {
  return times.slice(1).map((time, index) => time - (times[index] ?? time));
}
