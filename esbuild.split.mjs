// The extension's two bundles: dist/main.js (src/extension.ts: the environment, the engine and the terminals' wiring,
// all the gate needs to listen and answer) and dist/afterGate.js (src/afterGate.ts: views, commands, history,
// snapshots, scans), which src/extension.ts loads once the gate listens. The second bundle does not carry a second
// copy of the project's modules the first one holds: it requires them from the first at run time as
// `agent-guard-main:<path>` (src/boot.ts resolves these from the first bundle's `sharedModules`), so each module has
// one copy of its code and of its state. A third, dist/late.js, holds the modules a `late()` loader (src/core/late.ts)
// requires, and what only they use (the PowerShell, cmd, inline code, SQL and GraphQL readers, minimatch): the others
// require each as `agent-guard-late:<path>`, which src/gate/codeCache.ts loads from dist/late.js the first time a line
// needs it. A fourth, dist/engine.js, holds the engine (src/core/classify.ts, the rules and what only they use), which
// the gate requires as `agent-guard-engine:<path>` once it listens (src/vscode/terminals.ts, src/gate/install.ts): on
// a first start, with no code cache, compiling the engine would be most of the time before the gate listens.
import { join, relative, sep } from 'node:path';
import { stripExamples, writeExamples } from './esbuild.examples.mjs';

export const SHARED_PREFIX = 'agent-guard-main:';
export const LATE_PREFIX = 'agent-guard-late:';
export const ENGINE_PREFIX = 'agent-guard-engine:';
/** The engine's entries: a `require()` of one of these goes to dist/engine.js, of any other project module to late.js. */
const ENGINE_ROOTS = new Set(['src/core/classify.ts', 'src/core/rules/index.ts']);

/** The project path (with `/`) of a file esbuild resolved. */
const projectPath = (file) => relative(process.cwd(), file).split(sep).join('/');

/**
 * An esbuild plugin: a `require()` of a project module (what src/core/late.ts's loaders make; `import` never is) is
 * left for dist/late.js as `agent-guard-late:<path>`, or for dist/engine.js as `agent-guard-engine:<path>` when it
 * is one of ENGINE_ROOTS; each such path is added to `late` or `engine`.
 */
function leaveLate(late, engine) {
  return {
    name: 'leave-late',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'require-call' || args.pluginData?.resolving) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
        if (r.errors.length) return { errors: r.errors };
        const path = projectPath(r.path);
        if (!path.startsWith('src/')) return undefined;
        if (ENGINE_ROOTS.has(path)) {
          engine.add(path);
          return { path: ENGINE_PREFIX + path, external: true };
        }
        late.add(path);
        return { path: LATE_PREFIX + path, external: true };
      });
    },
  };
}

/**
 * An esbuild plugin: an import of a project module in `held` (the modules another bundle holds) is left to that
 * bundle as `prefix` + path; each such path is added to `taken`.
 */
function takeFrom(name, held, prefix, taken) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData?.resolving) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
        if (r.errors.length) return { errors: r.errors };
        const path = projectPath(r.path);
        if (!held.has(path)) return undefined;
        taken.add(path);
        return { path: prefix + path, external: true };
      });
    },
  };
}

/** A stdin entry that exports each module in `paths` (sorted) as `name`[path]. */
function exporting(name, paths) {
  const names = [...paths].sort();
  return [...names.map((p, i) => `import * as m${i} from './${p}';`), `export const ${name} = { ${names.map((p, i) => `${JSON.stringify(p)}: m${i}`).join(', ')} };`].join('\n');
}

/**
 * Builds main.js, afterGate.js, late.js and engine.js in `outdir` with `options` (esbuild's), the rules' examples left out of them
 * and written to ruleExamples.js beside them (esbuild.examples.mjs); returns the four results, first bundle first.
 */
export async function buildExtension(esbuild, options, outdir = 'dist') {
  const plugins = [...(options.plugins ?? []).filter((p) => p !== stripExamples), stripExamples];
  options = { ...options, plugins };
  await writeExamples(esbuild, outdir, !!options.minify);
  const late = new Set();
  const engine = new Set();
  const srcInputs = (result) => Object.keys(result.metafile.inputs).filter((p) => p.startsWith('src/'));
  const first = { ...options, plugins: [...plugins, leaveLate(late, engine)], entryPoints: ['src/extension.ts'], outfile: join(outdir, 'main.js') };
  // The project's modules the first bundle holds; the others take them from it.
  const held = new Set(srcInputs(await esbuild.build({ ...first, write: false, metafile: true })));
  const shared = new Set();
  const fromFirst = () => takeFrom('from-first-bundle', held, SHARED_PREFIX, shared);
  // The engine's modules, and what only they use: the engine bundle as it would be built with just its roots.
  const engineEntry = (extra) => ({
    ...options,
    metafile: true,
    entryPoints: undefined,
    stdin: { contents: exporting('engineModules', new Set([...engine, ...extra])), resolveDir: process.cwd(), sourcefile: 'src/engine.entry.ts', loader: 'ts' },
    outfile: join(outdir, 'engine.js'),
    plugins: [...plugins, fromFirst(), leaveLate(late, engine)],
  });
  const engineHeld = new Set(srcInputs(await esbuild.build({ ...engineEntry([]), write: false })));
  const fromEngine = new Set();
  const second = await esbuild.build({
    ...options,
    metafile: true,
    entryPoints: ['src/afterGate.ts'],
    outfile: join(outdir, 'afterGate.js'),
    plugins: [...plugins, fromFirst(), takeFrom('from-engine-bundle', engineHeld, ENGINE_PREFIX, fromEngine), leaveLate(late, engine)],
  });
  const fromCli = Object.keys(second.metafile.inputs).filter((i) => i.startsWith('src/cli/'));
  if (fromCli.length) throw new Error(`dist/afterGate.js must not include src/cli, but includes: ${fromCli.join(', ')}`);
  // The late modules, and what only they use; what the first bundle or the engine holds comes from it.
  const third = await esbuild.build({
    ...options,
    metafile: true,
    entryPoints: undefined,
    stdin: { contents: exporting('lateModules', late), resolveDir: process.cwd(), sourcefile: 'src/late.entry.ts', loader: 'ts' },
    outfile: join(outdir, 'late.js'),
    plugins: [...plugins, fromFirst(), takeFrom('from-engine-bundle', engineHeld, ENGINE_PREFIX, fromEngine)],
  });
  const twice = srcInputs(third).filter((p) => held.has(p) || engineHeld.has(p));
  if (twice.length) throw new Error(`dist/late.js must take the first bundle's and the engine's modules from them, but holds: ${twice.join(', ')}`);
  // The engine, exporting each of its modules another bundle takes from it.
  const fourth = await esbuild.build(engineEntry(fromEngine));
  const moved = srcInputs(fourth).filter((p) => !engineHeld.has(p));
  if (moved.length) throw new Error(`dist/engine.js holds modules the other bundles did not expect it to: ${moved.join(', ')}`);
  // The first bundle again, exporting each shared module's namespace.
  const contents = [`export * from './src/extension';`, exporting('sharedModules', shared)].join('\n');
  const main = await esbuild.build({ ...first, metafile: true, entryPoints: undefined, stdin: { contents, resolveDir: process.cwd(), sourcefile: 'src/extension.entry.ts', loader: 'ts' } });
  const early = srcInputs(main).filter((p) => late.has(p) || engineHeld.has(p));
  if (early.length) throw new Error(`dist/main.js must leave the late modules to dist/late.js and the engine to dist/engine.js, but an import holds: ${early.join(', ')}`);
  return [main, second, third, fourth];
}

/** For --watch: a context options object that rebuilds both bundles whenever a file either one reads changes. */
export function watchExtension(esbuild, options) {
  const rebuild = { name: 'rebuild-extension', setup: (build) => build.onEnd((r) => (r.errors.length ? undefined : buildExtension(esbuild, options).then(() => undefined))) };
  return { ...options, entryPoints: ['src/extension.ts', 'src/afterGate.ts'], outdir: 'dist', write: false, plugins: [rebuild] };
}
