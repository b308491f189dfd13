// The shells' quick path decides, before every line, whether the line goes to the editor at all: a line it lets pass
// is never judged. So every line the engine holds in production (the labelled corpus, every rule's held examples, the
// red team's one-line attempts) must be one the quick path sends, in real bash and zsh, with the word lists the editor
// writes. `echo '{}' > .vs*/settings.json`, `echo -n > config.yml` and `GLOBIGNORE=x` were held by the engine and
// never reached it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { RULES } from '../../src/core/rules';
import { installShellGate } from '../../src/gate/install';

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPTS = join(ROOT, 'src', 'shell');

/** Lines the engine holds in production, from every source of held lines the project keeps. */
function heldLines(cwd: string): string[] {
  const lines = new Set<string>();
  const jsonl = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.jsonl')).flatMap((f) => readFileSync(join(ROOT, dir, f), 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)));
  for (const c of jsonl('test/corpus')) lines.add(c.cmd);
  for (const r of RULES) for (const g of r.examples?.gated ?? []) lines.add(typeof g === 'string' ? g : g[0]);
  // One line typed at the prompt (not lines typed into a program the first one started, nor keystrokes).
  for (const a of jsonl('test/redteam')) if (!a.control && a.type?.length === 1 && !a.keys) lines.add(a.type[0]);
  const engine = new Engine({ tier: 'production' });
  // A shell variable cannot hold a NUL: such a line never reaches the quick path whole.
  return [...lines].filter((l) => !l.includes('\u0000') && engine.classify(l, 'bash', { cwd }).decision !== 'allow');
}

/** Each shell sources the gate as a terminal does, then prints every line (that it can parse) it would not send. */
const CHECKS: Record<'bash' | 'zsh', { argv: (script: string) => string[]; script: string }> = {
  bash: {
    argv: (script) => ['bash', '--norc', '--noprofile', '-i', script],
    script: `__agent_guard_posix_set=1 POSIXLY_CORRECT=y . "$AGENT_GUARD_DIR/interactive.bash" 2>/dev/null
cd "$WORK" || exit 3
n=0
while IFS= read -r -d '' line; do
  bash -n -c "$line" 2>/dev/null || continue
  n=$((n+1))
  { __agent_guard_tampers "$line" || __agent_guard_relevant "$line"; } || printf 'NOT ASKED %q\\n' "$line"
done < "$HELD_LINES"
echo "CHECKED $n"
`,
  },
  zsh: {
    argv: (script) => ['zsh', '-f', '-i', script],
    script: `source "$AGENT_GUARD_DIR/interactive.zsh" 2>/dev/null
cd "$WORK" || exit 3
integer n=0
local line
while IFS= read -r -d $'\\0' line; do
  zsh -n -c "$line" 2>/dev/null || continue
  n+=1
  { __agent_guard_tampers "$line" || __agent_guard_relevant "$line" } || print -r -- "NOT ASKED \${(q)line}"
done < "$HELD_LINES"
print "CHECKED $n"
`,
  },
};

describe("the shells' quick path sends every line the engine holds (real bash and zsh)", function () {
  this.timeout(300_000);
  let root: string;
  let held: string[];
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ag-quick-path-'));
    const work = join(root, 'work');
    mkdirSync(join(work, '.vscode'), { recursive: true });
    mkdirSync(join(work, 'data'));
    writeFileSync(join(work, '.vscode', 'settings.json'), '{"agentGuard.environment":"production"}\n');
    held = heldLines(work);
    writeFileSync(join(root, 'lines'), held.map((l) => `${l}\u0000`).join(''));
    installShellGate(join(root, 'gate'), SCRIPTS, 'normal');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const shell of ['bash', 'zsh'] as const) {
    it(`in ${shell}`, () => {
      assert.ok(held.length > 1500, `${held.length} held lines`);
      const script = join(root, `check.${shell}`);
      writeFileSync(script, CHECKS[shell].script);
      const [program, ...args] = CHECKS[shell].argv(script);
      const r = spawnSync(program, args, {
        encoding: 'utf8',
        cwd: root,
        env: { HOME: root, PATH: process.env.PATH, TERM: 'dumb', AGENT_GUARD_DIR: join(root, 'gate'), WORK: join(root, 'work'), HELD_LINES: join(root, 'lines') },
        timeout: 240_000,
      });
      const checked = Number(/CHECKED (\d+)/.exec(r.stdout)?.[1] ?? 0);
      // Most held lines are whole lines of this shell (bash cannot parse zsh's globs, nor zsh some of bash's).
      assert.ok(checked > held.length * 0.9, `${shell} checked ${checked} of ${held.length} lines: ${r.stderr.slice(-500)}`);
      const missed = r.stdout.split('\n').filter((l) => l.startsWith('NOT ASKED '));
      assert.deepEqual(missed, [], `${missed.length} held lines that ${shell}'s quick path lets run unasked`);
    });
  }
});
