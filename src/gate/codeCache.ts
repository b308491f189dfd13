// Loads a CommonJS bundle with V8's code cache: after the first run, V8 skips parsing and compiling most of it. Most of
// what the extension and the CLI spend before their first line of work is V8 compiling the bundle, not running it.
// The cache belongs to this bundle alone (a vm.Script with cachedData), unlike Node's process-wide compile cache, which
// would also fill up with every other extension's code in the shared extension host.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { replaceFile } from '../core/replaceFile';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** How a bundle names a module it takes from the bundle loaded before it (esbuild.split.mjs writes these). */
export const SHARED_PREFIX = 'agent-guard-main:';
/** How a bundle names a module it loads on first use from dist/late.js beside it (esbuild.split.mjs, src/core/late.ts). */
export const LATE_PREFIX = 'agent-guard-late:';
export const LATE_FILE = 'late.js';
/** How a bundle names a module of the engine, which dist/engine.js beside it holds (esbuild.split.mjs). */
export const ENGINE_PREFIX = 'agent-guard-engine:';
export const ENGINE_FILE = 'engine.js';

/** The bundles a module is loaded from on first use, by the prefix its name has, and what each exports them as. */
const ON_FIRST_USE: readonly { prefix: string; file: string; exported: string }[] = [
  { prefix: LATE_PREFIX, file: LATE_FILE, exported: 'lateModules' },
  { prefix: ENGINE_PREFIX, file: ENGINE_FILE, exported: 'engineModules' },
];

/** dist/late.js and dist/engine.js, once loaded, by path: every bundle shares one copy of each of their modules. */
const laterBundles = new Map<string, CachedModule<Record<string, Record<string, unknown> | undefined>>>();

/**
 * The module `path` from the bundle `file` names beside `from`, loaded (with its code cache, saved soon after) the
 * first time any module of it is asked for. `shared` is the first bundle's `sharedModules`, which that bundle takes
 * the modules it shares from. Throws, saying which module and why, when the bundle cannot give it.
 */
function laterModule(from: string, cacheDir: string, shared: Readonly<Record<string, unknown>> | undefined, { file, exported }: (typeof ON_FIRST_USE)[number], path: string): unknown {
  const bundleFile = join(dirname(from), file);
  let bundle = laterBundles.get(bundleFile);
  if (!bundle) {
    try {
      bundle = loadWithCodeCache<Record<string, Record<string, unknown> | undefined>>(bundleFile, cacheDir, shared);
    } catch (e) {
      throw new Error(`${basename(from)} needs ${path} from ${bundleFile}, which could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
    laterBundles.set(bundleFile, bundle);
    const loaded = bundle;
    setTimeout(() => loaded.save(), 2000).unref?.();
  }
  const modules = bundle.exports[exported];
  if (!modules || !Object.prototype.hasOwnProperty.call(modules, path)) throw new Error(`${basename(from)} needs ${path} from ${bundleFile}, which does not hold it: it does not belong to this bundle`);
  return modules[path];
}

export interface CachedModule<T> {
  exports: T;
  /** 'used' when V8 took the cache, 'rejected' when it refused it (another V8, a changed bundle), 'none' without one. */
  cache: 'used' | 'rejected' | 'none';
  /** Where loading it went: reading the bundle and its cache, compiling it, running its top level. */
  phases: { readMs: number; compileMs: number; runMs: number };
  /** Writes the cache, with the functions compiled so far included; once is enough. Never throws. */
  save(): void;
}

/**
 * Requires `file` as Node would, reading and writing its code cache in `cacheDir`. The cache file is named after the
 * bundle, its size and time, and the V8 version, so a new bundle or a new Node never meets an old cache; V8 also
 * checks the source itself and rejects data that does not match it. Anything that goes wrong with the cache (an
 * unreadable or unwritable folder) falls back to compiling, never to not loading. `shared` holds the modules the
 * bundle requires as `agent-guard-main:<path>` (the first bundle's `sharedModules`); one it lacks is an error.
 */
export function loadWithCodeCache<T>(file: string, cacheDir: string, shared?: Readonly<Record<string, unknown>>): CachedModule<T> {
  const start = performance.now();
  const source = readFileSync(file, 'utf8');
  let cachePath: string | null = null;
  let cachedData: Buffer | undefined;
  try {
    const st = statSync(file);
    cachePath = join(cacheDir, `${basename(file)}-${st.size}-${Math.floor(st.mtimeMs)}-${process.versions.v8}.cache`);
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const read = performance.now();
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const compiled = performance.now();
  const cache = cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'none';
  const mod = new Module(file, module);
  mod.filename = file;
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void;
  const nodeRequire = createRequire(file);
  const require = Object.assign((id: string): unknown => {
    // The first bundle shares its own modules with the later ones; a later bundle passes on what it was given.
    const later = ON_FIRST_USE.find((b) => id.startsWith(b.prefix));
    if (later) return laterModule(file, cacheDir, shared ?? (mod.exports as { sharedModules?: Record<string, unknown> }).sharedModules, later, id.slice(later.prefix.length));
    if (!id.startsWith(SHARED_PREFIX)) return nodeRequire(id);
    const path = id.slice(SHARED_PREFIX.length);
    if (!shared || !Object.prototype.hasOwnProperty.call(shared, path)) throw new Error(`${basename(file)} needs ${path} from the bundle loaded before it, which does not export it`);
    return shared[path];
  }, nodeRequire);
  wrapper.call(mod.exports, mod.exports, require, mod, file, dirname(file));
  mod.loaded = true;
  const ran = performance.now();
  let saved = cache === 'used';
  return {
    exports: mod.exports as T,
    cache,
    phases: { readMs: read - start, compileMs: compiled - read, runMs: ran - compiled },
    save() {
      if (saved || !cachePath) return;
      saved = true;
      try {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        replaceFile(cachePath, script.createCachedData(), 0o600);
      } catch {
        // A cache that cannot be written only means the next start compiles again.
      }
    },
  };
}
