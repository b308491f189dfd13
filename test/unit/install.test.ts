// Installing the shell side of the gate over the folder a last start left: whatever state that folder is in (tampered
// with, half-written, from another build), the install leaves it whole; a folder already whole is not written to.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installShellGate, shimmedPrograms, type ShellGate } from '../../src/gate/install';
import { SHIPPED_SHIM } from './shell-session';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
const SOURCED = ['lib.bash', 'interactive.bash', 'bash-env.bash', 'interactive.zsh'];
const ZSH = ['zshrc', 'zshenv', 'zprofile', 'zlogin'];

/** Every file and link of the gate's folder with what identifies its last write: inode, modification time, mode. */
function stamps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else {
        const st = lstatSync(p, { bigint: true });
        out.set(p.slice(dir.length), `${st.ino} ${st.mtimeNs} ${st.ctimeNs} ${st.mode}${st.isSymbolicLink() ? ` -> ${readlinkSync(p)}` : ''}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** The folder as an install must leave it: each script as shipped, private; every shim a link to the shim; no other. */
function assertWhole(gate: ShellGate): void {
  for (const f of SOURCED) {
    assert.deepEqual(readFileSync(join(gate.dir, f)), readFileSync(join(SCRIPTS, f)), f);
    assert.equal(statSync(join(gate.dir, f)).mode & 0o777, 0o600, f);
  }
  for (const f of ZSH) {
    assert.deepEqual(readFileSync(join(gate.zdotdir, `.${f}`)), readFileSync(join(SCRIPTS, `${f}.zsh`)), f);
    assert.equal(statSync(join(gate.zdotdir, `.${f}`)).mode & 0o777, 0o600, f);
  }
  assert.equal(statSync(join(gate.dir, 'shim.sh')).mode & 0o777, 0o755);
  assert.match(readFileSync(join(gate.dir, 'shim.sh'), 'utf8'), /^#!\//);
  const target = join(gate.dir, gate.shim === 'native' ? 'shim' : 'shim.sh');
  const wanted = shimmedPrograms(gate.programs).sort();
  assert.deepEqual(readdirSync(gate.binDir).sort(), wanted);
  for (const p of wanted) assert.equal(readlinkSync(join(gate.binDir, p)), target, p);
}

describe('installing the shell gate', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'ag-install-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('restores a folder an agent or a crash left broken: shims replaced, removed or turned into folders, scripts changed or unreadable', () => {
    const dir = join(root, 'gate');
    const first = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    assertWhole(first);
    // What a same-user process could leave between two starts of the editor.
    rmSync(join(first.binDir, 'rm'));
    mkdirSync(join(first.binDir, 'rm', 'inside'), { recursive: true });
    unlinkSync(join(first.binDir, 'git'));
    symlinkSync('/bin/true', join(first.binDir, 'git'));
    unlinkSync(join(first.binDir, 'terraform'));
    writeFileSync(join(first.binDir, 'terraform'), '#!/bin/sh\nexec /usr/bin/terraform "$@"\n', { mode: 0o755 });
    unlinkSync(join(first.binDir, 'psql'));
    symlinkSync('/bin/true', join(first.binDir, 'not-a-guarded-program'));
    writeFileSync(join(dir, 'lib.bash'), 'return 0\n');
    chmodSync(join(dir, 'interactive.bash'), 0o000);
    rmSync(join(first.zdotdir, '.zshrc'));
    mkdirSync(join(first.zdotdir, '.zshrc'));
    writeFileSync(join(dir, 'shim.sh'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    chmodSync(join(dir, 'bash-env.bash'), 0o644);

    const again = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    assertWhole(again);
    assert.equal(again.shim, first.shim);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });

  it('writes nothing to a folder that is whole already, and only what changed otherwise', () => {
    const dir = join(root, 'gate');
    installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    const before = stamps(dir);
    // A moment apart: a rewritten file shows a new change time (nanoseconds; ctime also changes on chmod and rename).
    spawnSync('sleep', ['0.05']);
    const gate = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    const after = stamps(dir);
    // The shells' word list is written on each start (its version tells running shells to read it again).
    const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k)).sort();
    const prefilter = changed.filter((k) => k === '/prefilter' || k.startsWith('/current/'));
    assert.deepEqual(changed.filter((k) => !prefilter.includes(k)), [], 'nothing but the word list was written');
    assert.ok(prefilter.includes('/prefilter'), changed.join(', '));
    assert.ok(before.size > 250, `${before.size} files and links`);
    // One script changed: it alone is written again, through a rename (a new inode: a shell reading the old one keeps it).
    writeFileSync(join(dir, 'lib.bash'), 'return 0\n');
    const edited = stamps(dir).get('/lib.bash');
    installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    const healed = stamps(dir);
    assert.notEqual(healed.get('/lib.bash')!.split(' ')[0], edited!.split(' ')[0], 'lib.bash was replaced by a new file');
    assert.deepEqual(
      [...healed.keys()].filter((k) => k !== '/lib.bash' && k !== '/prefilter' && !k.startsWith('/current/') && healed.get(k) !== after.get(k)),
      [],
    );
    assertWhole(gate);
  });
});
