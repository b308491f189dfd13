// Runs the engine on long command lines off the gate server's event loop (see judge.ts).

import { parentPort } from 'node:worker_threads';
import { CommandContext, Engine, EngineOptions } from '../core/classify';
import type { ShellKind } from '../core/parse/dialect';

interface Job {
  id: number;
  options: EngineOptions;
  command: string;
  shell?: ShellKind;
  context?: CommandContext;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort?.postMessage({ id: job.id, decision: new Engine(job.options).classify(job.command, job.shell, job.context) });
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: (e as Error).message });
  }
});
