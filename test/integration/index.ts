// Entry point the extension host calls (extensionTestsPath): runs every integration test with mocha.
// This file is transpiled, not bundled, so `mocha` resolves from the repository's node_modules.
//
// The harness (test/harness/run-integration.mjs) sets two variables on the process that starts the extension
// host, which passes its environment on:
//   AGENT_GUARD_TEST_OUTPUT   file for mocha's report; the harness streams it to stdout
//   AGENT_GUARD_TEST_RESULTS  file for {"passed","failed","pending"}, from which it prints the summary line
// The extension host pins its `console` methods to forward to the window, whose log also carries the
// workbench's own chatter, so console output from tests and the extension lands in test-results/workbench.log.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha = require('mocha');

type Write = (...args: unknown[]) => void;

export async function run(): Promise<void> {
  const outputFile = process.env.AGENT_GUARD_TEST_OUTPUT;
  const write: Write = outputFile ? (...args) => fs.appendFileSync(outputFile, format(...args) + '\n') : console.log;
  let counts;
  try {
    counts = await runMocha(write);
  } catch (e) {
    write('integration tests could not run:', e); // e.g. a test file that throws while loading
    throw e;
  }
  const resultsFile = process.env.AGENT_GUARD_TEST_RESULTS;
  if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(counts));
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.passed + counts.failed} integration tests failed`);
  if (counts.passed === 0) throw new Error(`no integration tests ran (looked for *.test.js under ${__dirname})`);
}

async function runMocha(write: Write): Promise<{ passed: number; failed: number; pending: number }> {
  // Every built-in reporter prints through Base.consoleLog (a property @types/mocha does not declare).
  (Mocha.reporters.Base as unknown as { consoleLog: Write }).consoleLog = write;
  // Generous timeout: Chromium, the server and the extension host share two cores.
  // AGENT_GUARD_TEST_GREP: only the tests whose title matches (npm run bench runs the startup test alone).
  const grep = process.env.AGENT_GUARD_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
  // The README's screenshots are taken by *.shots.js files (test/harness/screenshots.mjs), never in a test run.
  const suffix = process.env.AGENT_GUARD_TEST_SUFFIX || '.test.js';
  const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix));
  for (const file of files.sort()) mocha.addFile(path.join(__dirname, file));
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  return { passed: stats.passes, failed: stats.failures, pending: stats.pending };
}
