// The extension's two bundles: dist/main.js (src/extension.ts: the environment, the engine and the terminals' wiring,
// all the gate needs to listen and answer) and dist/afterGate.js (src/afterGate.ts: views, commands, history,
// snapshots, scans), which src/extension.ts loads once the gate listens. The second bundle does not carry a second
// copy of the project's modules the first one holds: it requires them from the first at run time as
// `agent-guard-main:<path>` (src/boot.ts resolves these from the first bundle's `sharedModules`), so each module has
// one copy of its code and of its state. A third, dist/late.js, holds the modules a `late()` loader (src/core/late.ts)
// requires, and what only they use (the PowerShell, cmd, inline code, SQL and GraphQL readers, minimatch): the others
// require each as `agent-guard-late:<path>`, which src/gate/codeCache.ts loads from dist/late.js the first time a line
// needs it.
import { join, relative, sep } from 'node:path';
import { stripExamples, writeExamples } from './esbuild.examples.mjs';

export const SHARED_PREFIX = 'agent-guard-main:';
export const LATE_PREFIX = 'agent-guard-late:';

/** The project path (with `/`) of a file esbuild resolved. */
const projectPath = (file) => relative(process.cwd(), file).split(sep).join('/');

/**
 * An esbuild plugin: a `require()` of a project module (what src/core/late.ts's loaders make; `import` never is) is
 * left for dist/late.js as `agent-guard-late:<path>`; each such path is added to `late`.
 */
function leaveLate(late) {
  return {
    name: 'leave-late',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'require-call' || args.pluginData?.resolving) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
        if (r.errors.length) return { errors: r.errors };
        const path = projectPath(r.path);
        if (!path.startsWith('src/')) return undefined;
        late.add(path);
        return { path: LATE_PREFIX + path, external: true };
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
 * Builds main.js, afterGate.js and late.js in `outdir` with `options` (esbuild's), the rules' examples left out of them
 * and written to ruleExamples.js beside them (esbuild.examples.mjs); returns the three results, first bundle first.
 */
export async function buildExtension(esbuild, options, outdir = 'dist') {
  const plugins = [...(options.plugins ?? []).filter((p) => p !== stripExamples), stripExamples];
  options = { ...options, plugins };
  await writeExamples(esbuild, outdir, !!options.minify);
  const late = new Set();
  const first = { ...options, plugins: [...plugins, leaveLate(late)], entryPoints: ['src/extension.ts'], outfile: join(outdir, 'main.js') };
  // The project's modules the first bundle holds.
  const held = new Set(Object.keys((await esbuild.build({ ...first, write: false, metafile: true })).metafile.inputs).filter((p) => p.startsWith('src/')));
  const shared = new Set();
  const fromFirst = {
    name: 'from-first-bundle',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData?.resolving) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
        if (r.errors.length) return { errors: r.errors };
        const path = projectPath(r.path);
        if (!held.has(path)) return undefined;
        shared.add(path);
        return { path: SHARED_PREFIX + path, external: true };
      });
    },
  };
  const second = await esbuild.build({ ...options, metafile: true, entryPoints: ['src/afterGate.ts'], outfile: join(outdir, 'afterGate.js'), plugins: [...plugins, fromFirst, leaveLate(late)] });
  const fromCli = Object.keys(second.metafile.inputs).filter((i) => i.startsWith('src/cli/'));
  if (fromCli.length) throw new Error(`dist/afterGate.js must not include src/cli, but includes: ${fromCli.join(', ')}`);
  // The late modules, and what only they use; what the first bundle holds comes from it.
  const third = await esbuild.build({
    ...options,
    metafile: true,
    entryPoints: undefined,
    stdin: { contents: exporting('lateModules', late), resolveDir: process.cwd(), sourcefile: 'src/late.entry.ts', loader: 'ts' },
    outfile: join(outdir, 'late.js'),
    plugins: [...plugins, fromFirst],
  });
  const twice = Object.keys(third.metafile.inputs).filter((p) => held.has(p));
  if (twice.length) throw new Error(`dist/late.js must take the first bundle's modules from it, but holds: ${twice.join(', ')}`);
  // The first bundle again, exporting each shared module's namespace.
  const contents = [`export * from './src/extension';`, exporting('sharedModules', shared)].join('\n');
  const main = await esbuild.build({ ...first, metafile: true, entryPoints: undefined, stdin: { contents, resolveDir: process.cwd(), sourcefile: 'src/extension.entry.ts', loader: 'ts' } });
  const early = Object.keys(main.metafile.inputs).filter((p) => late.has(p));
  if (early.length) throw new Error(`dist/main.js must leave the late modules to dist/late.js, but an import holds: ${early.join(', ')}`);
  return [main, second, third];
}

/** For --watch: a context options object that rebuilds both bundles whenever a file either one reads changes. */
export function watchExtension(esbuild, options) {
  const rebuild = { name: 'rebuild-extension', setup: (build) => build.onEnd((r) => (r.errors.length ? undefined : buildExtension(esbuild, options).then(() => undefined))) };
  return { ...options, entryPoints: ['src/extension.ts', 'src/afterGate.ts'], outdir: 'dist', write: false, plugins: [rebuild] };
}
