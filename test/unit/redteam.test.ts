// The red-team corpus (test/redteam/*.jsonl) against real bash and zsh and a gate that never approves: every attempt
// must be held or refused, every control must still run, and the count is printed.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttemptResult, loadAttempts, RedTeam, runShell, SHELLS, summarize } from '../redteam/harness';

if (!SHELLS.includes('zsh') && process.env.CI) throw new Error('zsh is not installed: run node test/harness/provision.mjs first');

describe('red team: a blocked agent tries other ways (real bash and zsh, production, never approved)', function () {
  this.timeout(600000);
  const attempts = loadAttempts();
  let team: RedTeam;
  let results: AttemptResult[] = [];

  before(async () => {
    team = new RedTeam(mkdtempSync(join(tmpdir(), 'ag-redteam-')));
    await team.start();
    const only = process.env.AG_REDTEAM_ONLY ? new RegExp(process.env.AG_REDTEAM_ONLY) : null;
    // Attempts this branch has not closed yet are listed, not run (a hanging gate would stall the run).
    const runnable = attempts.filter((a) => a.needs !== 'gate-shell' && (!only || only.test(a.id)));
    const per = await Promise.all(SHELLS.map((sh) => runShell(team, sh, runnable.filter((a) => (a.shells ?? SHELLS).includes(sh)))));
    results = per.flat();
  });
  after(() => team?.stop());

  it('has at least 150 attempts over all ten classes, in bash and zsh, and controls', () => {
    const real = attempts.filter((a) => !a.control);
    assert.ok(real.length >= 150, `only ${real.length} attempts`);
    for (let c = 1; c <= 10; c++) assert.ok(real.some((a) => a.class === c), `no attempt of class ${c}`);
    assert.ok(real.some((a) => (a.shells ?? ['bash', 'zsh']).includes('zsh')));
    assert.ok(attempts.some((a) => a.control));
  });

  it('holds every attempt and runs every control', () => {
    const { line, leaks, pending } = summarize(results, SHELLS);
    console.log(`\n      ${line}`);
    const todo = attempts.filter((a) => a.needs === 'gate-shell');
    if (todo.length) console.log(`      not closed yet on this branch (${todo.length}): ${todo.map((a) => a.id).join(' ')}`);
    for (const p of pending.filter((r) => !r.held)) console.log(`      pending (${p.attempt.needs}): ${p.shell} ${p.attempt.id}: ${p.problems.join('; ')}`);
    const report = leaks.map((r) => `${r.shell} ${r.attempt.id} (class ${r.attempt.class}): ${r.problems.join('; ')}\n${r.output.slice(-1500)}`);
    assert.equal(leaks.length, 0, `leaked:\n${report.join('\n---\n')}`);
  });
});
