// Random and hostile input never throws and always yields a well-formed decision.
import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/classify';
import { VERDICTS } from '../../src/core/types';
import { loadCorpus } from './corpus';

/** A small seeded generator so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const PIECES = ['rm', '-rf', ' ', '"', "'", '`', '$(', ')', '(', '${', '}', '\\', '\n', ';', '&&', '||', '|', '&', '<<', 'EOF', '<<<', '>', '2>&1', '#', '$', '*', 'bash -c ', 'eval ', 'sudo ', 'xargs ', 'find . -exec ', '{}', '\\;', 'psql -c ', 'DROP TABLE x', 'curl -d ', '{"query":"mutation{volumeDelete(id:\\"v\\")}"}', 'git push -f ', '\u0000', '\u00ff', '\ud83d\ude00', "$'\\x72'", 'case x in a) ', 'esac', 'if ', 'then ', 'fi', 'for x in y; do ', 'done'];

function check(engine: Engine, line: string): void {
  const d = engine.classify(line);
  assert.ok(VERDICTS.includes(d.decision), `bad decision for ${JSON.stringify(line)}`);
  assert.equal(typeof d.reason, 'string');
  if (d.decision === 'confirm') assert.ok(d.resource && d.resource.length > 0, `confirm without a resource for ${JSON.stringify(line)}`);
}

describe('fuzz', () => {
  const engines = (['production', 'development'] as const).map((tier) => new Engine({ tier }));

  it('survives 20,000 random splices of shell syntax', () => {
    const next = rng(42);
    for (let i = 0; i < 20000; i++) {
      let line = '';
      const n = 1 + Math.floor(next() * 12);
      for (let j = 0; j < n; j++) line += PIECES[Math.floor(next() * PIECES.length)];
      for (const e of engines) check(e, line);
    }
  });

  it('survives random bytes and every corpus command cut at every length', () => {
    const next = rng(7);
    for (let i = 0; i < 3000; i++) {
      let line = '';
      const n = Math.floor(next() * 200);
      for (let j = 0; j < n; j++) line += String.fromCharCode(Math.floor(next() * 0x3000));
      for (const e of engines) check(e, line);
    }
    for (const c of loadCorpus().slice(0, 200)) for (let k = 0; k <= c.cmd.length; k += 3) check(engines[0], c.cmd.slice(0, k));
  });

  it('answers deeply nested and very long input, failing closed in production', () => {
    const deep = 'bash -c "'.repeat(40) + 'rm -rf x' + '"'.repeat(40);
    check(engines[0], deep);
    const nested = '$('.repeat(5000) + 'ls' + ')'.repeat(5000);
    assert.equal(engines[0].classify(nested).decision, 'confirm');
    // Patterns that once backtracked for seconds on such a line (shell.dynamic-name's indirect assignments).
    for (const odd of ['echo ${(P' + 'P'.repeat(50000), ': ${(P)' + '${'.repeat(20000), 'echo ${!' + 'a'.repeat(100000)]) check(engines[0], odd);
    const many = 'ls;'.repeat(20000);
    const d = engines[0].classify(many);
    assert.equal(d.decision, 'confirm');
    assert.match(d.reason, /too many commands/);
    const long = engines[0].classify('x'.repeat(3 * 1024 * 1024));
    assert.equal(long.decision, 'confirm');
    assert.match(long.reason, /longer than/);
  });
});
