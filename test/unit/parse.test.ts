import * as assert from 'node:assert/strict';
import { expand } from '../../src/core/parse/invocation';
import { parseShell } from '../../src/core/parse/shell';
import { parseArgs } from '../../src/core/parse/args';
import { spawnSync } from 'node:child_process';
import { Engine } from '../../src/core/classify';
import { shellQuote } from '../../src/core/parse/shellQuote';

const programs = (line: string) => expand(line).invocations.map((i) => [i.program, ...i.args].join(' '));

describe('shell parsing', () => {
  it('splits on every shell separator, newlines included', () => {
    assert.deepEqual(programs('a; b && c || d | e & f\ng'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('keeps quoted operators and comment characters inside words', () => {
    assert.deepEqual(programs('echo "a; rm -rf /" \'b && c\' a#b # real comment'), ['echo a; rm -rf / b && c a#b']);
  });

  it('removes quotes and backslashes the way the shell does', () => {
    assert.deepEqual(programs("r''m -rf x; \\rm y; \"r\"m z; $'\\x72m' w"), ['rm -rf x', 'rm y', 'rm z', 'rm w']);
  });

  it('finds commands inside $( ), backticks, process substitution and ${ }', () => {
    const p = programs('echo $(rm -rf a) `rm -rf b` <(rm -rf c) ${x:-$(rm -rf d)}');
    for (const t of ['rm -rf a', 'rm -rf b', 'rm -rf c', 'rm -rf d']) assert.ok(p.includes(t), `${t} in ${JSON.stringify(p)}`);
  });

  it('reads heredoc bodies and feeds them to the command', () => {
    const inv = expand("psql <<'SQL'\nDROP TABLE users;\nSQL\necho done").invocations;
    assert.equal(inv[0].program, 'psql');
    assert.equal(inv[0].stdin, 'DROP TABLE users;');
    assert.equal(inv[1].program, 'echo');
  });

  it('strips leading tabs in <<- heredocs and reads here-strings', () => {
    assert.equal(expand('cat <<-E\n\t\tx\n\tE').invocations[0].stdin, 'x');
    assert.equal(expand('psql <<< "DROP DATABASE app"').invocations[0].stdin, 'DROP DATABASE app');
  });

  it('sees through wrappers to the program that runs', () => {
    const inv = expand('sudo -u postgres env PGPASSWORD=x nohup timeout 30 nice -n 5 psql -c "select 1"').invocations[0];
    assert.equal(inv.program, 'psql');
    assert.deepEqual(inv.via, ['sudo', 'env', 'nohup', 'timeout', 'nice']);
    assert.equal(inv.env.PGPASSWORD, 'x');
  });

  it('recurses into bash -c, eval, ssh, watch, su -c, xargs, find -exec and piped shells', () => {
    const p = programs(`bash -lc 'rm -rf a'; eval "rm -rf b"; ssh db1 dropdb app; watch -n 5 rm -rf c; su - postgres -c 'dropdb x'; ls | xargs -0 rm -rf; find . -exec shred {} +; echo "rm -rf e" | sh`);
    for (const t of ['rm -rf a', 'rm -rf b', 'dropdb app', 'rm -rf c', 'dropdb x', 'rm -rf', 'shred {}', 'rm -rf e']) assert.ok(p.includes(t), `${t} in ${JSON.stringify(p)}`);
  });

  it('skips shell keywords so the command after them is seen', () => {
    assert.deepEqual(programs('if true; then rm -rf a; fi; for f in x y; do rm -rf "$f"; done; while false; do :; done'), ['true', 'rm -rf a', '', '', 'rm -rf $f', 'false', ':']);
    assert.deepEqual(programs('case $x in a|b) rm -rf a;; *) ls;; esac'), ['rm -rf a', 'ls']);
  });

  it('reads `for NAME in words` as NAME set to each word (the loop leaves the last)', () => {
    const parsed = parseShell("for PROMPT_COMMAND in ls 'rm -rf data'; do :; done; for ((i = 0; i < 2; i++)); do :; done; for x; do :; done");
    assert.deepEqual(parsed.commands.filter((c) => c.assignments.length).map((c) => c.assignments.map((a) => a.text)), [['PROMPT_COMMAND=ls'], ['PROMPT_COMMAND=rm -rf data']]);
  });

  it('reports what it cannot understand and never throws', () => {
    assert.deepEqual(parseShell('echo "open').errors, ['unbalanced double quote']);
    assert.deepEqual(parseShell("echo 'open").errors, ['unbalanced single quote']);
    assert.deepEqual(parseShell('echo $(ls').errors, ['unclosed $( … )']);
    assert.ok(parseShell('a\u0000b').errors.includes('contains control or binary bytes'));
  });

  it('marks words whose value is only known at run time', () => {
    const w = expand('rm -rf $DIR "a b" *.log').invocations[0].argWords;
    assert.deepEqual(w.map((x) => x.dynamic), [false, true, false, true]);
  });
});

describe('argument normalisation', () => {
  it('reads -rf, -fr, -r -f and --recursive --force alike, after positionals too', () => {
    for (const args of [['-rf', 'x'], ['-fr', 'x'], ['-r', '-f', 'x'], ['x', '--recursive', '--force'], ['x', '-Rf']]) {
      const a = parseArgs(args);
      assert.ok(a.has('-r', '-R', '--recursive') && a.has('-f', '--force'), JSON.stringify(args));
      assert.deepEqual(a.positionals, ['x']);
    }
  });

  it('takes values for declared options, attached or not', () => {
    const a = parseArgs(['-nprod', '--context=live', '-o', 'yaml', 'delete', 'ns', 'x'], { values: ['-n', '-o', '--context'] });
    assert.equal(a.value('-n'), 'prod');
    assert.equal(a.value('--context'), 'live');
    assert.deepEqual(a.positionals, ['delete', 'ns', 'x']);
  });
});

describe('words that name what every object inherits (constructor, __proto__, toString…)', () => {
  const engine = new Engine({ tier: 'production' });
  const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
  // W stands for the name: as a program, a subcommand of the programs read word by word, an option and a value.
  const PLACES = [
    'W', 'W -rf data', 'W -e x', 'W=1 rm -rf data', 'sudo W', 'env W=1 W', 'timeout 1 W', 'xargs W', 'npx W', 'npm W', 'npm run W', 'pnpm W', 'yarn W', 'bun W',
    'git W', 'git W x', 'git config W x', 'git -c W=x status', 'git push --W', 'git apply --W',
    'kubectl W', 'kubectl W W', 'kubectl delete W x', 'kubectl --W x get pods',
    'docker W', 'docker W W', 'docker compose W', 'docker run --W x', 'docker exec W W',
    'tmux W', 'tmux W x', 'tmux new -W x', "tmux set -g W 'x'", 'tmux bind W W', 'tmux display-menu W W W',
    'cmake -E W', 'cmake -E W x', 'parallel W ::: a', 'parallel --W x ::: a', 'screen -X W', 'zellij W', 'zellij action W',
    'wezterm W', 'wezterm cli W', 'kitty @ W', 'kitten @ W', 'R CMD W', 'osascript -l W -e x',
    'aws W W', 'aws s3 W', 'gcloud W delete x', 'az W delete', 'doctl W W delete', 'doctl compute W delete', 'heroku W', 'railway W', 'fly W', 'terraform W',
    'ls --W', 'rm --W data', 'curl -W x', 'psql -c W', 'declare W', "pwsh -c 'W'", "pwsh -c 'Remove-Item -W x'", 'cmd /c W',
  ];
  const internal = (d: ReturnType<Engine['classify']>) => [d.reason, d.parseError ?? '', ...d.findings.map((f) => f.detail ?? '')].filter((t) => /internal|rule error/i.test(t));
  for (const place of PLACES) {
    it(`reads ${place} as it reads an unknown word there`, () => {
      const plain = engine.classify(place.replace(/W/g, 'zzword'), 'bash', {});
      for (const name of NAMES) {
        const line = place.replace(/W/g, name);
        const d = engine.classify(line, 'bash', {});
        assert.deepEqual(internal(d), [], line);
        assert.deepEqual([d.decision, d.rules], [plain.decision, plain.rules], `${line}: ${d.reason}`);
      }
    });
  }
});

describe('shellQuote', () => {
  const WORDS = ['data', 'a b', "it's", "'", "''", '', '=rm', 'A=1', 'x+=1', 'if', 'time', '!', '{', '~', '~/x', '*', 'a;b', '$(id)', '`id`', '-rf', '--x=y', 'a\nb', '#x', 'a\\b', '%1', 'é'];
  it('writes each word so that real bash and zsh read it back as that one word', () => {
    for (const shell of ['bash', 'zsh'].filter((s) => spawnSync(s, ['-c', 'true']).status === 0)) {
      const out = spawnSync(shell, ['-c', `printf '%s\\0' ${WORDS.map(shellQuote).join(' ')}`], { encoding: 'utf8' }).stdout;
      assert.deepEqual(out.split('\0').slice(0, -1), WORDS, shell);
    }
  });
  it('writes a word at a command start so that it is that program, not a keyword or an assignment', () => {
    for (const w of WORDS.filter((x) => x && !/\n/.test(x))) {
      const parsed = parseShell(`${shellQuote(w)} x`);
      assert.deepEqual(parsed.commands.map((c) => [c.assignments.length, ...c.words.map((x) => x.text)]), [[0, w, 'x']], w);
    }
  });
});
