// Judges command lines for the gate server without ever stalling it: short lines (nearly all) are classified at once;
// long ones go to a worker thread with a deadline, so a 4 MB command from one client delays no other client, and a
// line the engine cannot finish in time is treated as not understood (held in production and staging, with the reason).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CommandContext, Engine } from '../core/classify';
import type { ShellKind } from '../core/parse/dialect';
import type { Decision } from '../core/types';

/** Lines up to this length are judged inline: the engine takes well under a few milliseconds on them. */
export const INLINE_LIMIT = 8 * 1024;
const DEADLINE_MS = 2000;

interface Waiting {
  resolve(d: Decision): void;
  timer: NodeJS.Timeout;
  engine: Engine;
  command: string;
}

export class Judge {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(
    private readonly workerScript = defaultWorkerScript(),
    private readonly deadlineMs = DEADLINE_MS,
  ) {}

  classify(engine: Engine, command: string, shell: ShellKind = 'bash', context: CommandContext = {}): Promise<Decision> {
    if (command.length <= INLINE_LIMIT || !this.workerScript) return Promise.resolve(engine.classify(command, shell, context));
    return new Promise((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        // A worker still busy on a line past its deadline is stopped; the next long line starts a fresh one.
        this.restart();
        resolve(engine.unjudged(command, `it is ${command.length} characters long and could not be judged within ${this.deadlineMs / 1000} s`));
      }, this.deadlineMs);
      this.waiting.set(id, { resolve, timer, engine, command });
      this.ensureWorker().postMessage({ id, options: engine.options, command, shell, context });
    });
  }

  dispose(): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    void this.worker?.terminate();
    this.worker = null;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript!);
    worker.unref();
    worker.on('message', (m: { id: number; decision?: Decision; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      clearTimeout(w.timer);
      w.resolve(m.decision ?? w.engine.unjudged(w.command, `the engine failed: ${m.error}`));
    });
    const fail = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const [id, w] of this.waiting) {
        clearTimeout(w.timer);
        this.waiting.delete(id);
        w.resolve(w.engine.unjudged(w.command, why));
      }
    };
    worker.on('error', (e) => fail(`the engine's worker failed: ${e.message}`));
    worker.on('exit', () => fail("the engine's worker stopped"));
    this.worker = worker;
    return worker;
  }

  private restart(): void {
    const old = this.worker;
    this.worker = null;
    if (!old) return;
    // Lines still waiting on the stopped worker get their answer from their own deadlines.
    old.removeAllListeners('exit');
    old.removeAllListeners('error');
    const orphans = [...this.waiting.entries()];
    void old.terminate();
    for (const [id, w] of orphans) {
      this.waiting.delete(id);
      clearTimeout(w.timer);
      w.resolve(w.engine.unjudged(w.command, 'the engine was restarted while judging it'));
    }
  }
}

/** The worker's script beside this file: dist/judgeWorker.js in the bundle, out/src/gate/judgeWorker.js in tests. */
function defaultWorkerScript(): string | undefined {
  const p = join(__dirname, 'judgeWorker.js');
  return existsSync(p) ? p : undefined;
}
