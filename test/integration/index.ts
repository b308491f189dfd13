// Entry point the extension host calls (extensionTestsPath): runs every integration test with mocha.
// This file is transpiled, not bundled, so `mocha` resolves from the repository's node_modules.
//
// The harness (test/harness/run-integration.mjs) sets two variables on the process that starts the extension
// host, which passes its environment on:
//   AGENT_GUARD_TEST_OUTPUT   file that receives the run's console output; the harness streams it to stdout
//                             (the window's own log channel mixes it with the workbench's chatter)
//   AGENT_GUARD_TEST_RESULTS  file that receives {"passed","failed","pending"} for the closing summary line
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha = require('mocha');

export async function run(): Promise<void> {
  const restoreConsole = redirectConsole(process.env.AGENT_GUARD_TEST_OUTPUT);
  try {
    const counts = await runMocha();
    const resultsFile = process.env.AGENT_GUARD_TEST_RESULTS;
    if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(counts));
    if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.passed + counts.failed} integration tests failed`);
    if (counts.passed === 0) throw new Error(`no integration tests ran (looked for *.test.js under ${__dirname})`);
  } finally {
    restoreConsole();
  }
}

async function runMocha(): Promise<{ passed: number; failed: number; pending: number }> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000 });
  const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.js'));
  for (const file of files.sort()) mocha.addFile(path.join(__dirname, file));
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  return { passed: stats.passes, failed: stats.failures, pending: stats.pending };
}

/** Sends console output (mocha's reporter, the tests', the extension's) to `file`; returns the undo. */
function redirectConsole(file: string | undefined): () => void {
  if (!file) return () => {};
  const fd = fs.openSync(file, 'a');
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  // Synchronous writes: the extension host exits as soon as run() settles.
  for (const m of methods) console[m] = (...args: unknown[]) => fs.writeSync(fd, format(...args) + '\n');
  return () => {
    methods.forEach((m, i) => (console[m] = saved[i]));
    fs.closeSync(fd);
  };
}
