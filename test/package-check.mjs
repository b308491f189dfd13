// npm test's last step: `npm run package` builds the .vsix that ships, and this checks it — it builds, it holds only
// what the extension needs at run time (the .vscodeignore allow-list), and it stays under 1 MB.
// Prints `N passed, N failed` like the other steps.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VSIX = 'agent-guard.vsix';
const LIMIT = 1024 * 1024;
const checks = [];
const check = (name, ok, detail = '') => {
  checks.push(ok);
  console.log(`${ok ? '  ✓' : '  ✗'} ${name}${detail ? ` — ${detail}` : ''}`);
};

rmSync(VSIX, { force: true });
const build = spawnSync('npm', ['run', 'package'], { encoding: 'utf8' });
check('npm run package builds the .vsix', build.status === 0, build.status === 0 ? '' : `${build.stdout}\n${build.stderr}`.trim().split('\n').slice(-5).join('\n'));
if (build.status === 0) {
  const size = statSync(VSIX).size;
  check(`the .vsix is under 1 MB`, size < LIMIT, `${(size / 1024).toFixed(0)} KB`);
  const list = spawnSync('unzip', ['-Z1', VSIX], { encoding: 'utf8' }).stdout.trim().split('\n');
  const allowed = /^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt|dist\/(extension|main|afterGate|late|engine|cli|cli-main|judgeWorker|ruleExamples)\.js|dist\/programs\.json|dist\/shim-linux-(x64|arm64)|dist\/bash-line-linux-x64\.so|dist\/shell\/[^/]+|media\/[^/]+))$/;
  const stray = list.filter((f) => !allowed.test(f));
  check('it holds only run-time files', stray.length === 0, stray.length ? `unexpected: ${stray.join(', ')}` : `${list.length} files`);
  for (const needed of ['extension/dist/extension.js', 'extension/dist/main.js', 'extension/dist/afterGate.js', 'extension/dist/late.js', 'extension/dist/engine.js', 'extension/dist/programs.json', 'extension/dist/cli.js', 'extension/dist/cli-main.js', 'extension/dist/judgeWorker.js', 'extension/dist/ruleExamples.js', 'extension/dist/shell/lib.bash', 'extension/dist/shell/interactive.zsh']) {
    check(`it holds ${needed}`, list.includes(needed));
  }
  // The programs the rules name, which the extension installs the shell gate from without loading the engine.
  let programs;
  try {
    programs = JSON.parse(spawnSync('unzip', ['-p', VSIX, 'extension/dist/programs.json'], { encoding: 'utf8' }).stdout);
  } catch (e) {
    programs = String(e);
  }
  check('its dist/programs.json lists the guarded programs', Array.isArray(programs) && programs.length > 100 && ['rm', 'terraform', 'psql', 'git'].every((p) => programs.includes(p)), Array.isArray(programs) ? `${programs.length} programs` : programs);
  // The native PATH shims for x64 and arm64 Linux (a package built on Linux must carry both), and the packaged bytes
  // run: under their own name with no PATH they say they find no program of that name. This machine's runs as it is,
  // the other architecture's under qemu-user (Debian's qemu-user-static, which provisioning installs).
  if (process.platform === 'linux') {
    const qemu = { x64: '/usr/bin/qemu-x86_64-static', arm64: '/usr/bin/qemu-aarch64-static' };
    for (const arch of ['x64', 'arm64']) {
      const shim = `extension/dist/shim-linux-${arch}`;
      check(`it holds ${shim}`, list.includes(shim));
      const runner = arch === process.arch ? [] : [qemu[arch]];
      if (runner.length && !existsSync(runner[0])) {
        if (process.env.CI) check(`the packaged ${arch} shim runs under qemu`, false, `${runner[0]} is missing: node test/harness/provision.mjs installs it`);
        else console.log(`  - the packaged ${arch} shim is not run: ${runner[0]} is missing (node test/harness/provision.mjs installs it)`);
        continue;
      }
      const dir = mkdtempSync(join(tmpdir(), 'ag-vsix-shim-'));
      const file = join(dir, 'shim');
      const bytes = spawnSync('unzip', ['-p', VSIX, shim]).stdout;
      writeFileSync(file, bytes);
      chmodSync(file, 0o755);
      const [cmd, ...args] = [...runner, file];
      const ran = spawnSync(cmd, args, { env: { PATH: '' }, encoding: 'utf8' });
      rmSync(dir, { recursive: true, force: true });
      const how = runner.length ? `under ${runner[0].split('/').pop()}` : 'here';
      check(`the packaged ${arch} shim (${bytes.length} bytes) runs ${how}`, ran.status === 127 && ran.stderr === 'shim: command not found\n', `exit ${ran.status}, ${(ran.stderr ?? '').trim().slice(0, 100)}`);
    }
  }
  // bash's Enter key for x64 Linux: a real bash loads the packaged bytes as a builtin.
  if (process.platform === 'linux' && process.arch === 'x64') {
    const so = 'extension/dist/bash-line-linux-x64.so';
    check(`it holds ${so}`, list.includes(so));
    const dir = mkdtempSync(join(tmpdir(), 'ag-vsix-so-'));
    const file = join(dir, 'bash-line.so');
    writeFileSync(file, spawnSync('unzip', ['-p', VSIX, so]).stdout);
    const loaded = spawnSync('bash', ['--norc', '--noprofile', '-c', 'enable -f "$1" __agent_guard_enter && type -t __agent_guard_enter', 'bash', file], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    check(`bash loads the packaged ${so} as a builtin`, loaded.status === 0 && loaded.stdout === 'builtin\n', `exit ${loaded.status}, ${(loaded.stderr ?? '').trim().slice(0, 200)}`);
  }
  // The extension's page in VS Code renders the packaged README: each image it links to relatively must be packaged.
  const readme = spawnSync('unzip', ['-p', VSIX, 'extension/readme.md'], { encoding: 'utf8' }).stdout;
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((u) => !/^[a-z]+:/i.test(u));
  const missing = images.filter((u) => !list.includes(`extension/${u.replace(/^\.\//, '')}`));
  check('the README\'s images are in it', images.length > 0 && missing.length === 0, missing.length ? `missing: ${missing.join(', ')}` : `${images.length} images`);
  // So must the walkthrough's pages, or its steps open empty.
  const manifest = JSON.parse(spawnSync('unzip', ['-p', VSIX, 'extension/package.json'], { encoding: 'utf8' }).stdout);
  const pages = (manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((st) => Object.values(st.media ?? {}).filter((v) => typeof v === 'string' && /\.(md|png|svg)$/.test(v))));
  const absent = pages.filter((f) => !list.includes(`extension/${f}`));
  check("the walkthrough's pages are in it", pages.length > 0 && absent.length === 0, absent.length ? `missing: ${absent.join(', ')}` : `${pages.length} pages`);
  // The shipped bundle is minified; rebuild the development one the other steps and `npm start` use.
  spawnSync('node', ['esbuild.mjs'], { stdio: 'inherit' });
}
const failed = checks.filter((c) => !c).length;
console.log(`${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
