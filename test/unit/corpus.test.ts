// The labelled corpus: real-world commands, destructive and safe, with the decision and resource expected.
import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/classify';
import { RULES } from '../../src/core/rules';
import { loadCorpus } from './corpus';

describe('labelled corpus', () => {
  const corpus = loadCorpus();
  const prod = new Engine({ tier: 'production' });
  const dev = new Engine({ tier: 'development' });
  const known = new Set(RULES.map((r) => r.id).concat('parse.not-understood'));

  it('holds at least 400 commands, both gated and allowed', () => {
    assert.ok(corpus.length >= 400, `corpus has ${corpus.length}`);
    assert.ok(corpus.filter((c) => c.prod === 'allow').length >= 150);
    assert.ok(corpus.filter((c) => c.prod !== 'allow').length >= 150);
  });

  it('has no duplicate commands and names only rules that exist', () => {
    const seen = new Map<string, string>();
    for (const c of corpus) {
      const where = `${c.file}:${c.line}`;
      assert.ok(!seen.has(c.cmd), `${where} repeats ${seen.get(c.cmd)}`);
      seen.set(c.cmd, where);
      for (const r of c.rules ?? []) assert.ok(known.has(r), `${where}: unknown rule ${r}`);
    }
  });

  for (const c of corpus) {
    it(`${c.file}:${c.line} ${c.cmd.length > 70 ? c.cmd.slice(0, 70) + '…' : c.cmd}`, () => {
      const d = prod.classify(c.cmd);
      const got = { decision: d.decision, rules: d.rules, resource: d.resource };
      assert.equal(d.decision, c.prod, `production decision; got ${JSON.stringify(got)}`);
      if (c.rules) assert.deepEqual([...d.rules].sort(), [...c.rules].sort(), `rules; got ${JSON.stringify(got)}`);
      if (c.resource !== undefined) assert.equal(d.resource, c.resource, `resource; got ${JSON.stringify(got)}`);
      if (c.dev) assert.equal(dev.classify(c.cmd).decision, c.dev, 'development decision');
    });
  }
});
