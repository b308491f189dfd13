// Runs the extension inside a real VS Code extension host: code-server (the VS Code server, Node 24) on a
// loopback port, driven by Debian's headless Chromium through playwright-core, because no extension host
// starts until a browser window connects. Two modes:
//   runExtensionTests()  opens a window with the test payload and resolves with the tests' exit code;
//   startInteractive()   serves the extension on a workspace for a person's browser and keeps running.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const log = (msg) => console.log(`[host] ${msg}`);

// VS Code user settings for the throwaway profile: quiet, no network, a terminal with shell integration.
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true, // the built-in chat and agent host would try to reach GitHub
  'security.workspace.trust.enabled': false,
  'terminal.integrated.defaultProfile.linux': 'bash',
  'terminal.integrated.shellIntegration.enabled': true,
};

// Chromium is Debian's; these keep it from reaching for the network or a real profile.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The URL that opens `folder` and loads the extension at `extensionDevelopmentPath` (plus tests, if given). */
export function workbenchUrl(origin, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (path) => `vscode-remote://${new URL(origin).host}${resolve(path)}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `${origin}/?folder=${encodeURIComponent(resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Starts code-server in its own process group with a throwaway profile and resolves once it listens.
 * `port` 0 lets the kernel choose; the real address is read back from the server's log line.
 */
export async function startServer({ host, port = 0, env = {}, serverLog }) {
  const root = mkdtempSync(join(tmpdir(), 'agent-guard-host-'));
  const dir = (name) => {
    const p = join(root, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const userDataDir = dir('user-data');
  mkdirSync(join(userDataDir, 'User'));
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n'); // keeps code-server from reading or writing ~/.config/code-server

  const args = [
    host.codeServer,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', dir('extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    // Makes the workbench honour the URL's extensionDevelopmentPath/extensionTestsPath payload and expose
    // window.codeAutomationExit/codeAutomationLog to the page.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = spawn(host.node, args, {
    detached: true, // own process group: code-server forks a child server and extension hosts
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SHELL: '/bin/bash',
      XDG_CONFIG_HOME: dir('xdg-config'),
      XDG_DATA_HOME: dir('xdg-data'),
      XDG_CACHE_HOME: dir('xdg-cache'),
      EXTENSIONS_GALLERY: '{}', // no marketplace: code-server would query open-vsx.org
      ...env,
    },
  });
  const logStream = createWriteStream(serverLog ?? join(root, 'code-server.log'));
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
    signalGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    signalGroup(child.pid, 'SIGKILL'); // stragglers (extension host, terminals) that ignored SIGTERM
    logStream.end();
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
  process.once('exit', () => signalGroup(child.pid, 'SIGKILL'));

  const origin = await new Promise((resolveOrigin, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const m = /HTTP server listening on (http:\/\/[^\s/]+)/.exec(output);
      if (m) {
        child.stdout.off('data', onData);
        clearTimeout(timer);
        resolveOrigin(m[1]);
      }
    };
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within 60s:\n${output}`)), 60_000);
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output}`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { origin, userDataDir, stop };
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if (e.code !== 'ESRCH') throw e;
  }
}

/** Launches headless Chromium on a fresh temporary profile. */
export function launchBrowser(host) {
  return chromium.launch({ executablePath: host.chromium, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Opens a window with the test payload and resolves with the exit code the extension host reports.
 * The tests' console output is forwarded to this process's stdout/stderr.
 * On failure or timeout, a screenshot and the VS Code logs are saved to `resultsDir`.
 */
export async function runExtensionTests({
  host,
  folder,
  extensionDevelopmentPath,
  extensionTestsPath,
  env,
  timeoutMs = 10 * 60 * 1000,
  resultsDir = 'test-results',
}) {
  mkdirSync(resultsDir, { recursive: true });
  const started = Date.now();
  const server = await startServer({ host, env, serverLog: join(resultsDir, 'code-server.log') });
  log(`code-server ${server.origin} ready (${Date.now() - started} ms)`);
  let browser;
  let page;
  let code;
  try {
    browser = await launchBrowser(host);
    page = await browser.newPage();
    const exit = new Promise((r) => page.exposeFunction('codeAutomationExit', (c) => r(c)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      (type === 'error' ? console.error : console.log)('TYPE='+type, ...args);
    });
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    await page.goto(workbenchUrl(server.origin, { folder, extensionDevelopmentPath, extensionTestsPath }));
    code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') console.error(`[host] no result within ${timeoutMs / 1000}s`);
    log(`extension host finished with ${code} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    return code === 'timeout' ? 1 : code;
  } finally {
    if (code !== 0) await saveEvidence({ page, server, resultsDir });
    await browser?.close().catch(() => {});
    await server.stop();
  }
}

async function saveEvidence({ page, server, resultsDir }) {
  const screenshot = join(resultsDir, 'integration-failure.png');
  await page?.screenshot({ path: screenshot, timeout: 15_000 }).then(
    () => log(`screenshot: ${screenshot}`),
    (e) => log(`screenshot failed: ${e.message}`),
  );
  const logs = join(resultsDir, 'vscode-logs');
  rmSync(logs, { recursive: true, force: true });
  if (existsSync(join(server.userDataDir, 'logs'))) cpSync(join(server.userDataDir, 'logs'), logs, { recursive: true });
  log(`VS Code logs: ${logs}, server log: ${join(resultsDir, 'code-server.log')}`);
}

/**
 * Serves the extension on `folder` for a person's browser. Resolves with the URL to open and a stop function;
 * the server keeps running until stop() is called.
 */
export async function startInteractive({ host, folder, extensionDevelopmentPath, port = 0 }) {
  const server = await startServer({ host, port });
  return { url: workbenchUrl(server.origin, { folder, extensionDevelopmentPath }), stop: server.stop };
}
