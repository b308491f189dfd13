// Runs the integration tests (out/test/integration/index.js) in a real VS Code extension host on a fresh copy
// of the fixture workspace, streams their output, and closes with `N passed, N failed`.
// Builds nothing: run `node esbuild.mjs && node esbuild.mjs --tests` first.
//   default:                 code-server + headless Chromium, provisioned by provision.mjs
//   VSCODE_EXECUTABLE=path:  a desktop VS Code through @vscode/test-electron (never downloads one); no page
//                            there, so tests that need a person's key presses (person.ts) time out
// INTEGRATION_TIMEOUT_S bounds the whole run (default 600). AGENT_GUARD_EXTENSION_DIR runs another build of the
// extension (a folder with package.json and dist/) than this clone's, e.g. to compare two builds' start-up.
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const testOut = resolve(root, process.env.AG_TEST_OUT || 'out'); // same variable as esbuild.mjs --tests
const extensionTestsPath = join(testOut, 'test', 'integration', 'index.js');
const timeoutMs = Number(process.env.INTEGRATION_TIMEOUT_S || 600) * 1000;
const extensionDir = resolve(process.env.AGENT_GUARD_EXTENSION_DIR || root);

for (const built of [join(extensionDir, 'dist', 'extension.js'), extensionTestsPath]) {
  if (!existsSync(built)) {
    console.error(`missing ${built}: run \`node esbuild.mjs && node esbuild.mjs --tests\` first`);
    process.exit(1);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'agent-guard-it-'));
const workspace = join(scratch, 'workspace');
// AGENT_GUARD_IT_FIXTURE picks another fixture folder (the README's screenshots use `demo`, as `npm start` does).
cpSync(join(root, 'test', 'integration', 'fixtures', process.env.AGENT_GUARD_IT_FIXTURE || 'workspace'), workspace, { recursive: true });
const outputFile = join(scratch, 'output.log');
const resultsFile = join(scratch, 'results.json');
const personDir = join(scratch, 'person');
// Read inside the extension host, which inherits them: by test/integration/index.ts (output, counts) and
// test/integration/person.ts (requests for key presses, carried out in the page by person.mjs).
const env = { AGENT_GUARD_STATE_DIR: join(scratch, 'state'), AGENT_GUARD_TEST_OUTPUT: outputFile, AGENT_GUARD_TEST_RESULTS: resultsFile, AGENT_GUARD_PERSON_DIR: personDir };

/** Copies what the tests append to `file` onto stdout as it arrives; returns a function that flushes and stops. */
function follow(file) {
  let position = 0;
  const buffer = Buffer.alloc(64 * 1024);
  const drain = () => {
    if (!existsSync(file)) return;
    const fd = openSync(file, 'r');
    try {
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, position)) > 0; position += n) {
        process.stdout.write(buffer.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(drain, 250);
  return () => {
    clearInterval(timer);
    drain();
  };
}

const stopFollowing = follow(outputFile);
let exitCode;
try {
  if (process.env.VSCODE_EXECUTABLE) {
    const { runTests } = await import('@vscode/test-electron');
    exitCode = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
      extensionDevelopmentPath: extensionDir,
      extensionTestsPath,
      extensionTestsEnv: env,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } else {
    const { provision } = await import('./provision.mjs');
    const { runExtensionTests } = await import('./host.mjs');
    const { servePerson } = await import('./person.mjs');
    exitCode = await runExtensionTests({
      host: await provision(),
      folder: workspace,
      extensionDevelopmentPath: extensionDir,
      extensionTestsPath,
      env,
      drive: (page) => servePerson(page, personDir),
      timeoutMs,
      resultsDir: join(root, 'test-results'),
    });
  }
} catch (e) {
  console.error(e); // test-electron rejects on a non-zero exit; the host rejects when it cannot start
  exitCode = 1;
}
stopFollowing();

const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
rmSync(scratch, { recursive: true, force: true });
if (!results) {
  console.error('integration tests reported no results: the extension host did not run them to the end');
  process.exit(exitCode || 1);
}
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(exitCode || (results.failed > 0 ? 1 : 0));
