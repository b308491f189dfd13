// Codex's hook trust record in config.toml: written beside everything else in the file, never duplicated, and the
// installer's outcome when there is no Codex to ask. Codex itself is asked in test/agents (the real CLI).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustOurCodexHook, withTrustedHash } from '../../src/gate/codexTrust';

describe('Codex hook trust record', () => {
  const key = '/home/u/.codex/hooks.json:pre_tool_use:0:0';

  it('appends a table to a config without one, keeping the rest byte for byte', () => {
    const before = 'model = "gpt-5.5"\n\n[projects."/w"]\ntrust_level = "trusted"\n';
    const after = withTrustedHash(before, key, 'sha256:ab');
    assert.equal(after, `${before}\n[hooks.state."${key}"]\ntrusted_hash = "sha256:ab"\n`);
    assert.equal(withTrustedHash('', key, 'sha256:ab'), `\n[hooks.state."${key}"]\ntrusted_hash = "sha256:ab"\n`);
    assert.equal(withTrustedHash('model = "x"', key, 'sha256:ab'), `model = "x"\n\n[hooks.state."${key}"]\ntrusted_hash = "sha256:ab"\n`);
  });

  it('replaces the hash of a hook that changed, in its own table only', () => {
    const other = '/home/u/.codex/hooks.json:stop:0:0';
    const before = `[hooks.state."${other}"]\ntrusted_hash = "sha256:other"\n\n[hooks.state."${key}"]\nenabled = true\ntrusted_hash = "sha256:old"\n\n[tui]\nx = 1\n`;
    const after = withTrustedHash(before, key, 'sha256:new');
    assert.equal(after, before.replace('sha256:old', 'sha256:new'));
    assert.equal(withTrustedHash(`[hooks.state."${key}"]\nenabled = true\n[tui]\n`, key, 'sha256:n'), `[hooks.state."${key}"]\ntrusted_hash = "sha256:n"\nenabled = true\n[tui]\n`);
  });

  it('with no codex on PATH, says plainly that Codex is not protected until trusted', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ag-codex-trust-'));
    try {
      const r = await trustOurCodexHook({ home, env: { PATH: '/nonexistent' }, cwd: home });
      assert.equal(r.trusted, false);
      assert.equal(r.codexFound, false);
      assert.match(r.text, /Codex is NOT protected until the hook is trusted/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
