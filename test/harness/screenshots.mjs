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
if (run.status !== 0) process.exit(run.status ?? 1);
// The screenshots ship in the .vsix, which must stay under 1 MB: reduced to 256 colours (pngquant, from Debian's
// package of that name) they take a third of the space and look the same.
const shots = ['approval', 'approved', 'refused', 'protection'].map((n) => join(root, 'media', `${n}.png`));
const q = spawnSync('pngquant', ['--quality=75-95', '--speed', '1', '--strip', '--force', '--ext', '.png', ...shots], { stdio: 'inherit' });
if (q.error || q.status !== 0) {
  console.error('screenshots: pngquant is needed to keep the .vsix under 1 MB (apt-get install pngquant)');
  process.exit(1);
}

