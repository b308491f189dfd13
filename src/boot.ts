// The extension's entry (dist/extension.js): loads the composed extension with V8's code cache in the extension's
// storage folder, so that starting VS Code does not compile the whole bundle again each time. It comes in two bundles:
// dist/main.js brings the gate up (src/extension.ts), then has this entry load dist/afterGate.js (src/afterGate.ts:
// views, commands, history, snapshots, scans), each with its own cache.
import type * as vscode from 'vscode';
import { join } from 'node:path';
import { CachedModule, loadWithCodeCache } from './gate/codeCache';
import { cpuMs } from './gate/startup';

type Main = typeof import('./extension');
let main: Main | undefined;

export async function activate(context: vscode.ExtensionContext): ReturnType<Main['activate']> {
  const loadStart = performance.now();
  const loadStartCpu = cpuMs();
  // AGENT_GUARD_CODE_CACHE_DIR lets `npm run bench` keep one cache across fresh hosts.
  const cacheDir = process.env.AGENT_GUARD_CODE_CACHE_DIR || join(context.globalStorageUri.fsPath, 'code-cache');
  const loaded: CachedModule<unknown>[] = [];
  const load = <T>(file: string, shared?: Record<string, unknown>) => {
    const start = performance.now();
    const m = loadWithCodeCache<T>(join(__dirname, file), cacheDir, shared);
    loaded.push(m);
    return { exports: m.exports, times: { ms: performance.now() - start, cache: m.cache, ...m.phases } };
  };
  // esbuild.split.mjs adds sharedModules to dist/main.js: the modules dist/afterGate.js takes from it.
  const first = load<Main & { sharedModules?: Record<string, unknown> }>('main.js');
  main = first.exports;
  let afterGateLoad: { ms: number; cache: 'used' | 'rejected' | 'none' } | undefined;
  const api = await main.activate(context, () => {
    const part = load<ReturnType<Parameters<Main['activate']>[1]>>('afterGate.js', first.exports.sharedModules);
    afterGateLoad = part.times;
    return part.exports;
  });
  Object.assign(api.startupTimes, { loadStart, load: first.times, afterGateLoad });
  api.startupTimes.cpu = { ...api.startupTimes.cpu, loadStart: loadStartCpu };
  // Written once the gate is up, with what activation compiled: the next start parses and compiles only the rest.
  setTimeout(() => loaded.forEach((m) => m.save()), 2000).unref?.();
  return api;
}

export function deactivate(): void {
  main?.deactivate();
}
