/**
 * `npm run dev`: one process that rebuilds the page on every change to `src/web/` (esbuild's watch,
 * in this process) and runs the service under `tsx watch`, which restarts it on every change to
 * `src/`, its JSON logs made readable by pino-pretty (as a stream here, not a process of its own).
 *
 * One parent, so stopping is one thing: on SIGINT, SIGTERM or SIGHUP, or when its parent goes,
 * this process asks the service to stop, waits for it, and exits; when the service exits on its
 * own, this exits with it. Whatever is left when this process exits is killed.
 *
 * Run as `node --import tsx src/web/dev.ts`, not `tsx src/web/dev.ts`: npm passes a SIGTERM (an IDE's stop
 * button) only to the shell running the script, which dies of it without passing it on. This
 * process then sees its parent change, which a `tsx` wrapper in between (left running) would hide.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import pretty from 'pino-pretty';
import { watchWeb } from './build.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * How long the service may take to stop before it is killed: past its own limit (by default
 * JOB_SHUTDOWN_GRACE_MS + 15 s = 25 s, src/main.ts), so this only ends one that hangs beyond it.
 */
const STOP_TIMEOUT_MS = 30_000;
const PARENT_POLL_MS = 500;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
// On POSIX the service gets a process group of its own: a Ctrl-C in the terminal then reaches it
// once, through this process, rather than three times at once (terminal, tsx watch, here), and
// the whole group can be killed at the end. Windows has no groups (`detached` opens a console).
const OWN_GROUP = process.platform !== 'win32';

const say = (line: string) => process.stdout.write(`[dev] ${line}\n`);

function startService(): ChildProcess {
  // tsx's own entry run by this Node, not the `.bin` shim: no shell in between, on any platform.
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const child = spawn(process.execPath, [tsx, 'watch', '--clear-screen=false', 'src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: OWN_GROUP,
  });
  child.stdout?.pipe(pretty({ sync: true }));
  return child;
}

/** `signal` to the service and, on POSIX, to its whole group; false when it is already gone. */
function signalService(child: ChildProcess, signal: NodeJS.Signals, group: boolean): boolean {
  if (child.pid === undefined) return false;
  try {
    if (group && OWN_GROUP) process.kill(-child.pid, signal);
    else child.kill(signal);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const web = await watchWeb();
  const service = startService();
  let stopping = false;

  const stop = (signal: NodeJS.Signals, why: string) => {
    if (stopping) return;
    stopping = true;
    say(`${why}: stopping the service`);
    // tsx watch passes SIGINT and SIGTERM on to the service and exits when it has; it has no
    // handler for SIGHUP, which would kill it and leave the service running.
    signalService(service, signal === 'SIGHUP' ? 'SIGTERM' : signal, false);
    setTimeout(() => {
      say(`the service did not stop within ${STOP_TIMEOUT_MS} ms: killing it`);
      signalService(service, 'SIGKILL', true);
    }, STOP_TIMEOUT_MS).unref();
  };
  // Listeners get the signal's number as well: not a reason to print.
  const onSignal = (signal: NodeJS.Signals) => stop(signal, signal);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // Orphaned (the shell npm started was killed): adopted by another process, so ppid changes.
  // Windows does not re-parent orphans, so there this never fires.
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid !== parent) stop('SIGTERM', 'the parent process is gone');
  }, PARENT_POLL_MS);
  orphaned.unref();

  // Even on a crash here: nothing of the service outlives this process.
  process.on('exit', () => signalService(service, 'SIGKILL', true));

  service.on('error', (error) => {
    say(`could not start the service: ${error.message}`);
    process.exitCode = 1;
  });
  service.on('close', (code, signal) => {
    if (!stopping) say(`the service exited (${signal ?? `code ${code}`}): stopping`);
    // What tsx watch started in the group (a service between restarts) goes with it.
    signalService(service, 'SIGKILL', true);
    process.exitCode = stopping ? 0 : (code ?? 1);
    clearInterval(orphaned);
    void web.stop().finally(() => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[dev] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
