// The extension's entry (dist/extension.js): loads the composed extension (dist/main.js) with V8's code cache in the
// extension's storage folder, so that starting VS Code does not compile the whole bundle again each time.
import type * as vscode from 'vscode';
import { join } from 'node:path';
import { loadWithCodeCache } from './gate/codeCache';

type Main = typeof import('./extension');
let main: Main | undefined;

export async function activate(context: vscode.ExtensionContext): ReturnType<Main['activate']> {
  const loadStart = performance.now();
  // AGENT_GUARD_CODE_CACHE_DIR lets `npm run bench` keep one cache across fresh hosts.
  const cacheDir = process.env.AGENT_GUARD_CODE_CACHE_DIR || join(context.globalStorageUri.fsPath, 'code-cache');
  const loaded = loadWithCodeCache<Main>(join(__dirname, 'main.js'), cacheDir);
  const load = { ms: performance.now() - loadStart, cache: loaded.cache };
  main = loaded.exports;
  const api = await main.activate(context);
  Object.assign(api.startupTimes, { loadStart, load });
  // Written once the gate is up, with what activation compiled: the next start parses and compiles only the rest.
  setTimeout(() => loaded.save(), 2000).unref?.();
  return api;
}

export function deactivate(): void {
  main?.deactivate();
}
