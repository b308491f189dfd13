// Entry point the extension host calls (extensionTestsPath): runs every integration test with mocha.
// This file is transpiled, not bundled, so `mocha` resolves from the repository's node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

/** Where the harness wants the counts: it sets this variable on the server, whose extension hosts inherit it. */
const RESULTS_FILE = process.env.AGENT_GUARD_TEST_RESULTS;

export async function run(): Promise<void> {
  // Console output reaches the harness through the window's log forwarding, so no colours or cursor tricks.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000 });
  const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.js'));
  for (const file of files.sort()) mocha.addFile(path.join(__dirname, file));

  const stats = await new Promise<Mocha.Stats>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve(runner.stats!));
    } catch (e) {
      reject(e);
    }
  });
  const counts = { passed: stats.passes, failed: stats.failures, pending: stats.pending };
  if (RESULTS_FILE) fs.writeFileSync(RESULTS_FILE, JSON.stringify(counts));
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.passed + counts.failed} integration tests failed`);
  if (counts.passed === 0) throw new Error(`no integration tests ran (looked for *.test.js under ${__dirname})`);
}
