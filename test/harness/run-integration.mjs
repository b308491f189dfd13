// Runs the integration tests (out/test/integration/index.js) in a real VS Code extension host on a fresh copy
// of the fixture workspace, then prints `N passed, N failed`. Builds nothing: run the esbuild steps first.
//   default:                 code-server + headless Chromium, provisioned by provision.mjs
//   VSCODE_EXECUTABLE=path:  a desktop VS Code through @vscode/test-electron (never downloads one)
// INTEGRATION_TIMEOUT_S bounds the whole run (default 600).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const testOut = resolve(root, process.env.AG_TEST_OUT || 'out'); // matches esbuild.mjs --tests
const extensionTestsPath = join(testOut, 'test', 'integration', 'index.js');
const timeoutMs = Number(process.env.INTEGRATION_TIMEOUT_S || 600) * 1000;

for (const built of [join(root, 'dist', 'extension.js'), extensionTestsPath]) {
  if (!existsSync(built)) {
    console.error(`missing ${built}: run \`node esbuild.mjs && node esbuild.mjs --tests\` first`);
    process.exit(1);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'agent-guard-it-'));
const workspace = join(scratch, 'workspace');
cpSync(join(root, 'test', 'integration', 'fixtures', 'workspace'), workspace, { recursive: true });
const resultsFile = join(scratch, 'results.json');
// index.ts writes the mocha counts here; extension hosts inherit the environment of the process that starts them.
const env = { AGENT_GUARD_TEST_RESULTS: resultsFile };

let exitCode;
try {
  if (process.env.VSCODE_EXECUTABLE) {
    const { runTests } = await import('@vscode/test-electron');
    exitCode = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
      extensionTestsEnv: env,
    }).catch((e) => {
      console.error(e);
      return 1;
    });
  } else {
    const { provision } = await import('./provision.mjs');
    const { runExtensionTests } = await import('./host.mjs');
    exitCode = await runExtensionTests({
      host: await provision(),
      folder: workspace,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      env,
      timeoutMs,
      resultsDir: join(root, 'test-results'),
    });
  }
} catch (e) {
  console.error(e);
  exitCode = 1;
}

const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
rmSync(scratch, { recursive: true, force: true });
if (!results) {
  console.error('integration tests reported no results (the extension host did not run them to the end)');
  process.exit(exitCode || 1);
}
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(exitCode === 0 && results.failed === 0 ? 0 : exitCode || 1);
