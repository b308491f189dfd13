// Code a value holds, which the shell runs when the value is read later: a subscript with a substitution kept whole by
// quotes (`y='a[$(cmd)]'`, run by arithmetic and name-taking builtins), zsh's glob qualifier `(e:cmd:)`, and the
// expansions that run a value (`${y@P}`, `${(e)y}`, `${~y}`, PROMPT_SUBST). And substitutions inside `$(( … ))`,
// which run at once. The engine from the sources; each line below runs `rm -rf data` in a real shell (round 12).
import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/classify';
import { laterCode } from '../../src/core/parse/laterCode';

const prod = new Engine({ tier: 'production' });
const dev = new Engine({ tier: 'development' });

describe('code a value holds', () => {
  it('finds the substitutions in a subscript and the code of a glob qualifier, nothing else', () => {
    assert.deepEqual(laterCode('a[$(rm -rf data)]'), ['rm -rf data']);
    assert.deepEqual(laterCode('x + a[`rm -rf data`]'), ['rm -rf data']);
    assert.deepEqual(laterCode('a[${z:=$(rm -rf data)}]'), ['rm -rf data']);
    assert.deepEqual(laterCode('*(e:rm -rf data:)'), ['rm -rf data']);
    assert.deepEqual(laterCode('**/*(.e{rm -rf data})'), ['rm -rf data']);
    assert.deepEqual(laterCode("*(De'rm -rf data')"), ['rm -rf data']);
    for (const text of ['use $(date) here', 'a[1]', 'require("./package.json")', 'login(email: $e)', 'ls *(.)', '[x] $(y)', 'fix: guard a[i] from $(rm -rf data)']) assert.deepEqual(laterCode(text), [], text);
  });
});

describe('a value run as code (production)', () => {
  const Y = "y='a[$(rm -rf data)]'; ";
  const held = [
    `${Y}echo $((y))`,
    `${Y}(( y > 0 ))`,
    `${Y}let y`,
    `${Y}echo $[y]`,
    `${Y}[[ y -eq 0 ]]`,
    `${Y}declare -i z=y`,
    `${Y}test -v "$y"`,
    `${Y}echo \${!y}`,
    `${Y}s=hello; echo \${s:y}`,
    `${Y}a[y]=1`,
    "y='a[$(rm -rf data)]'",
    'export y=\'a[$(rm -rf data)]\'',
    "y='a[`rm -rf data`]'; echo $((y))",
    "y=$'a[\\x24(rm -rf data)]'; echo $((y))",
    'y="a[\\$(rm -rf data)]"; echo $((y))',
    "p='$(rm -rf data)'; y=\"a[$p]\"; echo $((y))",
    "y='a['; y+='$(rm -rf data)]'; echo $((y))",
    "read y <<< 'a[$(rm -rf data)]'; echo $((y))",
    "echo 'a[$(rm -rf data)]' > v.txt",
    "cat > v.sh <<'EOF'\ny='a[$(rm -rf data)]'\nEOF",
    "(( a['$(rm -rf data)'] ))",
    'echo $(( $(rm -rf data) ))',
    'x=$(( `rm -rf data` ))',
    'echo $(( ${x:-$(rm -rf data)} ))',
    "y='*(e:rm -rf data:)'; echo ${~y}",
    "y='*(e{rm -rf data})'",
  ];
  for (const line of held) {
    it(`holds ${line}`, () => {
      const d = prod.classify(line);
      assert.equal(d.decision, 'confirm', JSON.stringify(d));
      assert.ok(d.rules.includes('fs.recursive-delete'), JSON.stringify(d.rules));
    });
  }

  // A value the line does not show may hold anything: the expansions that run one are not understood.
  for (const line of ['echo "${y@P}"', 'echo ${(e)y}', 'print ${(%%)y}', 'echo ${~y}', 'echo $~y', 'echo ${${(e)y}}', 'echo "${a[${i}]@P}"']) {
    it(`does not understand ${line} in production, and says why`, () => {
      const d = prod.classify(line);
      assert.equal(d.decision, 'confirm', JSON.stringify(d));
      assert.deepEqual(d.rules, ['parse.not-understood']);
      assert.match(d.parseError ?? '', /runs code a value holds/);
      assert.equal(dev.classify(line).decision, 'allow');
    });
  }

  it('holds turning on the zsh options that run a value', () => {
    for (const line of ["y='$(rm -rf data)'; setopt promptsubst; print -P \"$y\"", 'setopt GLOB_SUBST', 'set -o prompt_subst']) {
      assert.ok(prod.classify(line).rules.includes('shell.values-run'), line);
    }
  });

  for (const line of ['i=2; echo $((i+1))', 'echo $(( 1 + (2*3) ))', 'echo "$(( $(date +%s) - 5 ))"', "jq '.items[0]' f.json", "awk '{print a[$1]}' f", "echo 'use $(date) here'", "node -e 'console.log(require(\"./package.json\").version)'", 'echo ${y@Q}', 'echo ${(L)y}']) {
    it(`lets ${line} run`, () => assert.equal(prod.classify(line).decision, 'allow', JSON.stringify(prod.classify(line))));
  }
});

describe('a value read as arithmetic or as a name that the line does not show (production)', () => {
  // The value may come from a file or a command's output (`printf 'a[\x24(cmd)]' > p.txt` on an earlier line): bash
  // runs the substitution in its subscript wherever it is read so. Not understood in production; development runs it.
  const unshown = [
    'read -r y < p.txt; echo $((y))',
    'y=$(<p.txt); echo $((y))',
    'read -r y < p.txt; [[ y -eq 0 ]]',
    'read -r y < p.txt; [[ $y -lt 3 ]]',
    'read -r y < p.txt; declare -i n=y',
    'read -r y < p.txt; [[ -v $y ]]',
    'read -r y < p.txt; test -v "$y"',
    'read -r y < p.txt; echo ${!y}',
    'read -r y < p.txt; s=abc; echo ${s:y}',
    'read -r y < p.txt; b[y]=1',
    'read -r y < p.txt; let n=y',
    'read -r y < p.txt; echo ${(P)y}',
    "printf -v y 'a[%s(rm -rf data)]' '$'; echo $((y))",
    'y=$(echo YVskKHJtIC1yZiBkYXRhKV0= | base64 -d); echo $((y))',
    "y='a[1]'; echo $((y))",
    'echo $((y)); y=1',
    'echo "don\'t"; y=$(cat f); echo $((y))',
    'y=1; y=$(cat f); echo $((y))',
    'y=1; y=`cat f`; echo $((y))',
    'for y in $(cat f); do echo $((y)); done',
    "bash -c 'echo $((y))'",
    "eval 'echo $((y))'",
    `${'echo $((1)); '.repeat(300)}echo $((2))`,
  ];
  for (const line of unshown) {
    it(`does not understand ${line.slice(0, 80)}`, () => {
      const d = prod.classify(line);
      assert.equal(d.decision, 'confirm', JSON.stringify(d));
      assert.match(d.parseError ?? '', /arithmetic or a name reads/);
      assert.equal(dev.classify(line).decision, 'allow', line);
    });
  }

  const shown = [
    'n=5; echo $((n+1))',
    'for ((i=0; i<3; i++)); do echo $i; done',
    'for i in 1 2 3; do echo $((i*2)); done',
    'i=0; i=$((i+1)); echo $i',
    'echo $((RANDOM % 10)) $[1+2] $(( 16#ff + 0x1f ))',
    'echo $(( $(wc -l < README.md) + 1 ))',
    '[[ $# -eq 0 ]] && echo none',
    "y=HOME; echo ${!y}",
    'echo ${!PATH*} ${s:-x} ${a[@]} ${#a[@]} ${s:0:3}',
    'declare -A m; m[$k]=1; echo ${m[$k]}',
    'BASH_ALIASES[ll]=ls',
    '[[ "$a" == b ]]',
    'echo hi # $((y))',
    "bash -c 'n=3; echo $((n+1))'",
  ];
  for (const line of shown) it(`lets ${line} run`, () => assert.equal(prod.classify(line).decision, 'allow', JSON.stringify(prod.classify(line))));
});

describe('long and hostile lines stay fast', () => {
  // Each was seconds or more in a first version (backtracking, or a scan from every place): now linear or capped.
  const lines: [string, string][] = [
    ['many stars in a target', `echo hi > ${'*'.repeat(40)}x`],
    ['stars and letters', `echo hi > ${'*a'.repeat(40)}x`],
    ['nested braces', `echo hi > ${'{'.repeat(20000)}${'}'.repeat(20000)}`],
    ['subscripts without an end', `echo hi > "${'$a['.repeat(10000)}"`],
    ['a long quoted word', `echo "${'a'.repeat(40000)}"`],
    ['qualifier starts', `echo $x ${'a(e:'.repeat(10000)}`],
    ['arithmetic assignments', `rm -rf /; echo $((a)); ((${'a=1,'.repeat(200000)}a=1))`],
    ['many groups', `${'echo $((1)); '.repeat(2000)}`],
  ];
  for (const [what, line] of lines) {
    it(`judges ${what} in under a second, never allowing what it cannot finish`, () => {
      const start = process.hrtime.bigint();
      const d = prod.classify(line);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
      assert.ok(['confirm', 'deny', 'allow'].includes(d.decision));
      if (line.startsWith('rm -rf /')) assert.equal(d.decision, 'deny', JSON.stringify(d.rules));
    });
  }
});
