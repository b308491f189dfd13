// The line's own variables: a write target or a program behind a variable the same line sets is judged as what the
// variable may hold, and as written. The engine from the sources, in a real folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { expand } from '../../src/core/parse/invocation';
import { LineVariables } from '../../src/core/parse/lineVars';

const prod = new Engine({ tier: 'production' });
const cwd = mkdtempSync(join(tmpdir(), 'ag-line-vars-'));
mkdirSync(join(cwd, '.vscode'));
mkdirSync(join(cwd, 'data'));
writeFileSync(join(cwd, '.vscode', 'settings.json'), '{"agentGuard.environment":"production"}\n');

const judge = (line: string) => prod.classify(line, 'bash', { cwd });

describe('the values a line gives its variables', () => {
  it('puts each value in a word, with appends, defaults and values built from other variables', () => {
    const v = new LineVariables();
    v.assignWord('d=.vscode', false);
    v.assignWord('a=.vs', false);
    v.assignWord('a+=code', false);
    v.assignWord('h=$HOME/.claude', true);
    v.assignWord('g=$d/x', true);
    v.assignWord('o=$(pwd)', true);
    v.assignWord('arr=(a b)', false);
    assert.deepEqual(v.variants('$d/settings.json'), ['.vscode/settings.json']);
    // `a+=code` may also have added to nothing (an assignment before it that did not run).
    assert.deepEqual(v.variants('${a}/settings.json'), ['.vs/settings.json', 'code/settings.json', '.vscode/settings.json']);
    assert.deepEqual(v.variants('${nothere:-.vscode}/settings.json'), ['.vscode/settings.json']);
    assert.deepEqual(v.variants('$h/settings.json'), ['$HOME/.claude/settings.json']);
    assert.deepEqual(v.variants('$g'), ['.vscode/x']);
    assert.deepEqual(v.of('o'), [], 'a command substitution gives no value');
    assert.deepEqual(v.of('arr'), ['a', 'b'], "an array's elements are its values");
    assert.deepEqual(v.variants('$other/settings.json'), [], 'a variable the line does not set stays as written');
    assert.deepEqual(v.variants('plain.txt'), []);
  });

  it('stays small however many values a line gives', () => {
    const v = new LineVariables();
    for (let i = 0; i < 100; i++) v.assignWord(`d=dir${i}`, false);
    for (let i = 0; i < 100; i++) v.assignWord(`f=file${i}`, false);
    assert.equal(v.of('d').length, 16);
    assert.ok(v.variants('$d/$f/$d/$f').length <= 16);
  });

  it('finds every assignment: bare, before a command, export and declare, a for loop', () => {
    const line = 'export a=1; declare -x b=2; c=3 true; for d in 4 5; do :; done; e=6';
    const invs = expand(line).invocations;
    const vars = invs[0].vars!;
    for (const [name, values] of [['a', ['1']], ['b', ['2']], ['c', ['3']], ['d', ['4', '5']], ['e', ['6']]] as const) assert.deepEqual(vars.of(name), values, name);
  });
});

describe('a write target behind a variable the line sets (production)', () => {
  const held: [string, string][] = [
    ['d=.vscode; echo \'{}\' > "$d/settings.json"', '.vscode/settings.json'],
    ['export d=.vscode; cp evil.json $d/settings.json', '.vscode/settings.json'],
    ["d=.vscode; sed -i 's/production/development/' \"${d}/settings.json\"", '.vscode/settings.json'],
    ['d=.vscode; cd $d && printf x > settings.json', '.vscode/settings.json'],
    ['a=.vs; a+=code; tee "$a/settings.json" < evil.json', '.vscode/settings.json'],
    ['for d in src .vscode; do cp evil.json "$d/settings.json"; done', '.vscode/settings.json'],
    ['declare d=.vscode f=settings.json; cp evil.json "$d/$f"', '.vscode/settings.json'],
    ['cp evil.json "${nothere:-.vscode}/settings.json"', '.vscode/settings.json'],
    ['for d in src .vscode; do cp settings.json "$d/"; done', '.vscode/settings.json'],
    ["d=.claude; python3 -c \"open('$d/settings.json','w').write('{}')\"", '.claude/settings.json'],
    ['u="$HOME/.config/Code/User"; echo {} > "$u/settings.json"', '$HOME/.config/Code/User/settings.json'],
  ];
  for (const [line, resource] of held) {
    it(`holds ${line}`, () => {
      const d = judge(line);
      assert.equal(d.decision, 'confirm', JSON.stringify(d));
      assert.ok(d.rules.includes('guard.config-edit'), JSON.stringify(d.rules));
      assert.ok((d.resource ?? '').split(' ').includes(resource), String(d.resource));
    });
  }

  // A folder an earlier line exported: the shell knows it, the line does not, and any settings file may be it.
  for (const line of ['cp evil.json $d/settings.json', 'echo {} > "${CFG}/config.toml"', 'cp x "$(pwd)/hooks.json"']) {
    it(`holds ${line} (a folder from the shell)`, () => assert.ok(judge(line).rules.includes('guard.config-edit'), JSON.stringify(judge(line))));
  }

  it("holds a write into the guard's own folder through a variable", () => {
    const d = judge('g=$AGENT_GUARD_DIR; echo x >> "$g/prefilter"');
    assert.ok(d.rules.includes('guard.own-files'), JSON.stringify(d.rules));
  });

  for (const line of ['echo x > "$OUT/report.json"', 'echo x > "$HOME/proj/settings.json"', 'cp "$d/settings.json" /tmp/b.txt', 'd=src; echo x > "$d/a.txt"', 'd=.vscode; cat "$d/settings.json"', 'd=src; cp a.json "$d/settings.json"', 'd=.vscode; cp "$d/settings.json" /tmp/backup.json.txt']) {
    it(`lets ${line} run`, () => assert.equal(judge(line).decision, 'allow', JSON.stringify(judge(line))));
  }
});

describe('a program behind a variable (production)', () => {
  // Judged as each value the line gives and, unless the line is a straight run of assignments before it, as a
  // program known only at run time (a test, a loop, a function, read or printf -v may set it unseen).
  const held: [string, string[]][] = [
    ['X=/bin/rm; $X -rf data', ['fs.recursive-delete']],
    ['b=r; b+=m; $b -rf data', ['fs.recursive-delete']],
    ['X=ls; export X=rm; $X -rf data', ['fs.recursive-delete', 'exec.dynamic-command']],
    ['for X in rm ls; do $X -rf data; done', ['fs.recursive-delete', 'exec.dynamic-command']],
    ['X=ls; for i in 1 2; do $X -rf data; X=rm; done', ['fs.recursive-delete', 'exec.dynamic-command']],
    ['f() { X=rm; }; X=ls; f; $X -rf data', ['fs.recursive-delete', 'exec.dynamic-command']],
    ['X=ls; f; $X -rf data', ['exec.dynamic-command']],
    ['X=ls; printf -v X rm; $X -rf data', ['exec.dynamic-command']],
    ['X=ls; read X <<< rm; $X -rf data', ['exec.dynamic-command']],
    ['false && X=ls; $X -rf data', ['exec.dynamic-command']],
    ['X=ls; X[0]=rm; $X -rf data', ['exec.dynamic-command']],
    ['X=ls; X=rm :; $X -rf data', ['fs.recursive-delete', 'exec.dynamic-command']],
    ['IFS=_; X=rm_-rf_data; $X', ['fs.recursive-delete', 'exec.dynamic-command']],
    ['X=rmQ-rfQdata; $X', ['fs.recursive-delete', 'exec.dynamic-command']],
    ['X="rm -rf"; $X data', ['fs.recursive-delete', 'exec.dynamic-command']],
    // $X is expanded before the assignment in front of it is made.
    ['X=rm; X=ls $X -rf data', ['fs.recursive-delete']],
    // An attribute an earlier line gave X could make another program of the value (`declare -l X`, `typeset -R2 X`).
    ['X=RM; $X -rf data', ['exec.dynamic-command']],
    ['TF=terraform; $TF plan', ['exec.dynamic-command']],
    ['PY=python3; $PY -m pytest', ['exec.dynamic-command']],
    ['X=ls; $X -la & wait', ['exec.dynamic-command']],
  ];
  for (const [line, rules] of held) {
    it(`holds ${line}`, () => {
      const d = judge(line);
      assert.equal(d.decision, 'confirm', JSON.stringify(d));
      assert.deepEqual([...d.rules].sort(), [...rules].sort());
    });
  }

  for (const line of ['X=ls; $X -la', 'X=ls; X=rm $X -la', 'e=ec; e+=ho; $e ran > ran.txt 2>&1', 'R=rsync; $R -a src/ dst/', 'X=ls\n$X -la']) {
    it(`lets ${JSON.stringify(line)} run`, () => assert.equal(judge(line).decision, 'allow', JSON.stringify(judge(line))));
  }
});
