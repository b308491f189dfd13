// `npm run screenshots`: retakes the README's screenshots (media/*.png) in the real VS Code, on the demo workspace
// `npm start` serves, by running test/integration/readme.shots.ts instead of the tests.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const args of [['esbuild.mjs'], ['esbuild.mjs', '--tests']]) {
  const b = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const run = spawnSync(process.execPath, [join(root, 'test', 'harness', 'run-integration.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, AGENT_GUARD_IT_FIXTURE: 'demo', AGENT_GUARD_TEST_SUFFIX: '.shots.js', AGENT_GUARD_SCREENSHOTS: join(root, 'media') },
});
process.exit(run.status ?? 1);
