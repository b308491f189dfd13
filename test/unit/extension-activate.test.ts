// src/extension.ts brings the gate up first and loads the rest of the extension (src/afterGate.ts) after: here with a
// stand-in `vscode` module in plain Node, the real engine, server and shell files. When the second part cannot load,
// the gate still listens and answers, the error is shown to the person and logged, and a command that would have had a
// snapshot says it has none. When it loads, it is composed once the gate listens, and its snapshot runs.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface Seen {
  errors: string[];
  warnings: string[];
  logged: string[];
  env: Map<string, string>;
}

/** Just what the gate's part of activation touches, recorded. */
function standIn(seen: Seen, settings: Record<string, unknown>, folder: string) {
  const disposable = { dispose() {} };
  class EventEmitter<T> {
    private listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => (this.listeners.push(l), disposable);
    fire(e: T) {
      for (const l of this.listeners) l(e);
    }
    dispose() {}
  }
  const Uri = { file: (fsPath: string) => ({ scheme: 'file', fsPath, toString: () => `file://${fsPath}` }) };
  const ws = { uri: Uri.file(folder), name: 'ws', index: 0 };
  const config = (section: string) => ({
    get: (key: string, dflt?: unknown) => settings[`${section}.${key}`] ?? dflt,
    inspect: (key: string) => (`${section}.${key}` in settings ? { key, globalValue: settings[`${section}.${key}`] } : { key }),
    has: (key: string) => `${section}.${key}` in settings,
    update: async () => undefined,
  });
  const event = () => disposable;
  const line = (list: string[]) => (l: string) => list.push(l);
  return {
    EventEmitter,
    Uri,
    Disposable: class {
      constructor(private readonly f: () => void) {}
      dispose() {
        this.f();
      }
    },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    TerminalShellExecutionCommandLineConfidence: { Low: 0, Medium: 1, High: 2 },
    window: {
      createOutputChannel: () => ({ info: line(seen.logged), warn: line(seen.logged), error: line(seen.logged), appendLine: line(seen.logged), dispose() {} }),
      showErrorMessage: async (m: string) => void seen.errors.push(m),
      showWarningMessage: async (m: string) => void seen.warnings.push(m),
      onDidStartTerminalShellExecution: event,
      onDidCloseTerminal: event,
      terminals: [],
    },
    workspace: {
      workspaceFolders: [ws],
      getWorkspaceFolder: (u: { fsPath: string }) => (u.fsPath === folder || u.fsPath.startsWith(folder + '/') ? ws : undefined),
      getConfiguration: config,
      onDidChangeConfiguration: event,
      onDidChangeWorkspaceFolders: event,
      createFileSystemWatcher: () => ({ onDidCreate: event, onDidDelete: event, onDidChange: event, dispose() {} }),
    },
  };
}

function memento() {
  const m = new Map<string, unknown>();
  return { get: (k: string, d?: unknown) => (m.has(k) ? m.get(k) : d), update: async (k: string, v: unknown) => void m.set(k, v), keys: () => [...m.keys()] };
}

describe('extension activation: the gate first, the rest after', function () {
  this.timeout(30_000);
  let dir: string;
  let seen: Seen;
  let context: { subscriptions: { dispose(): void }[] } & Record<string, unknown>;
  const load = (Module as unknown as { _load: (...a: unknown[]) => unknown })._load;
  const saved = process.env.AGENT_GUARD_STATE_DIR;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-activate-'));
    process.env.AGENT_GUARD_STATE_DIR = join(dir, 'state');
    const folder = join(dir, 'ws');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'keep me\n');
    seen = { errors: [], warnings: [], logged: [], env: new Map() };
    const vscode = standIn(seen, { 'agentGuard.environment': 'development' }, folder);
    (Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? vscode : load.call(this, request, ...rest);
    };
    const storage = join(dir, 'storage');
    context = {
      subscriptions: [],
      globalState: memento(),
      workspaceState: memento(),
      globalStorageUri: { fsPath: storage, scheme: 'file' },
      asAbsolutePath: (p: string) => join(ROOT, p),
      environmentVariableCollection: {
        clear: () => seen.env.clear(),
        replace: (k: string, v: string) => void seen.env.set(k, v),
        prepend: () => undefined,
        persistent: true,
        description: '',
      },
    };
  });

  afterEach(() => {
    for (const d of context.subscriptions) d.dispose();
    (Module as unknown as { _load: unknown })._load = load;
    if (saved === undefined) delete process.env.AGENT_GUARD_STATE_DIR;
    else process.env.AGENT_GUARD_STATE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  async function activate(loadAfterGate: () => never | object) {
    const { activate } = require('../../src/extension') as typeof import('../../src/extension');
    return activate(context as never, loadAfterGate as never);
  }

  async function askGate(command: string): Promise<{ verdict: string; message: string }> {
    const { ask } = require('../../src/gate/client') as typeof import('../../src/gate/client');
    return ask({ port: Number(seen.env.get('AGENT_GUARD_PORT')), token: seen.env.get('AGENT_GUARD_TOKEN')! }, { command, cwd: join(dir, 'ws'), kind: 'line' }, { timeoutMs: 10_000 });
  }

  it('a second part that cannot load: the gate still answers, the person is told, and a delete says it has no snapshot', async () => {
    let listeningWhenLoaded: boolean | undefined;
    const api = await activate(() => {
      listeningWhenLoaded = seen.env.has('AGENT_GUARD_PORT');
      throw new Error('dist/afterGate.js: Unexpected end of input');
    });
    assert.equal(listeningWhenLoaded, true, 'the second part is loaded only once the gate listens');
    assert.ok(api.startupTimes.gateListening! <= api.startupTimes.afterGateLoaded!);
    assert.equal(seen.errors.length, 1, 'one error shown');
    assert.match(seen.errors[0], /the gate works, but .* did not load \(dist\/afterGate\.js: Unexpected end of input\)/);
    assert.ok(seen.logged.some((l) => l.includes('could not load the views') && l.includes('Unexpected end of input')), seen.logged.join('\n'));
    assert.equal((await askGate('ls -la')).verdict, 'allow');
    const held = await askGate('rm notes.txt');
    assert.equal(held.verdict, 'allow', held.message); // a single file in development runs, with a snapshot note
    assert.match(held.message, /Snapshot failed \(no snapshot: Agent Guard's history and snapshots did not load: dist\/afterGate\.js: Unexpected end of input\)/);
  });

  it('a second part that loads is composed after the gate listens and its snapshot runs for a delete', async () => {
    const composed: string[] = [];
    await activate(() => ({
      activateAfterGate: () => {
        composed.push(seen.env.get('AGENT_GUARD_PORT') ?? 'not listening');
        return { beforeRun: async () => 'Snapshot kept: notes.txt', beforeCommand: () => undefined };
      },
    }));
    assert.equal(composed.length, 1);
    assert.match(composed[0], /^\d+$/, 'composed with the gate listening');
    assert.deepEqual(seen.errors, []);
    const allowed = await askGate('rm notes.txt');
    assert.equal(allowed.verdict, 'allow');
    assert.match(allowed.message, /Snapshot kept: notes\.txt/);
  });
});
