import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/classify';
import { TIERS } from '../../src/core/types';

describe('policy', () => {
  it('tightens with the tier', () => {
    const line = 'git reset --hard';
    const by = Object.fromEntries(TIERS.map((t) => [t, new Engine({ tier: t }).classify(line).decision]));
    assert.deepEqual(by, { production: 'confirm', staging: 'confirm', development: 'allow', unknown: 'allow' });
    assert.equal(new Engine({ tier: 'production' }).classify('rm -rf /').decision, 'deny');
    assert.equal(new Engine({ tier: 'development' }).classify('rm -rf /').decision, 'confirm');
  });

  it('freeze holds every state change and refuses destruction, but lets reads run', () => {
    const e = new Engine({ tier: 'development', freeze: true });
    assert.equal(e.classify('git status').decision, 'allow');
    assert.equal(e.classify('ls -la | grep x').decision, 'allow');
    const install = e.classify('npm install left-pad');
    assert.equal(install.decision, 'confirm');
    assert.equal(install.resource, 'npm install');
    assert.match(install.reason, /freeze/);
    assert.equal(e.classify('rm -rf data').decision, 'deny');
    assert.equal(e.classify('echo x > notes.txt').decision, 'confirm');
  });

  it('a decision held only by the freeze names its rule and a resource without options', () => {
    const e = new Engine({ tier: 'production', freeze: true });
    const rm = e.classify('rm -rf build');
    assert.equal(rm.decision, 'confirm');
    assert.deepEqual(rm.rules, ['freeze.changes-state']);
    assert.equal(rm.resource, 'rm build');
    assert.deepEqual(e.classify('touch -a notes.txt').rules, ['freeze.changes-state']);
    assert.equal(e.classify('touch -a notes.txt').resource, 'touch notes.txt');
    // A rule that matches is named instead of the freeze.
    assert.deepEqual(new Engine({ tier: 'development', freeze: true }).classify('git push --force origin main').rules, ['git.force-push']);
    assert.deepEqual(new Engine({ tier: 'production' }).classify('rm -rf build').rules, []);
  });

  it('fails closed on what it cannot understand, except in development', () => {
    const prod = new Engine({ tier: 'production' }).classify('echo "unterminated');
    assert.equal(prod.decision, 'confirm');
    assert.match(prod.reason, /could not be understood/);
    assert.ok(prod.rules.includes('parse.not-understood'));
    assert.equal(new Engine({ tier: 'staging' }).classify('ls $(').decision, 'confirm');
    const dev = new Engine({ tier: 'development' }).classify('echo "unterminated');
    assert.equal(dev.decision, 'allow');
    assert.match(dev.reason, /not fully understood/);
  });

  it('keeps the strictest finding when a line has several', () => {
    const d = new Engine({ tier: 'production' }).classify('git reset --hard && rm -rf / ; rm -rf data');
    assert.equal(d.decision, 'deny');
    assert.equal(d.resource, '/');
    const c = new Engine({ tier: 'production' }).classify('rm -rf data && git push -f origin main');
    assert.equal(c.decision, 'confirm');
    assert.equal(c.resource, 'data main');
    assert.deepEqual(c.rules, ['fs.recursive-delete', 'git.force-push']);
  });

  it('applies user rules: deny beats confirm beats allow, by rule id or command glob', () => {
    const e = new Engine({
      tier: 'production',
      rules: { allow: ['rm -rf ./tmp-*', 'git.reset-hard'], confirm: ['npm publish*'], deny: ['terraform *', 'git.force-push'] },
    });
    assert.equal(e.classify('rm -rf ./tmp-cache').decision, 'allow');
    assert.equal(e.classify('rm -rf ./data').decision, 'confirm');
    assert.equal(e.classify('git reset --hard').decision, 'allow');
    assert.equal(e.classify('npm publish --access public').decision, 'confirm');
    assert.equal(e.classify('terraform plan').decision, 'deny');
    const fp = e.classify('git push -f origin main');
    assert.equal(fp.decision, 'deny');
    assert.match(fp.reason, /your rule "git.force-push"/);
  });

  it('reports unusable user rule entries instead of dropping them silently', () => {
    const e = new Engine({ rules: { allow: ['', 3 as unknown as string, 'ls'] } });
    assert.equal(e.userRules.problems.length, 2);
  });

  it('never throws on input that is not text', () => {
    for (const x of [undefined, null, 42, {}, []]) assert.equal(new Engine({ tier: 'production' }).classify(x).decision, 'confirm');
  });
});
