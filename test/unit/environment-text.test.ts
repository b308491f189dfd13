// The status-bar menu's line for a folder, from the real detector's results: never "set in settings" beside
// "no environment signal found", and a label offered only where nothing labels the folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectTier } from '../../src/core/environment';
import { readSignals } from '../../src/core/folderTier';
import { folderLabelText } from '../../src/vscode/environmentText';

describe('status-bar menu: a folder\'s label', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ag-envtext-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const detected = () => detectTier(readSignals(dir));

  it('set in settings, no signals: says so once, with no "no environment signal" beside it, and offers nothing', () => {
    const t = folderLabelText({ name: 'shop', tier: 'production', configured: 'production', detected: detected() });
    assert.deepEqual(t, { label: 'shop: production', description: 'set in settings (agentGuard.environment)', offerLabel: false });
  });

  it('set in settings while the workspace looks like something else: both, in words', () => {
    writeFileSync(join(dir, '.env.staging'), 'X=1\n');
    const t = folderLabelText({ name: 'shop', tier: 'production', configured: 'production', detected: detected() });
    assert.match(t.detail ?? '', /^The workspace itself looks like staging: /);
  });

  it('unknown: explains what that means and offers a label', () => {
    mkdirSync(join(dir, 'src'));
    const t = folderLabelText({ name: 'demo', tier: 'unknown', detected: detected() });
    assert.equal(t.description, 'no label, no environment signal');
    assert.match(t.detail ?? '', /label the folder/);
    assert.equal(t.offerLabel, true);
  });

  it('detected: shows the evidence; a pending lower label waits for a person and is not offered again', () => {
    writeFileSync(join(dir, '.env.production'), 'X=1\n');
    const t = folderLabelText({ name: 'api', tier: 'production', detected: detected() });
    assert.equal(t.description, 'detected');
    assert.match(t.detail ?? '', /\.env\.production/);
    const p = folderLabelText({ name: 'api', tier: 'unknown', pending: 'development', detected: { tier: 'unknown', evidence: [] } });
    assert.equal(p.offerLabel, false);
    assert.match(p.description, /waits for a person/);
  });
});
