// The approval box's words, built from the real engine's decisions: a person's title, the name to type first,
// the rule ids last.
import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/classify';
import { approvalText, timeLeft } from '../../src/gate/approvalText';
import { expectedText, type ApprovalRequest } from '../../src/gate/service';

function request(command: string, options: ConstructorParameters<typeof Engine>[0], extra: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const decision = new Engine(options).classify(command);
  return { id: 'x', decision, expected: expectedText(decision, true), source: 'terminal', cwd: '/w', ...extra };
}

describe('approval box text', () => {
  it('titles a held rm -rf by what it does, and starts the prompt with the name to type', () => {
    const t = approvalText(request('rm -rf data', { tier: 'production' }, { agent: 'Claude Code', why: 'clean up' }));
    assert.equal(t.title, 'Agent Guard (production): Deletes a folder and everything in it, with no trash to restore from');
    assert.ok(t.prompt.startsWith('Type production/data to run: rm -rf data, from Claude Code.'), t.prompt);
    assert.match(t.prompt, /The agent says: "clean up"\./);
    assert.ok(t.prompt.endsWith('Rule: fs.recursive-delete.'), t.prompt);
    assert.doesNotMatch(t.title, /fs\.|\./, 'no rule id in the title');
  });

  it('a freeze hold says so in words; the rule is still named', () => {
    const t = approvalText(request('touch notes.txt', { tier: 'development', freeze: true }));
    assert.equal(t.title, 'Agent Guard (development, frozen): Changes state while the freeze is on');
    assert.match(t.prompt, /^Type touch notes\.txt to run: touch notes\.txt\./);
    assert.match(t.prompt, /Rule: freeze\.changes-state\.$/);
  });

  it('a user rule, a line not understood, and several rules each get a title a person reads', () => {
    assert.equal(approvalText(request('make deploy', { tier: 'staging', rules: { confirm: ['make deploy'] } })).title, 'Agent Guard (staging): Matches your rule "make deploy"');
    assert.equal(approvalText(request('echo "unterminated', { tier: 'production' })).title, 'Agent Guard (production): A command Agent Guard could not understand');
    const both = approvalText(request('git push -f origin main && git reset --hard', { tier: 'production' }));
    assert.match(both.title, /^Agent Guard \(production\): Rewrites the remote branch, discarding commits other people may have \(\+1 more\)$/);
  });

  it('keeps a huge command short and still puts the name first', () => {
    const t = approvalText(request(`rm -rf data ${'-v '.repeat(2000)}`, { tier: 'production' }));
    assert.ok(t.prompt.length < 600, `${t.prompt.length}`);
    assert.ok(t.prompt.startsWith('Type production/'));
  });

  it('counts down in minutes and seconds', () => {
    assert.equal(timeLeft(120_000), '2:00');
    assert.equal(timeLeft(9_001), '0:10');
    assert.equal(timeLeft(-5), '0:00');
  });
});
