// The extension's two bundles: dist/main.js (src/extension.ts: the environment, the engine and the terminals' wiring,
// all the gate needs to listen and answer) and dist/afterGate.js (src/afterGate.ts: views, commands, history,
// snapshots, scans), which src/extension.ts loads once the gate listens. The second bundle does not carry a second
// copy of the project's modules the first one holds: it requires them from the first at run time as
// `agent-guard-main:<path>` (src/boot.ts resolves these from the first bundle's `sharedModules`), so each module has
// one copy of its code and of its state.
import { join, relative, sep } from 'node:path';
import { stripExamples, writeExamples } from './esbuild.examples.mjs';

export const SHARED_PREFIX = 'agent-guard-main:';

/**
 * Builds main.js and afterGate.js in `outdir` with `options` (esbuild's), the rules' examples left out of them and
 * written to ruleExamples.js beside them (esbuild.examples.mjs); returns the two results, first bundle first.
 */
export async function buildExtension(esbuild, options, outdir = 'dist') {
  const plugins = [...(options.plugins ?? []).filter((p) => p !== stripExamples), stripExamples];
  options = { ...options, plugins };
  await writeExamples(esbuild, outdir, !!options.minify);
  const first = { ...options, entryPoints: ['src/extension.ts'], outfile: join(outdir, 'main.js') };
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
        const path = relative(process.cwd(), r.path).split(sep).join('/');
        if (!held.has(path)) return undefined;
        shared.add(path);
        return { path: SHARED_PREFIX + path, external: true };
      });
    },
  };
  const second = await esbuild.build({ ...options, metafile: true, entryPoints: ['src/afterGate.ts'], outfile: join(outdir, 'afterGate.js'), plugins: [...plugins, fromFirst] });
  const fromCli = Object.keys(second.metafile.inputs).filter((i) => i.startsWith('src/cli/'));
  if (fromCli.length) throw new Error(`dist/afterGate.js must not include src/cli, but includes: ${fromCli.join(', ')}`);
  // The first bundle again, exporting each shared module's namespace.
  const names = [...shared].sort();
  const contents = [
    `export * from './src/extension';`,
    ...names.map((p, i) => `import * as m${i} from './${p}';`),
    `export const sharedModules = { ${names.map((p, i) => `${JSON.stringify(p)}: m${i}`).join(', ')} };`,
  ].join('\n');
  const main = await esbuild.build({ ...first, entryPoints: undefined, stdin: { contents, resolveDir: process.cwd(), sourcefile: 'src/extension.entry.ts', loader: 'ts' } });
  return [main, second];
}

/** For --watch: a context options object that rebuilds both bundles whenever a file either one reads changes. */
export function watchExtension(esbuild, options) {
  const rebuild = { name: 'rebuild-extension', setup: (build) => build.onEnd((r) => (r.errors.length ? undefined : buildExtension(esbuild, options).then(() => undefined))) };
  return { ...options, entryPoints: ['src/extension.ts', 'src/afterGate.ts'], outdir: 'dist', write: false, plugins: [rebuild] };
}
