// Runs the extension inside a real VS Code extension host: code-server (the VS Code server, Node 24) on a
// loopback port, driven by Debian's headless Chromium through playwright-core, because no extension host
// starts until a browser window connects. Two modes:
//   runExtensionTests()  opens a window with the test payload and resolves with the tests' exit code;
//   startInteractive()   serves the extension on a workspace for a person's browser and keeps running.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const log = (msg) => console.log(`[host] ${msg}`);
const SCREENSHOT = 'integration-failure.png';
const VSCODE_LOGS = 'vscode-logs';

// VS Code user settings for the throwaway profile: quiet, no network, bash terminals.
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true, // the built-in chat and agent host would try to reach GitHub
  'terminal.integrated.defaultProfile.linux': 'bash', // a shell that VS Code's shell integration supports
  'terminal.integrated.gpuAcceleration': 'off', // xterm's DOM renderer: the terminal's text is on the page to read
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
  // `npm run bench -- startup` keeps the profile (the extension's storage: the gate's shell folder) from one start to
  // the next, as a person's VS Code does.
  const userDataDir = process.env.AGENT_GUARD_HOST_USER_DATA || dir('user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
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
      SHELL: '/bin/bash', // vscode.env.shell and task shells follow it
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

  // The server is not in our process group, so Ctrl+C and a dying parent would not reach it: forward both.
  const killNow = () => signalGroup(child.pid, 'SIGKILL');
  const onSignal = (signal) => stop().finally(() => process.exit(128 + osConstants.signals[signal]));
  process.on('exit', killNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const exited = new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(killNow, 5000);
      await exited;
      clearTimeout(timer);
      killNow(); // stragglers of the group (extension host, pty host, shells) that outlived the server
      process.off('exit', killNow);
      logStream.end();
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    })());

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
 * Opens a window with the test payload and resolves with the exit code the extension host reports
 * (1 on timeout). The workbench's log, which also carries the extension host's console, goes to
 * `resultsDir/workbench.log`; on failure or timeout a screenshot and VS Code's logs are saved there too.
 * `drive(page)`, if given, starts acting on the page while the tests run and returns a function that stops it.
 */
export async function runExtensionTests({
  host,
  folder,
  extensionDevelopmentPath,
  extensionTestsPath,
  env,
  drive,
  timeoutMs = 10 * 60 * 1000,
  resultsDir = 'test-results',
}) {
  mkdirSync(resultsDir, { recursive: true });
  for (const stale of [SCREENSHOT, VSCODE_LOGS]) rmSync(join(resultsDir, stale), { recursive: true, force: true });
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  const server = await startServer({ host, env, serverLog: join(resultsDir, 'code-server.log') });
  log(`code-server listening on ${server.origin} (${elapsed()})`);
  const workbenchLog = createWriteStream(join(resultsDir, 'workbench.log'));
  let browser;
  let page;
  let stopDriving;
  let code;
  let timer;
  try {
    browser = await launchBrowser(host);
    page = await browser.newPage();
    stopDriving = drive?.(page);
    let onExit;
    const exit = new Promise((r) => (onExit = r));
    await page.exposeFunction('codeAutomationExit', (c) => onExit(c));
    await page.exposeFunction('codeAutomationLog', (type, args) => workbenchLog.write(`${elapsed()} ${type} ${format(...args)}\n`));
    const timeout = new Promise((r) => (timer = setTimeout(r, timeoutMs, 'timeout')));
    const url = workbenchUrl(server.origin, { folder, extensionDevelopmentPath, extensionTestsPath });
    const loaded = page.goto(url, { timeout: 0 }).then(() => log(`workbench loaded in Chromium (${elapsed()})`));
    code = await Promise.race([loaded.then(() => exit), timeout]);
    if (code === 'timeout') {
      log(`timed out: no result within ${timeoutMs / 1000}s`);
      code = 1;
    }
    log(`extension host exited with code ${code} (${elapsed()})`);
    return code;
  } finally {
    clearTimeout(timer);
    await stopDriving?.();
    if (code !== 0) await saveEvidence({ page, server, resultsDir });
    await browser?.close().catch(() => {});
    await server.stop();
    workbenchLog.end();
  }
}

async function saveEvidence({ page, server, resultsDir }) {
  const screenshot = join(resultsDir, SCREENSHOT);
  await page?.screenshot({ path: screenshot, timeout: 15_000 }).then(
    () => log(`screenshot: ${screenshot}`),
    (e) => log(`screenshot failed: ${e.message}`),
  );
  const logs = join(server.userDataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, join(resultsDir, VSCODE_LOGS), { recursive: true });
  log(`logs: ${resultsDir}/{workbench.log,code-server.log,${VSCODE_LOGS}/}`);
}

/**
 * Serves the extension on `folder` for a person's browser and resolves with the URL to open; the server keeps
 * running until stop() is called. The URL carries the extensionDevelopmentPath payload, which the workbench
 * honours with the smoke-test driver on; without extensionTestsPath, dialogs and everything else behave normally.
 */
export async function startInteractive({ host, folder, extensionDevelopmentPath, port = 0 }) {
  const server = await startServer({ host, port });
  return { ...server, url: workbenchUrl(server.origin, { folder, extensionDevelopmentPath }) };
}

/** Whether an extension host of this server has logged activating `extensionId` (a line at info level). */
export function hasActivated(userDataDir, extensionId) {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return false;
  return readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('exthost.log'))
    .some((f) => readFileSync(join(logs, f), 'utf8').includes(`_doActivateExtension ${extensionId},`));
}
