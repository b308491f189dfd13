// Provisions what the integration tests need to run a real VS Code extension host offline:
// Debian packages (Chromium, zsh, native-build headers, a cross compiler and qemu) and code-server (VS Code server) under Node 24,
// installed once into a per-user cache outside the clone and reused by every later run.
// Usage: `node test/harness/provision.mjs` (prints the paths; a no-op when VSCODE_EXECUTABLE names a desktop
// VS Code, which run-integration.mjs then uses instead), or `import { provision }`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const VSCODE_VERSION = '1.139.1'; // the VS Code that this code-server bundles
export const NODE_VERSION = '24.21.0'; // code-server 4.139 refuses any Node but 24
// The platform package behind npm's `node` package: bin/node plus the include/ headers node-gyp needs.
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;
// wine64: a cmd.exe and Windows Node for the Windows hook launcher's unit tests (test/unit/wine.ts).
// The other Linux architecture's cross compiler (esbuild.mjs builds both native PATH shims) and qemu-user-static, which
// runs that shim in the shim tests and the package check (test/unit/emulated-shim.ts).
const OTHER_ARCH = { x64: { gcc: 'gcc-aarch64-linux-gnu' }, arm64: { gcc: 'gcc-x86-64-linux-gnu' } }[process.arch];
// The programs the red team's round 15 runs for real (test/redteam/round15-runners.jsonl): each runs a command elsewhere.
const RUNNERS = ['tmux', 'screen', 'parallel', 'socat', 'ncat', 'dtach', 'entr', 'lua5.4', 'bubblewrap', 'sshpass', 'cmake'];
// Round 16's launchers (test/redteam/round16*.jsonl; its control fails without them): R's front end and kitty.
const LAUNCHERS = ['r-base-core', 'kitty'];
const APT_PACKAGES = ['chromium', 'zsh', 'libkrb5-dev', 'pkg-config', 'postgresql', 'sqlite3', 'wine64', 'locales', ...RUNNERS, ...LAUNCHERS, ...(OTHER_ARCH ? [OTHER_ARCH.gcc, 'qemu-user-static'] : [])];
const CHROMIUM = '/usr/bin/chromium';
const LOCK_WAIT_MS = 20 * 60 * 1000;

const log = (msg) => console.log(`[provision] ${msg}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** The cache directory for this pair of versions; native modules are built against this exact Node. */
export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'agent-guard', 'vscode-host', `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
}

function paths(dir) {
  const nodeDir = join(dir, 'node_modules', NODE_PACKAGE);
  return {
    cacheDir: dir,
    nodeDir,
    node: join(nodeDir, 'bin', 'node'),
    codeServer: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: CHROMIUM,
  };
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.error) throw r.error;
  return r.status;
}

function missingAptPackages() {
  return APT_PACKAGES.filter((pkg) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureAptPackages() {
  const missing = missingAptPackages();
  if (missing.length === 0) {
    log(`apt packages present: ${APT_PACKAGES.join(', ')}`);
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}; install them as root: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  const started = Date.now();
  log(`installing apt packages: ${missing.join(' ')}`);
  // Wait for another apt/dpkg run instead of failing on its lock.
  const install = () =>
    run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (install() !== 0) {
    log('apt-get install failed; refreshing the package lists and retrying');
    if (run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update']) !== 0 || install() !== 0) {
      throw new Error(`apt-get install ${missing.join(' ')} failed`);
    }
  }
  log(`apt packages installed (${seconds(started)})`);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** A directory lock (mkdir is atomic); a lock whose owner process died on this host is taken over. */
async function withLock(lockDir, fn) {
  const ownerFile = join(lockDir, 'owner.json');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: hostname() }));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner;
    try {
      owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
    } catch {
      owner = undefined; // the owner is between mkdir and writing its pid, or died there
    }
    if (owner && owner.host === hostname() && !isAlive(owner.pid)) {
      log(`removing stale lock of dead process ${owner.pid}`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lockDir}`);
    if (!announced) log(`waiting for another install to finish (lock ${lockDir}, owner ${owner?.pid ?? 'unknown'})`);
    announced = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * The environment for a nested `npm install`: ours without the variables npm sets for the scripts it runs.
 * Run from `npm test`, the parent's `npm_config_user_agent` (which names its Node) and its other `npm_*` settings
 * would reach code-server's postinstall, which then refuses to run under anything but the Node it expects.
 */
export function cleanNpmEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE'));
}

function npmInstall(dir, dependencies, env) {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'agent-guard-vscode-host',
        private: true,
        description: 'Cache for the Agent Guard integration tests; created by test/harness/provision.mjs',
        dependencies,
        // npm 11 warns about (or, with strict-allow-scripts, refuses) install scripts not listed here.
        allowScripts: { 'code-server': true, argon2: true },
      },
      null,
      2,
    ) + '\n',
  );
  const status = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=warn'], { cwd: dir, env });
  if (status !== 0) throw new Error(`npm install in ${dir} failed with exit code ${status}`);
}

function installCodeServer(dir) {
  const p = paths(dir);
  rmSync(dir, { recursive: true, force: true }); // an unfinished earlier attempt
  mkdirSync(dir, { recursive: true });

  let started = Date.now();
  log(`installing ${NODE_PACKAGE}@${NODE_VERSION} into ${dir}`);
  npmInstall(dir, { [NODE_PACKAGE]: NODE_VERSION }, cleanNpmEnv());
  const version = spawnSync(p.node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`expected ${p.node} to be v${NODE_VERSION}, got ${version}`);
  log(`node ${version} installed (${seconds(started)})`);

  started = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} with Node 24 (builds native modules; about 2 minutes)`);
  npmInstall(
    dir,
    { [NODE_PACKAGE]: NODE_VERSION, 'code-server': CODE_SERVER_VERSION },
    {
      ...cleanNpmEnv(),
      // code-server's postinstall runs nested `npm install`s that must run under, and compile against, Node 24.
      PATH: `${dirname(p.node)}:${process.env.PATH}`,
      npm_config_nodedir: p.nodeDir,
    },
  );
  if (!existsSync(p.codeServer)) throw new Error(`code-server entry missing after install: ${p.codeServer}`);
  log(`code-server installed (${seconds(started)})`);
}

/** Ensures everything is installed and returns { cacheDir, nodeDir, node, codeServer, chromium }. */
export async function provision() {
  const started = Date.now();
  ensureAptPackages();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing although the chromium package is installed`);

  const dir = cacheDir();
  const marker = join(dir, '.complete');
  const expected = JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION });
  const complete = () => existsSync(marker) && readFileSync(marker, 'utf8') === expected;
  if (!complete()) {
    mkdirSync(dirname(dir), { recursive: true });
    await withLock(`${dir}.lock`, () => {
      if (complete()) return; // another run finished it while we waited
      installCodeServer(dir);
      writeFileSync(marker, expected); // only now may other runs use the cache
    });
  }
  log(`ready: code-server ${CODE_SERVER_VERSION}, Node ${NODE_VERSION}, cache ${dir} (${seconds(started)})`);
  return paths(dir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.env.VSCODE_EXECUTABLE) {
    log(`VSCODE_EXECUTABLE is set: the tests use that desktop VS Code, nothing to provision`);
    process.exit(0);
  }
  try {
    const p = await provision();
    for (const [key, value] of Object.entries(p)) console.log(`${key}=${value}`);
  } catch (e) {
    console.error(`[provision] error: ${e.message}`);
    process.exit(1);
  }
}
