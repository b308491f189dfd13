// The label floor kept outside the workspace: raised by what hooks and the editor see, lowered only through the
// editor's typed approval; nearest-or-above lookup; a damaged or huge file never crashes a hook.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floorFile, floorFor, raiseFloor, setFloorAfterTypedApproval } from '../../src/core/tierFloor';

describe('tier floors (src/core/tierFloor.ts)', () => {
  let state: string;
  beforeEach(() => (state = mkdtempSync(join(tmpdir(), 'ag-floor-'))));
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  it('raises only, applies to the folder and everything below it, and a typed approval lowers it', () => {
    assert.deepEqual(floorFor(state, '/w/shop/src'), { tier: 'unknown' });
    assert.equal(raiseFloor(state, '/w/shop', 'staging'), true);
    assert.equal(raiseFloor(state, '/w/shop', 'development'), false, 'a lower label does not lower the floor');
    assert.equal(raiseFloor(state, '/w/shop', 'unknown'), false);
    assert.deepEqual(floorFor(state, '/w/shop/src/deep'), { tier: 'staging', folder: '/w/shop' });
    assert.deepEqual(floorFor(state, '/w/other'), { tier: 'unknown' });
    assert.equal(raiseFloor(state, '/w', 'production'), true);
    assert.deepEqual(floorFor(state, '/w/shop/src'), { tier: 'production', folder: '/w' }, 'the strictest above wins');
    setFloorAfterTypedApproval(state, '/w', 'development');
    assert.deepEqual(floorFor(state, '/w/shop/src'), { tier: 'staging', folder: '/w/shop' });
    setFloorAfterTypedApproval(state, '/w/shop', 'unknown');
    assert.deepEqual(floorFor(state, '/w/shop'), { tier: 'development', folder: '/w' });
  });

  it('reads a damaged file as no floor and rewrites it on the next raise; ignores entries it cannot read', () => {
    for (const junk of ['{ not json', '[]', 'null', '\u0000\u0001binary', '{"/w": {"tier": "galaxy"}, "/v": 7}']) {
      writeFileSync(floorFile(state), junk);
      assert.deepEqual(floorFor(state, '/w'), { tier: 'unknown' }, junk);
      assert.equal(raiseFloor(state, '/w', 'production'), true);
      assert.equal(JSON.parse(readFileSync(floorFile(state), 'utf8'))['/w'].tier, 'production');
    }
  });

  it('keeps at most 5,000 folders, the strictest and newest first', () => {
    const many: Record<string, { tier: string; since: string }> = {};
    for (let i = 0; i < 5100; i++) many[`/w/p${i}`] = { tier: i < 10 ? 'production' : 'development', since: new Date(2026, 0, 1, 0, 0, i).toISOString() };
    writeFileSync(floorFile(state), JSON.stringify(many));
    raiseFloor(state, '/w/new', 'staging');
    const kept = JSON.parse(readFileSync(floorFile(state), 'utf8'));
    assert.equal(Object.keys(kept).length, 5000);
    for (let i = 0; i < 10; i++) assert.equal(kept[`/w/p${i}`].tier, 'production');
    assert.equal(kept['/w/new'].tier, 'staging');
  });
});
