// One generic test walks every rule's own examples; a second checks the registry itself.
import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/classify';
import { nameInPlace } from '../../src/core/place';
import { FAMILIES, RULES } from '../../src/core/rules';

const engine = new Engine({ tier: 'development' });

describe('rule examples', () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      for (const [command, resource, inPlace] of rule.examples.gated) {
        it(`gates: ${command}`, () => {
          const d = engine.classify(command);
          const f = d.findings.filter((x) => x.rule === rule.id);
          assert.ok(f.length, `${rule.id} did not fire on ${JSON.stringify(command)}; findings: ${JSON.stringify(d.findings.map((x) => x.rule))}`);
          assert.deepEqual(f.map((x) => x.resource), [resource]);
          if (!inPlace) return;
          // Named by the working folder: the finding and the decision's resource (what a person types) both change.
          const [place, named] = inPlace;
          const there = nameInPlace(d, place);
          assert.deepEqual(there.findings.filter((x) => x.rule === rule.id).map((x) => x.resource), [named], `in ${JSON.stringify(place)}`);
          assert.equal(there.resource, d.resource === resource ? named : there.resource);
        });
      }
      for (const command of rule.examples.allowed) {
        it(`allows: ${command}`, () => {
          const d = engine.classify(command);
          assert.deepEqual(d.findings.filter((x) => x.rule === rule.id), [], `${rule.id} fired on ${JSON.stringify(command)}`);
        });
      }
    });
  }
});

describe('rule registry', () => {
  it('has unique ids of the form family.name, with family = the file the rule lives in', () => {
    const seen = new Set<string>();
    for (const [family, mod] of Object.entries(FAMILIES)) {
      for (const rule of RULES.filter((r) => Object.values(mod).includes(r))) {
        assert.match(rule.id, /^[a-z0-9]+\.[a-z0-9-]+$/);
        assert.equal(rule.id.split('.')[0], family, `${rule.id} lives in ${family}.ts`);
        assert.ok(!seen.has(rule.id), `duplicate id ${rule.id}`);
        seen.add(rule.id);
      }
    }
    assert.equal(seen.size, RULES.length);
  });

  it('gives every rule a summary, programs, and both gated and allowed examples', () => {
    for (const rule of RULES) {
      assert.ok(rule.summary.length > 10 && !rule.summary.endsWith('.'), `${rule.id}: summary is one short sentence without a full stop`);
      assert.ok(rule.programs.length, `${rule.id}: programs`);
      assert.ok(rule.examples.gated.length >= 1, `${rule.id}: at least one gated example`);
      assert.ok(rule.examples.allowed.length >= 1, `${rule.id}: at least one allowed example`);
    }
  });
});
