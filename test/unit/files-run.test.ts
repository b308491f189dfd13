// The files a line runs inside the checked shell (scripts, Makefiles, package.json scripts) and the guard's own files,
// judged by the real engine against real files in a temporary folder.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import { Engine } from '../../src/core/classify';
import { makefileScript } from '../../src/core/parse/files';
import { MAX_SCRIPT_BYTES } from '../../src/core/site';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ag-files-'));
  for (const [name, body] of Object.entries(files)) {
    const exec = name.endsWith('!x');
    const p = join(dir, exec ? name.slice(0, -2) : name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, body);
    if (exec) chmodSync(p, 0o755);
  }
  return dir;
}

const prod = new Engine({ tier: 'production' });

describe('files a line runs (class 4)', () => {
  it('judges sourced files, shell script files and scripts run by path, naming the file', () => {
    const cwd = tree({ 's.sh': '/bin/rm -rf data\n', 'x.sh!x': '#!/usr/bin/env bash\nexec /bin/rm -rf data\n', 'bin/tidy!x': '/usr/bin/find data -delete\n', 'ok.sh': 'echo hi\n' });
    for (const line of ['. ./s.sh', 'source s.sh', 'sh s.sh', 'bash -x ./s.sh', './x.sh', 'bin/tidy', 'cd bin && ./tidy']) {
      const d = prod.classify(line, 'bash', { cwd });
      assert.equal(d.decision, 'confirm', line);
      assert.equal(d.resource, 'data', line);
    }
    const d = prod.classify('. ./s.sh', 'bash', { cwd });
    assert.match(d.findings[0].detail ?? '', /in \.\/s\.sh/);
    assert.equal(prod.classify('sh ok.sh', 'bash', { cwd }).decision, 'allow');
    // Without a folder the engine reads nothing (callers that do not say where a line runs).
    assert.equal(prod.classify('. ./s.sh').decision, 'allow');
  });

  it('judges make recipes: named targets, the default goal, prerequisites, variables, -f, -C and $(shell)', () => {
    const cwd = tree({
      Makefile: 'WIPE = /bin/rm -rf\nall: build\nbuild: clean\n\techo built\nclean:\n\t@$(WIPE) data\nlint:\n\teslint .\n',
      'other.mk': 'go:\n\tfind data -delete\n',
      'sub/Makefile': 'X := $(shell /bin/rm -rf ../data)\nall:\n\t@true\n',
    });
    for (const line of ['make', 'make build', 'make -s clean', 'make -f other.mk go', 'make -C sub']) assert.equal(prod.classify(line, 'bash', { cwd }).decision, 'confirm', line);
    assert.equal(prod.classify('make lint', 'bash', { cwd }).decision, 'allow');
    assert.equal(prod.classify('make -n clean', 'bash', { cwd }).decision, 'allow');
    assert.equal(makefileScript('CC=gcc\napp: main.o\n\t$(CC) -o $@ $^\nmain.o: main.c\n\t$(CC) -c $< -o $@\n', []), 'gcc -c main.c -o main.o\ngcc -o app main.o');
  });

  it('judges package.json scripts run by npm, yarn and pnpm, with pre and post scripts, from a subfolder too', () => {
    const cwd = tree({ 'package.json': JSON.stringify({ scripts: { prebuild: '/bin/rm -rf data', build: 'tsc -p .', test: 'mocha', wipe: 'npm run inner', inner: 'find data -delete' } }), 'src/a.ts': '' });
    for (const line of ['npm run build', 'npm run-script build', 'yarn build', 'pnpm run -s build', 'npm run wipe', 'sudo npm run wipe']) assert.equal(prod.classify(line, 'bash', { cwd }).decision, 'confirm', line);
    assert.equal(prod.classify('npm run build', 'bash', { cwd: join(cwd, 'src') }).decision, 'confirm');
    assert.equal(prod.classify('npm test', 'bash', { cwd }).decision, 'allow');
    assert.equal(prod.classify('npm install', 'bash', { cwd }).decision, 'allow');
  });

  it('fails closed with a reason on a file it cannot read, one too big, or one the line writes before running it', () => {
    const cwd = tree({ 'big.sh': '#'.repeat(MAX_SCRIPT_BYTES + 1), 'package.json': '{ not json' });
    mkdirSync(join(cwd, 'dir.sh'));
    const big = prod.classify('sh big.sh', 'bash', { cwd });
    assert.equal(big.decision, 'confirm');
    assert.match(big.reason, /big\.sh is \d+ bytes, more than the 262144 read/);
    assert.match(prod.classify('. ./dir.sh', 'bash', { cwd }).reason, /not a regular file/);
    assert.match(prod.classify('npm run x', 'bash', { cwd }).reason, /is not JSON/);
    const written = prod.classify("printf 'rm -rf data\\n' > t.sh; sh t.sh", 'bash', { cwd });
    assert.equal(written.decision, 'confirm');
    assert.match(written.reason, /runs t\.sh, which this line writes before running it/);
    assert.match(prod.classify('cp /bin/ls ./x && ./x', 'bash', { cwd }).reason, /which this line writes before running it/);
    // A missing file nobody writes is nothing to judge (the shell fails to run it); development allows what it cannot read.
    assert.equal(prod.classify('sh missing.sh', 'bash', { cwd }).decision, 'allow');
    assert.equal(new Engine({ tier: 'development' }).classify('sh big.sh', 'bash', { cwd }).decision, 'allow');
  });

  it('leaves compiled programs and other interpreters to their own checks', () => {
    const cwd = tree({ 'tool.py!x': '#!/usr/bin/env python3\nprint("rm -rf data")\n' });
    writeFileSync(join(cwd, 'app'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    chmodSync(join(cwd, 'app'), 0o755);
    assert.equal(prod.classify('./tool.py', 'bash', { cwd }).decision, 'allow');
    assert.equal(prod.classify('./app --serve', 'bash', { cwd }).decision, 'allow');
  });

  it('the CLI reads files from --cwd (default: its own folder) and classify --jsonl from each line\'s cwd', async () => {
    const cwd = tree({ 's.sh': 'rm -rf data\n' });
    const run = async (argv: string[], stdin = '') => {
      const input = new PassThrough();
      input.end(stdin);
      let out = '';
      const code = await main(argv, { stdin: input, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => {} } });
      return { code, out };
    };
    assert.equal((await run(['check', '--env', 'production', '--cwd', cwd, '--', 'sh s.sh'])).code, 1);
    const lines = (await run(['classify', '--env', 'production', '--jsonl'], JSON.stringify({ command: 'sh s.sh', cwd }) + '\n')).out;
    assert.equal(JSON.parse(lines).decision, 'confirm');
  });
});

describe("the guard's own files (class 8)", () => {
  it('holds writes to the real gate folder by absolute, relative and symlinked paths; reading it is allowed', () => {
    const gate = mkdtempSync(join(tmpdir(), 'ag-gate-'));
    writeFileSync(join(gate, 'prefilter'), 'x\n');
    const cwd = tree({});
    symlinkSync(gate, join(cwd, 'g'));
    const engine = new Engine({ tier: 'production', guardPaths: [gate] });
    const rel = join('..', gate.split('/').pop()!, 'prefilter');
    for (const line of [`echo > ${gate}/prefilter`, `cp x ${rel}`, 'sed -i d g/prefilter', `cd ${gate} && : > prefilter`, `rm -rf ${gate}`]) {
      const d = engine.classify(line, 'bash', { cwd });
      assert.equal(d.decision, 'confirm', line);
      assert.ok(d.rules.includes('guard.own-files'), `${line}: ${d.rules}`);
    }
    assert.equal(engine.classify(`cat ${gate}/prefilter`, 'bash', { cwd }).decision, 'allow');
    assert.equal(engine.classify('echo hi > notes.txt', 'bash', { cwd }).decision, 'allow');
  });
});

describe('moves over files, patterns in the program word, coproc (issue 9 item 4)', () => {
  it('holds a move over an existing file or into a folder holding one of that name; not with -n or onto a new name', () => {
    const cwd = tree({ 'notes.txt': 'n\n', 'data/sentinel': 'keep\n', 'data/notes.txt': 'old\n' });
    for (const [line, resource] of [['mv notes.txt data/sentinel', 'data/sentinel'], ['mv notes.txt data', 'data/notes.txt'], ['mv -t data notes.txt', 'data/notes.txt']]) {
      const d = prod.classify(line, 'bash', { cwd });
      assert.equal(d.decision, 'confirm', line);
      assert.equal(d.resource, resource, line);
    }
    for (const line of ['mv -n notes.txt data/sentinel', 'mv notes.txt fresh.txt', 'mv notes.txt data/sub/', 'mv --backup notes.txt data/sentinel']) assert.equal(prod.classify(line, 'bash', { cwd }).decision, 'allow', line);
  });

  it('judges a program word that is a pattern by what it matches, and coproc by what it runs', () => {
    const dev = new Engine({ tier: 'development' });
    const cwd = tree({});
    for (const line of ['/bin/r? -rf data', '/usr/bin/@(rm) -rf data', '/usr/bin/r+(m) -rf data', '/usr/bin/r(m|mdir) -rf data', '/usr/bin/r(#i)M -rf data', '=rm -rf data', 'coproc rm -rf data', 'coproc wiper { rm -rf data; }', 'coproc /bin/r? -rf data']) {
      const d = dev.classify(line, 'bash', { cwd });
      assert.equal(d.decision, 'confirm', line);
      assert.deepEqual(d.rules, ['fs.recursive-delete'], line);
    }
    for (const line of ['ls *(.)', 'ls @(a|b)', 'coproc cat', 'echo r?']) assert.equal(dev.classify(line, 'bash', { cwd }).decision, 'allow', line);
  });
});

describe('what a script file runs from its own variables', () => {
  it('judges `X=/bin/rm; $X` by the value, passes a wrapper\'s own plumbing, and still holds what the caller passes in', () => {
    const cwd = tree({ 'v.sh': 'X=/bin/rm\n$X -rf data\n', 'run.sh!x': '#!/bin/sh\nexec "$@"\n', 'gradlew!x': '#!/bin/sh\nJAVACMD=${JAVA_HOME:-/usr}/bin/java\neval "set -- $(printf %s "$JAVA_OPTS" | xargs -n1)" \'"$@"\'\nexec "$JAVACMD" "$@"\n' });
    assert.deepEqual(prod.classify('sh v.sh', 'bash', { cwd }).rules, ['fs.recursive-delete']);
    assert.deepEqual(prod.classify('./run.sh rm -rf data', 'bash', { cwd }).rules, ['exec.dynamic-command']);
    assert.equal(prod.classify('./gradlew build', 'bash', { cwd }).decision, 'allow');
    assert.equal(prod.classify('X=ls; $X -la', 'bash', { cwd }).decision, 'allow');
  });
});

describe('a project kept in a folder named like a protected one', () => {
  it('is not the guard’s own: its deletes name their own folder, while the real .vscode below it stays protected', () => {
    const root = mkdtempSync(join(tmpdir(), 'agent-guard-demo-'));
    const cwd = join(root, 'workspace');
    mkdirSync(join(cwd, 'data'), { recursive: true });
    mkdirSync(join(cwd, '.vscode'));
    const d = prod.classify('rm -rf data', 'bash', { cwd });
    assert.deepEqual(d.rules, ['fs.recursive-delete']);
    assert.equal(d.resource, 'data');
    assert.deepEqual(prod.classify('rm -rf ../workspace/data', 'bash', { cwd }).rules, ['fs.recursive-delete']);
    const edit = prod.classify("cd .vscode && printf '{}' > settings.json", 'bash', { cwd });
    assert.ok(edit.rules.includes('guard.config-edit'), JSON.stringify(edit.rules));
    assert.equal(edit.resource, '.vscode/settings.json');
  });
});
