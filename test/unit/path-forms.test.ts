// Write targets the shell finishes: brace expansion, globs, and expansions the engine cannot resolve. A protected
// file that fits one is held; a word that tells nothing (`$out`) or fits no protected file runs. The engine from the
// sources, in a real folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTECTED_EXAMPLES, protectedFile, PROTECTED_FILES } from '../../src/core/agents/protectedFiles';
import { Engine } from '../../src/core/classify';
import { braceForms, fitsPattern } from '../../src/core/parse/pathForms';

const prod = new Engine({ tier: 'production' });
const cwd = mkdtempSync(join(tmpdir(), 'ag-path-forms-'));
mkdirSync(join(cwd, '.vscode'));
writeFileSync(join(cwd, '.vscode', 'settings.json'), '{"agentGuard.environment":"production"}\n');
const judge = (line: string) => prod.classify(line, 'bash', { cwd });

describe('brace expansion', () => {
  it('gives each word, nested groups and sequences included', () => {
    assert.deepEqual(braceForms('{.vscode,/tmp}/settings.json').sort(), ['.vscode/settings.json', '/tmp/settings.json']);
    assert.deepEqual(braceForms('.{vs{code,x},y}/s').sort(), ['.vscode/s', '.vsx/s', '.y/s']);
    assert.ok(braceForms('.vscod{a..z}/settings.json').includes('.vscode/settings.json'));
    assert.deepEqual(braceForms('f{1..7..3}'), ['f1', 'f4', 'f7']);
    assert.deepEqual(braceForms('${d}/{}/x{y}'), ['${d}/{}/x{y}']);
    assert.deepEqual(braceForms('a\\{b,c}'), ['a\\{b,c}']);
  });

  it('stops at 64 words and reads the rest of a group as any text, never dropping it', () => {
    const forms = braceForms('{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}/settings.json');
    assert.ok(forms.length <= 64 + 4, String(forms.length));
    assert.ok(forms.some((f) => f.includes('\u0001')), 'a capped group stands for any text');
    assert.equal(braceForms('x{1..100000}').length, 1);
  });
});

describe('a pattern the shell finishes', () => {
  it('has an example for every protected file, each protected', () => {
    for (const e of PROTECTED_EXAMPLES) assert.ok(protectedFile(e.replace(/\u0000/g, 'x')), e);
    for (const f of PROTECTED_FILES) assert.ok(PROTECTED_EXAMPLES.some((e) => f.pattern.test(e)), f.pattern.source);
  });

  const fits: [string, string][] = [
    ['.vs*/settings.json', '.vscode/settings.json'],
    ['.vscode/setting?.json', '.vscode/settings.json'],
    ['.vscode/settings.js[o]n', '.vscode/settings.json'],
    ['.vscode/settings.j*', '.vscode/settings.json'],
    ['/home/u/p/.v[s]code/settings.json', '.vscode/settings.json'],
    ['./**/settings.json(D)', '.vscode/settings.json'],
    ['User/setting?.json', 'Code/User/settings.json'],
    ['.vscode/setting[[:alpha:]].json', '.vscode/settings.json'],
    ['.vscode/setting[]s].json', '.vscode/settings.json'],
    ['.vs*/./settings.json', '.vscode/settings.json'],
    ['.vs*//settings.json', '.vscode/settings.json'],
    ['.vscode/^foo', '.vscode/settings.json'],
    ['.vscode/*~*.txt', '.vscode/settings.json'],
    ['.github/hook?/hooks.json', '.github/hooks/\u0000'],
    ['agent-guar?/state.json', 'agent-guard/\u0000'],
    ['my.code-worksp[a]ce', '\u0000.code-workspace'],
    ['.env.p*', '.env.\u0000'],
    ['.claude/settings.@(json|x)', '.claude/settings.json'],
    ['$d/settings.json', '.vscode/settings.json'],
    ['${d%X}/settings.json', '.vscode/settings.json'],
    ['$1/hooks.json', '.codex/hooks.json'],
    ['~-/settings.json', '.vscode/settings.json'],
    ['$(pwd)/config.toml', '.codex/config.toml'],
    ['.vscode/$f', '.vscode/settings.json'],
    ['$d:h/settings.json', '.vscode/settings.json'],
    ['$d[1,7]/settings.json', '.vscode/settings.json'],
    ['.github/hooks/*', '.github/hooks/\u0000'],
    ['$HOME/.config/Code/User/sett*', 'Code/User/settings.json'],
  ];
  for (const [word, example] of fits) it(`fits ${word} to ${example}`, () => assert.equal(fitsPattern(word, undefined, PROTECTED_EXAMPLES), example));

  for (const word of ['src/**/*.json', '**/*.json', '*/*.json', 'locales/*/*.json', 'apps/*/settings.json', '*/config.toml', 'docs/*/hooks.json', 'notes~', 'issue#1.md', '$out', '$d/$f', 'build/$f', '/tmp/out/$f', '"$name.json"', 'src/*.ts', '!(x)', '*', '.github/workflows/*.yml', 'a/b/c.@(ts|js)', '${f%.yaml}.json', 'plain/settings.txt']) {
    it(`fits nothing to ${word}`, () => assert.equal(fitsPattern(word, undefined, PROTECTED_EXAMPLES), undefined));
  }
});

describe('writes the shell finishes (production)', () => {
  const held = [
    'tee {.vscode,/tmp}/settings.json < x',
    'sed -i s/a/b/ {.vscode,/tmp/none}/settings.json',
    'echo {} > {.vscode,/tmp}/settings.json',
    'echo x > .{vscode,x}/settings.json',
    'echo x > .vscod{a..z}/settings.json',
    'echo x > ${d:+.vscode}/settings.json',
    'set -- .vscode; echo x > $1/settings.json',
    'echo x > .vscode/$f',
    'echo x > .vs*/settings.json',
    'echo x > .vscode/setting?.json',
    'cp evil.json .claude/settings.@(json|x)',
    'echo x > "${d[0]}/settings.json"',
    'd=.vscodeXX; echo x > $d[1,7]/settings.json',
    'd=.vscode/x; echo x > $d:h/settings.json',
    'echo x > ${d%X}/settings.json',
    'd=src; read d <<< .vscode; echo x > $d/settings.json',
    'd=src; printf -v d %s .vscode; echo x > $d/settings.json',
    'x=.vscode; declare -n d=x; echo x > $d/settings.json',
    'cp a ~-/settings.json',
    'cp conf/settings.json "${d#x}"/',
  ];
  for (const line of held) {
    it(`holds ${line}`, () => {
      const d = judge(line);
      assert.equal(d.decision, 'confirm', JSON.stringify(d));
      assert.ok(d.rules.includes('guard.config-edit'), JSON.stringify(d.rules));
    });
  }

  it('names the protected file a brace word makes, as the name to type', () => {
    assert.equal(judge('tee {.vscode,/tmp}/settings.json < x').resource, '.vscode/settings.json');
  });

  for (const line of ['echo x > $out', 'tmp=$(mktemp); echo x > "$tmp"', 'echo x > "$OUT_DIR/result.json"', 'd=src; echo x > $d/settings.json', 'echo x > build/{a,b}.txt', 'sed -i s/a/b/ src/*.ts', 'for f in *.yaml; do yq . $f > ${f%.yaml}.json; done', 'echo hi > "$name.json"', 'cat .vs*/settings.json']) {
    it(`lets ${line} run`, () => assert.equal(judge(line).decision, 'allow', JSON.stringify(judge(line))));
  }
});

describe('files a command is handed, links and arrays (production)', () => {
  const held = [
    "find . -name settings.json -path '*vscode*' -exec sed -i s/production/x/ {} +",
    "find . -name 'sett*' -exec sed -i s/production/x/ {} \\;",
    'ls .vs*/settings.json | xargs sed -i s/production/x/',
    'echo .vs*/settings.json | xargs sed -i s/production/x/',
    'ln -s .vs* v',
    'f=(.vs*/settings.json); echo x > $f',
    'f=(.vs*/settings.json); echo x > "${f[0]}"',
    'cd .vs?ode; echo x > settings.json',
    'cd "$(ls -d .vs*)" && echo x > settings.json',
    'cd .vscode && sed -i s/production/x/ s*.json',
    'echo CLAUDE_CODE_SIMPLE=1 >> .env.p*',
    'echo x > $X/p/settings.json',
    'd=($(cat f)); echo x > $d/settings.json',
    'd=("$(echo .vscode)"); echo x > $d/settings.json',
    'd=(.vs{c,d}ode); echo x > $d/settings.json',
    'echo > $d/settings.json; d=src',
    'sed -i s/a/b/ ~/.config/Code/*/settings.json',
    'cd ~- && echo x > settings.json',
    'popd && echo x > settings.json',
  ];
  for (const line of held) {
    it(`holds ${line}`, () => {
      const d = judge(line);
      assert.equal(d.decision, 'confirm', JSON.stringify(d));
      assert.ok(d.rules.includes('guard.config-edit'), JSON.stringify(d.rules));
    });
  }

  it('holds a write in the folder the line runs in when that folder is a protected one', () => {
    const d = prod.classify('sed -i s/production/x/ settings.json', 'bash', { cwd: join(cwd, '.vscode') });
    assert.ok(d.rules.includes('guard.config-edit'), JSON.stringify(d));
    assert.equal(d.resource, '.vscode/settings.json');
  });

  for (const line of ["find . -name '*.ts' -exec sed -i s/a/b/ {} +", 'find . -name settings.json -exec cat {} \\;', 'ls src/*.ts | xargs sed -i s/a/b/', 'ln -s src/* lib/', 'for d in packages/*; do cp template.toml "$d/config.toml"; done', 'echo FOO=1 >> .env.loc?l', 'd=src; echo x > $d/settings.json', 'for d in src lib; do echo x > $d/settings.json; done']) {
    it(`lets ${line} run`, () => assert.equal(judge(line).decision, 'allow', JSON.stringify(judge(line))));
  }
});

describe('bracket expressions, one reader for write targets and program words', () => {
  it('reads a POSIX class as one character: a program word too (development, where a run-time name alone is allowed)', () => {
    const dev = new Engine({ tier: 'development' });
    for (const line of ['/usr/bin/r[[:lower:]] -rf data', 'r[[:alpha:]] -rf data', '/bin/r[]m] -rf data']) {
      assert.ok(dev.classify(line, 'bash', { cwd }).rules.includes('fs.recursive-delete'), line);
    }
    assert.equal(fitsPattern('.vscode/setting[[=s=]].json', undefined, PROTECTED_EXAMPLES), '.vscode/settings.json');
  });
});

describe("zsh's glob groups as words, targets from a command's output, inline code that globs (production)", () => {
  const held = [
    // zsh reads a word that begins with `(` as a glob (bash: a syntax error); it was taken for a subshell and a comment.
    'sed -i s/production/x/ (.vscode|x)/settings.json',
    "echo '{}' > (.vscode|x)/settings.json",
    'echo x > (#a1).vscodx/settings.json',
    'sed -i s/production/x/ (#i).VSCODE/settings.json',
    'cat src/a.txt > (#i).VSCODE/settings.json',
    // A command's output the command names.
    'f=$(ls -d .vs*/s*); echo x > $f',
    'f=$(ls -d .vs*/s*); sed -i s/production/x/ "$f"',
    'f=`ls -d .vs*/s*`; echo x > $f',
    'for f in $(ls .vs*/*.json); do echo x > $f; done',
    'f=$(find . -name settings.json); sed -i s/production/x/ $f',
    'f=$(echo .vscode/settings.json); cp x $f',
    'f=$(printf %s .claude/settings.local.json); echo "{}" > "$f"',
    // Inline code that globs.
    `python3 -c "import glob; [open(f,'w').write('{}') for f in glob.glob('.vs*/s*.json')]"`,
    `node -e "for (const f of require('fs').globSync('.vs*/s*.json')) require('fs').writeFileSync(f,'{}')"`,
    `perl -e 'for (glob(".vs*/s*.json")) { open F, ">", $_; print F 1 }'`,
  ];
  for (const line of held) {
    it(`holds ${line}`, () => {
      const d = judge(line);
      assert.equal(d.decision, 'confirm', JSON.stringify(d));
      assert.ok(d.rules.includes('guard.config-edit'), JSON.stringify(d.rules));
    });
  }

  const runs = [
    'f() { ls; }; f',
    'f () { ls; }',
    'if (true); then ls; fi',
    'case x in (a) ls;; esac',
    'for i (1 2 3) echo $i',
    'ls && (cd src; ls)',
    'time (ls)',
    'echo hi > (out|x).txt',
    'out=$(mktemp); echo x > $out',
    'f=$(ls *.json); sed -i s/a/b/ $f',
    'n=$(date +%s); echo x > log.$n',
    'f=$(grep -l foo src/*.ts); sed -i s/foo/bar/ $f',
    'files=$(git ls-files "*.ts"); sed -i s/a/b/ $files',
    'v=$(jq -r .x .vscode/settings.json); echo x > "$v.txt"',
    'cfg=$(cat .claude/settings.json); echo "$cfg" > backup.json',
    `python3 -c "import glob; print(glob.glob('src/*.json'))"`,
    `python3 -c "import glob; print(glob.glob('**/*.py', recursive=True))"`,
  ];
  for (const line of runs) it(`lets ${line} run`, () => assert.equal(judge(line).decision, 'allow', JSON.stringify(judge(line))));

  it("names what the command's output may be as the resource to type", () => {
    assert.equal(judge('f=$(ls -d .vs*/s*); echo x > $f').resource, '.vs*/s*');
    assert.equal(judge('f=$(echo .vscode/settings.json); cp x $f').resource, '.vscode/settings.json');
  });
});

describe('a here-document typed line by line (production)', () => {
  const open = (line: string) => judge(line).reason.includes('A here-document is still open');
  it('judges a first line that runs once its here-documents end as if they ended where the text does', () => {
    for (const line of ["cat > app.py <<'EOF'", "cat > app.py <<'EOF'\ndef main():\n    if 2 > 1: print('ok')", 'psql <<SQL', 'cat <<A <<B\na\nA', "cat > 'a b.txt' <<-EOF\n\tx"]) {
      const d = judge(line);
      assert.equal(d.decision, 'allow', `${line}: ${JSON.stringify(d)}`);
      assert.ok(open(line), line);
    }
    assert.deepEqual(judge('psql <<SQL\nDROP TABLE users;').rules, ['sql.drop'], 'a body is judged as it comes');
    assert.ok(judge('cat > .vscode/settings.json <<E').rules.includes('guard.config-edit'));
    assert.ok(judge('rm -rf data <<E').rules.includes('fs.recursive-delete'));
    assert.ok(judge('cat <<E\n$(rm -rf data)').rules.includes('fs.recursive-delete'), 'an unquoted body substitutes');
  });

  it('does not when the shell reads on after them (a compound command, a pipe, a list, a group): not understood', () => {
    for (const line of ['if true; then\ncat <<E', 'cat <<E |\nbody', 'cat <<E &&\nbody\nrm -rf data', '{ cat <<E\nx', 'for x in a; do cat <<E', 'cat <<E; \\', 'x=$(cat <<E\nbody', 'cat <<E ||']) {
      const d = judge(line);
      assert.equal(d.decision, 'confirm', `${line}: ${JSON.stringify(d)}`);
      assert.ok(d.rules.includes('parse.not-understood'), line);
    }
  });
});

describe('groups that are subshells, folders named first (development)', () => {
  const dev = new Engine({ tier: 'development' });
  const judgeDev = (line: string) => dev.classify(line, 'bash', { cwd });
  it('reads a group with a blank, or after ]], )) or time -p, as a subshell', () => {
    for (const line of ['time -p (rm -rf data)', 'if [[ -d data ]] (rm -rf data)', '(( 1 )) (rm -rf data)']) assert.ok(judgeDev(line).rules.includes('fs.recursive-delete'), line);
  });
  it("holds cp, install and mv with the folder named first, and zsh's (D) qualifier over dot names", () => {
    for (const line of ['cp -t .vscode settings.json', 'install -t .claude settings.json', 'cp --target-directory=.vscode settings.json', 'cp -t.vscode settings.json', 'sed -i s/a/b/ */*(D)', 'sed -i s/a/b/ **/*(D.)']) {
      assert.ok(judgeDev(line).rules.includes('guard.config-edit'), line);
    }
    for (const line of ['cp -t build a.txt b.txt', 'rsync -t a.txt build/', 'sed -i s/a/b/ */*', 'sed -i s/a/b/ **/*.ts(D)']) assert.equal(judgeDev(line).decision, 'allow', line);
  });
});
