// `npm start`: serves the built extension in a local VS Code (code-server) on a scratch copy of the demo
// workspace and prints the address to open in a browser. Ctrl+C stops it.
// Options: --port N (or PORT=N); default is a free port.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, VSCODE_VERSION, provision } from './provision.mjs';
import { hasActivated, startInteractive } from './host.mjs';

const EXTENSION_ID = 'agent-guard.agent-guard';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '0' } } });

if (!existsSync(join(root, 'dist', 'extension.js'))) {
  console.error('missing dist/extension.js: run `node esbuild.mjs` first');
  process.exit(1);
}

const host = await provision();
const workspace = join(mkdtempSync(join(tmpdir(), 'agent-guard-demo-')), 'demo');
cpSync(join(root, 'test', 'integration', 'fixtures', 'demo'), workspace, { recursive: true });
process.on('exit', () => rmSync(dirname(workspace), { recursive: true, force: true }));
// A git repository with one commit, so the suggested `git status` and `git push --force` act on a real repository.
const git = (...args) => execFileSync('git', args, { cwd: workspace, stdio: 'ignore' });
try {
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=Demo', '-c', 'user.email=demo@example.invalid', 'commit', '-q', '-m', 'Demo project');
} catch (error) {
  console.warn(`[start] the demo folder is not a git repository (${error.message.split('\n')[0]})`);
}

const server = await startInteractive({ host, folder: workspace, extensionDevelopmentPath: root, port: Number(values.port) });
console.log(`
  Agent Guard in VS Code ${VSCODE_VERSION} (code-server ${CODE_SERVER_VERSION})

  Open in a browser:  ${server.url}

  Workspace:          ${workspace} (scratch copy of test/integration/fixtures/demo)
  Extension:          ${root} (rebuild with \`node esbuild.mjs\`, then reload the page)
  Stop:               Ctrl+C

  The folder is labelled production. Try in its terminal:
    git status                                 runs: it changes nothing
    rm -rf db   ·   git push --force origin main   ·   terraform destroy -auto-approve
                                               held: each waits for you to type the resource's name in the box
                                               at the top of the window (db, main, …); Escape refuses
    curl -X POST https://backboard.railway.app/graphql/v2 -d '{"query":"mutation { volumeDelete(volumeId: \\"vol_prod_main\\") }"}'
                                               refused outright in production: no box is offered for it
`);

// Confirms, once a browser has connected, that the extension host really loaded and activated the extension.
const poll = setInterval(() => {
  if (!hasActivated(server.userDataDir, EXTENSION_ID)) return;
  clearInterval(poll);
  console.log(`[start] ${EXTENSION_ID} activated in the browser window`);
}, 2000);
