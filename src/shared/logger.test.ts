import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchedLogger } from './logger.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'canvas-notes-log-'));
  file = join(dir, 'out.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const messages = () =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe('createBatchedLogger', () => {
  it('holds info lines briefly and writes them within the flush interval', async () => {
    const logger = createBatchedLogger('info', file);
    logger.info('one');
    logger.info('two');
    expect(messages()).toEqual([]);
    const deadline = Date.now() + 2_000;
    while (messages().length < 2 && Date.now() < deadline) await delay(20);
    expect(messages()).toEqual(['one', 'two']);
  });

  it('writes a warning at once, after the lines before it', () => {
    const logger = createBatchedLogger('info', file);
    logger.info('request');
    logger.child({ reqId: 'r1' }).warn('slow');
    logger.info('after');
    expect(messages()).toEqual(['request', 'slow']);
    logger.error('failed');
    expect(messages()).toEqual(['request', 'slow', 'after', 'failed']);
  });

  it('writes without waiting once 4 KiB are pending', () => {
    const logger = createBatchedLogger('info', file);
    for (let line = 0; line < 60; line += 1) logger.info(`line ${line} ${'x'.repeat(80)}`);
    expect(messages().length).toBeGreaterThan(30);
  });

  it('writes what is pending when the process exits', () => {
    const logger = fileURLToPath(new URL('./logger.ts', import.meta.url));
    const script = `
      const { createBatchedLogger } = await import(${JSON.stringify(logger)});
      const log = createBatchedLogger('info', ${JSON.stringify(file)});
      log.info('last words');
      process.exit(0);
    `;
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(messages()).toEqual(['last words']);
  });
});
