// Bundles the extension and the command-line tool; with --tests, transpiles src and test for mocha.
import * as esbuild from 'esbuild';
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { stripExamples } from './esbuild.examples.mjs';
import { buildExtension, watchExtension } from './esbuild.split.mjs';

// The Linux architectures the native pieces are built for (the ELF header's machine field of each).
const X64 = { arch: 'x64', triple: 'x86_64-linux-gnu', machine: 62 /* EM_X86_64 */ };
const ARM64 = { arch: 'arm64', triple: 'aarch64-linux-gnu', machine: 183 /* EM_AARCH64 */ };

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile: true,
  // The rules' examples are test data: dist/ruleExamples.js holds them, loaded only when read (esbuild.examples.mjs).
  plugins: [stripExamples],
  define: { 'process.env.AGENT_GUARD_VERSION': JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
};

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// The CLI must run without VS Code: prove it from the bundle's inputs.
function assertNoVscode(result, label) {
  const inputs = Object.keys(result.metafile.inputs);
  const bad = inputs.filter((i) => i === 'vscode' || i.startsWith('src/vscode/') || i === 'src/extension.ts');
  const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
  if (bad.length || imports.includes('vscode')) {
    throw new Error(`${label} must not depend on vscode, but includes: ${[...bad, ...imports.filter((x) => x === 'vscode')].join(', ')}`);
  }
}

const builds = [
  // dist/main.js is the extension and dist/afterGate.js its part loaded once the gate listens (esbuild.split.mjs);
  // dist/extension.js (src/boot.ts) loads them with V8's code cache.
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/main.js' },
  // dist/cli.js (src/cli/entry.ts) checks Node and loads the tool, dist/cli-main.js, with V8's code cache.
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js' },
  // The gate server judges long command lines in a worker thread (src/gate/judge.ts looks for it beside the bundle).
  { ...common, entryPoints: ['src/gate/judgeWorker.ts'], outfile: 'dist/judgeWorker.js' },
  { ...common, entryPoints: ['src/boot.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/cli/entry.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

// AG_TEST_OUT lets parallel runs transpile into their own folder (it must sit in the repo to find node_modules).
const testOut = process.env.AG_TEST_OUT || 'out';

if (args.has('--tests')) {
  rmSync(testOut, { recursive: true, force: true });
  builds.length = 0;
  builds.push({
    entryPoints: [...walk('src'), ...walk('test')],
    outdir: testOut,
    outbase: '.',
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (watch) {
  // A rebuilt engine may name programs the last list does not: without the list the extension reads the rules.
  rmSync('dist/programs.json', { force: true });
  for (const b of builds) (await esbuild.context(b.outfile === 'dist/main.js' ? watchExtension(esbuild, common) : b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => (b.outfile === 'dist/main.js' ? buildExtension(esbuild, common).then(([main]) => main) : esbuild.build(b))));
  if (!args.has('--tests')) {
    assertNoVscode(results[1], 'dist/cli-main.js');
    assertNoVscode(results[4], 'dist/cli.js');
    // The editor and the CLI share what both need through src/core and src/gate, never the CLI's own modules.
    const fromCli = Object.keys(results[0].metafile.inputs).filter((i) => i.startsWith('src/cli/'));
    if (fromCli.length) throw new Error(`dist/main.js must not include src/cli, but includes: ${fromCli.join(', ')}`);
    // The shell side of the gate ships as files the extension copies into its private folder.
    cpSync('src/shell', 'dist/shell', { recursive: true, filter: (f) => !f.endsWith('.c') });
    await writeProgramList();
    await buildNativeShim();
    await buildBashLine();
  }
}

/**
 * dist/programs.json: every program a rule names (src/gate/install.ts guardedPrograms), read from the rules here, so
 * that the extension installs the shell gate (shims, the words the shells ask about) without loading the engine.
 */
async function writeProgramList() {
  const built = await esbuild.build({
    ...common,
    plugins: [],
    sourcemap: false,
    minify: false,
    metafile: false,
    write: false,
    stdin: { contents: "export { guardedPrograms } from './src/gate/install';", resolveDir: process.cwd(), sourcefile: 'programs.entry.ts', loader: 'ts' },
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', built.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
  const programs = mod.exports.guardedPrograms();
  if (!Array.isArray(programs) || programs.length < 50) throw new Error(`esbuild.mjs: the rules name ${programs?.length} programs; expected a list of more than 50`);
  writeFileSync('dist/programs.json', `${JSON.stringify(programs)}\n`);
}

/**
 * bash's Enter key as a loadable builtin (src/shell/bash-line.c) for x64 Linux, where it is tested: a shared object
 * with no bash headers, linked with -z now (a bash without the symbols it uses refuses it at `enable -f`, and keeps the
 * key macros) and -z nodelete (`enable -d` cannot unmap what Enter is bound to). Elsewhere bash keeps the key macros;
 * a package must carry it, so --production fails without it.
 */
async function buildBashLine() {
  if (process.platform !== 'linux') return;
  const out = 'dist/bash-line-linux-x64.so';
  const flags = ['-shared', '-fPIC', '-O2', '-fvisibility=hidden', '-Wall', '-Wextra', '-Werror', '-Wl,-z,now', '-Wl,-z,nodelete', '-Wl,--build-id=none', '-s'];
  const why = await compileFor(X64, flags, 'src/shell/bash-line.c', out, 'library');
  if (!why) return;
  if (production) throw new Error(`${out} could not be built: ${why}`);
  console.warn(`esbuild.mjs: ${out} not built, so bash's Enter key runs the shell function for every line: ${why}`);
}

/**
 * The native PATH shims (src/shell/shim.c) for x64 and arm64 Linux: static programs with no libc, so each runs on any
 * Linux of its architecture. This machine's is built with `$CC` (or `cc`); the other with `$CC_X64` / `$CC_ARM64` or
 * Debian's cross compiler (gcc-x86-64-linux-gnu / gcc-aarch64-linux-gnu). Where one cannot be built, the shims on
 * that architecture are shim.sh (run by bash); a package must carry both, so --production fails without either.
 */
async function buildNativeShim() {
  if (process.platform !== 'linux') return;
  const flags = ['-Os', '-static', '-nostdlib', '-ffreestanding', '-fno-builtin', '-fno-tree-loop-distribute-patterns', '-fno-pie', '-no-pie'];
  flags.push('-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fno-unwind-tables', '-Wall', '-Wextra', '-Werror', '-Wl,--build-id=none', '-s');
  // Both at once (about a second each).
  const built = await Promise.all(
    [X64, ARM64].map(async (target) => {
      const out = `dist/shim-linux-${target.arch}`;
      const why = await compileFor(target, flags, 'src/shell/shim.c', out, 'program');
      return why && `${out}: ${why}`;
    }),
  );
  const problems = built.filter(Boolean);
  if (!problems.length) return;
  if (production) throw new Error(`the native PATH shims could not be built (install gcc-x86-64-linux-gnu or gcc-aarch64-linux-gnu for the other architecture):\n${problems.join('\n')}`);
  console.warn(`esbuild.mjs: native PATH shims not built, so shims on that architecture run shim.sh with bash:\n${problems.join('\n')}`);
}

/**
 * Compiles one C file for a Linux architecture: with `$CC_X64` / `$CC_ARM64`, else this machine's `$CC` (or `cc`) for
 * its own architecture, else Debian's cross compiler. Returns why it could not, or undefined; nothing is left at `out`
 * unless its ELF header names that architecture (a wrong $CC must not ship under this name).
 */
async function compileFor({ arch, triple, machine }, flags, source, out, what) {
  const cc = process.env[`CC_${arch.toUpperCase()}`] || (arch === process.arch ? process.env.CC || 'cc' : `${triple}-gcc`);
  const error = await new Promise((resolve) => execFile(cc, [...flags, '-o', out, source], (e, _stdout, stderr) => resolve(e && { code: e.code, stderr })));
  const file = error ? undefined : readFileSync(out);
  if (file && file.length > 20 && file.readUInt16LE(18) === machine) return undefined;
  rmSync(out, { force: true });
  return error?.code === 'ENOENT' ? `${cc} was not found` : error ? `${cc} failed:\n${error.stderr}` : `${cc} did not build an ${arch} ${what}`;
}
