// The PATH shims in the gate's folder: the native shim, proved to run here before it is used, and bin/, one link per
// guarded program. A start that finds bin/ checks it in place (links pointing at the shim are kept). A first start
// (no bin/ yet) lays it down after the gate works: in a new folder, renamed to bin/ once every link is in it, so a
// process finds either no bin/ or all of it.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { holds, realDir } from './placeFile';

export type ShimKind = 'native' | 'script';

/** How a run of the shim under proof ended. */
interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  error?: Error;
}

/** A run the proof asks for: the file and its whole environment. */
type Run = [file: string, env: NodeJS.ProcessEnv];

const said = (p: Ran) => p.error?.message ?? `exit ${p.status ?? p.signal}: ${p.stderr.trim().slice(0, 200)}`;

/**
 * Puts the native shim in DIR, proving first that it runs here (a noexec mount or a foreign architecture would make
 * every guarded program fail): run with no PATH, it must say it finds no program of its own name (127); run with a
 * folder holding a program of its name on PATH (a script exiting 7) as during start-up (no gate asked), it must find
 * and run it, or every guarded program a script starts would be "not found" (a filter on the system calls it uses, a
 * kernel without them). Only a changed shim is copied and proved, through a rename: a running shim keeps its file, and
 * a shim in place has passed. Yields the runs it needs; returns why it cannot be used.
 */
function* placing(dir: string, native: string): Generator<Run, string | undefined, Ran> {
  const target = join(dir, 'shim');
  const bytes = readFileSync(native);
  if (holds(target, bytes, 0o755)) return undefined;
  const name = `.shim-${process.pid}-${randomBytes(6).toString('hex')}`;
  const tmp = join(dir, name);
  const found = join(dir, `.probe-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    // Created here, exclusively: never a file another process prepared under the name.
    writeFileSync(tmp, bytes, { mode: 0o755, flag: 'wx' });
    chmodSync(tmp, 0o755);
    const alone = yield [tmp, { PATH: '' }];
    if (alone.status !== 127 || alone.stderr !== `${name}: command not found\n`) return `it did not run here (${said(alone)})`;
    mkdirSync(found, { mode: 0o700 });
    writeFileSync(join(found, name), '#!/bin/sh\nexit 7\n', { mode: 0o700 });
    const ran = yield [tmp, { PATH: found, AGENT_GUARD_STARTING: '1' }];
    if (ran.status !== 7) return `it could not run a program here (${said(ran)})`;
    renameSync(tmp, target);
    return undefined;
  } catch (e) {
    return `it could not be placed in ${dir}: ${(e as Error).message}`;
  } finally {
    rmSync(tmp, { force: true });
    rmSync(found, { recursive: true, force: true });
  }
}

/** placing(), its runs made one after the other, blocking. */
export function placeNativeShim(dir: string, native: string): string | undefined {
  const steps = placing(dir, native);
  try {
    let step = steps.next();
    while (!step.done) {
      const p = spawnSync(step.value[0], [], { env: step.value[1], encoding: 'utf8', timeout: 5000 });
      step = steps.next({ status: p.status, signal: p.signal, stderr: String(p.stderr ?? ''), error: p.error });
    }
    return step.value;
  } finally {
    // Its temporary files are removed whatever happened (a generator left open would keep them).
    steps.return(undefined);
  }
}

function runLater([file, env]: Run): Promise<Ran> {
  return new Promise((resolve) => {
    let stderr = '';
    let error: Error | undefined;
    try {
      const p = spawn(file, [], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
      p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      p.on('error', (e) => (error = e));
      p.on('close', (status, signal) => resolve({ status, signal, stderr, error }));
    } catch (e) {
      // spawn throws for some failures (ETXTBSY, EPERM) where spawnSync reports them: the same answer either way.
      resolve({ status: null, signal: null, stderr, error: e as Error });
    }
  });
}

/** placing(), its runs made without blocking the thread. */
async function placeNativeShimLater(dir: string, native: string): Promise<string | undefined> {
  const steps = placing(dir, native);
  try {
    let step = steps.next();
    while (!step.done) step = steps.next(await runLater(step.value));
    return step.value;
  } finally {
    steps.return(undefined);
  }
}

/** Where the symbolic link `p` points, or undefined when it is not one. */
function linkTarget(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Makes BIN hold exactly one link per program to TARGET. Links, not copies: the native shim knows which program it
 * stands for from the path the kernel ran (the link). A link already in place is kept (reading it costs a fifth of
 * replacing it); anything else under its name is replaced, and anything under another name removed.
 */
export function linkShims(binDir: string, target: string, programs: readonly string[]): void {
  realDir(binDir, 0o700);
  const wanted = new Set(programs);
  const present = new Set(readdirSync(binDir));
  for (const existing of present) if (!wanted.has(existing)) rmSync(join(binDir, existing), { recursive: true, force: true });
  for (const p of wanted) {
    const link = join(binDir, p);
    if (present.has(p)) {
      if (linkTarget(link) === target) continue;
      rmSync(link, { recursive: true, force: true });
    }
    symlinkSync(target, link);
  }
}

/** What the shims are once placed: their kind, and why the native shim offered was not used. */
export interface PlacedShims {
  shim: ShimKind;
  shimProblem?: string;
}

/** The shim every link points at: the native one where it was proved, else shim.sh. */
export function shimTarget(dir: string, kind: ShimKind): string {
  return join(dir, kind === 'native' ? 'shim' : 'shim.sh');
}

/** Places the shims now (a start with bin/ in place, and every start in tests): the native shim, then bin/. */
export function placeShims(dir: string, binDir: string, programs: readonly string[], native: string | undefined): PlacedShims {
  const shimProblem = native ? placeNativeShim(dir, native) : undefined;
  const shim: ShimKind = native && !shimProblem ? 'native' : 'script';
  if (shim === 'script') rmSync(join(dir, 'shim'), { force: true });
  linkShims(binDir, shimTarget(dir, shim), programs);
  return { shim, shimProblem };
}

/** Whether the folder has no bin/ at all: the extension's first start, where placeShimsLater lays it down. */
export function binAbsent(binDir: string): boolean {
  try {
    lstatSync(binDir);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Places the shims without blocking the thread (the extension's first start, where bin/ is absent): the native shim is
 * proved, then every link is made in a new private folder beside bin/, which is renamed to bin/ once complete. When
 * bin/ appeared meanwhile (another window's first start, or anything else under the name), the new folder is removed
 * and bin/ is checked in place as on any later start.
 */
export async function placeShimsLater(dir: string, binDir: string, programs: readonly string[], native: string | undefined): Promise<PlacedShims> {
  const shimProblem = native ? await placeNativeShimLater(dir, native) : undefined;
  const shim: ShimKind = native && !shimProblem ? 'native' : 'script';
  if (shim === 'script') await rm(join(dir, 'shim'), { force: true });
  const target = shimTarget(dir, shim);
  const staging = await mkdtemp(join(dir, '.bin-'));
  try {
    await chmod(staging, 0o700);
    // Every link settled before any failure is acted on: a folder half-filled is never removed while links still land.
    const made = await Promise.allSettled(programs.map((p) => symlink(target, join(staging, p))));
    const failed = made.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await rename(staging, binDir);
  } catch {
    await rm(staging, { recursive: true, force: true });
  }
  // Checked in place either way: the new folder was open to a same-user process until the rename, as bin/ is after.
  linkShims(binDir, target, programs);
  return { shim, shimProblem };
}
