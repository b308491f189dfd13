// Installing the shell side of the gate over the folder a last start left: whatever state that folder is in (tampered
// with, half-written, from another build), the install leaves it whole; a folder already whole is not written to.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, watch, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askWords, guardedPrograms, installShellGate, reinstallIfStale, shimmedPrograms, writePrefilter, type ShellGate } from '../../src/gate/install';
import { FOREIGN_LANGUAGES } from '../../src/core/parse/foreignCode';
import { SESSION_RUNNERS, TERMINALS } from '../../src/core/parse/sessionRunners';
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

  it('writes nothing but the word lists to a folder that is whole already, and only what changed otherwise', () => {
    const dir = join(root, 'gate');
    installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    const before = stamps(dir);
    // A moment apart: a rewritten file shows a new change time (nanoseconds; ctime also changes on chmod and rename).
    spawnSync('sleep', ['0.05']);
    const gate = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    const after = stamps(dir);
    // The shells' word lists are written on each start, under a new version (one found on disk may be a same-user
    // process's own: see the next test).
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

  it('keeps the word lists it wrote when unchanged, and writes them under a new version when the mode changes or what is in place is not theirs', () => {
    const dir = join(root, 'gate');
    let last = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM).prefilterVersion;
    const version = () => readFileSync(join(dir, 'prefilter'), 'utf8').split('\n')[0];
    const markers = () => readdirSync(join(dir, 'current'));
    assert.equal(version(), last);
    assert.deepEqual(markers(), [last]);
    const rewritten = (what: string, change: () => void, mode: 'normal' | 'all' = 'normal') => {
      change();
      const now = writePrefilter(dir, mode, undefined, last);
      assert.equal(version(), now, what);
      assert.notEqual(now, last, `${what}: a new version`);
      assert.deepEqual(markers(), [now], `${what}: its marker alone`);
      assert.equal(statSync(join(dir, 'prefilter')).mode & 0o777, 0o600, what);
      assert.equal(readFileSync(join(dir, 'prefilter'), 'utf8').split('\n')[1], mode, what);
      last = now;
    };
    rewritten('the freeze', () => undefined, 'all');
    rewritten('back to normal', () => undefined);
    rewritten('a word taken out of the list', () => writeFileSync(join(dir, 'prefilter'), readFileSync(join(dir, 'prefilter'), 'utf8').replace(' rm ', ' '), { mode: 0o600 }));
    rewritten('the lists made readable to others', () => chmodSync(join(dir, 'prefilter'), 0o644));
    rewritten('a second marker', () => writeFileSync(join(dir, 'current', '1-1'), ''));
    rewritten('the marker removed', () => rmSync(join(dir, 'current', last)));
    rewritten('the lists a link to a copy', () => {
      copyFileSync(join(dir, 'prefilter'), join(root, 'copy'));
      chmodSync(join(root, 'copy'), 0o600);
      rmSync(join(dir, 'prefilter'));
      symlinkSync(join(root, 'copy'), join(dir, 'prefilter'));
    });
    rewritten('current/ a link to a copy', () => {
      renameSync(join(dir, 'current'), join(root, 'current-copy'));
      symlinkSync(join(root, 'current-copy'), join(dir, 'current'));
    });
    assert.ok(lstatSync(join(dir, 'current')).isDirectory());
    rewritten('a FIFO for the lists', () => {
      rmSync(join(dir, 'prefilter'));
      assert.equal(spawnSync('mkfifo', ['-m', '600', join(dir, 'prefilter')]).status, 0);
    });
    rewritten('the lists a second name of a file of theirs', () => linkSync(join(dir, 'prefilter'), join(root, 'second-name')));
    rewritten('a folder in current/', () => mkdirSync(join(dir, 'current', '1-1', 'x'), { recursive: true }));
    rewritten('the marker a folder', () => {
      rmSync(join(dir, 'current', last));
      mkdirSync(join(dir, 'current', last));
    });
    // Unchanged: kept as it is, under the version it was written with.
    assert.equal(writePrefilter(dir, 'normal', undefined, last), last);
    assert.equal(version(), last);
    assert.deepEqual(markers(), [last]);
  });

  it('does not keep word lists under a version it did not write, even with the right bytes (running shells read them again)', () => {
    const dir = join(root, 'gate');
    const ours = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM).prefilterVersion;
    // A same-user process: its own lists under a version of its choosing (the shells read them, and keep them while
    // the marker is there), then the right bytes back under that version.
    const right = readFileSync(join(dir, 'prefilter'), 'utf8').slice(ours.length);
    writeFileSync(join(dir, 'prefilter'), `1-1${right}`, { mode: 0o600 });
    rmSync(join(dir, 'current', ours));
    writeFileSync(join(dir, 'current', '1-1'), '', { mode: 0o600 });
    for (const keep of [undefined, ours]) {
      const now = writePrefilter(dir, 'normal', undefined, keep);
      assert.notEqual(now, '1-1');
      assert.deepEqual(readdirSync(join(dir, 'current')), [now]);
      assert.equal(readFileSync(join(dir, 'prefilter'), 'utf8'), `${now}${right}`);
      writeFileSync(join(dir, 'prefilter'), `1-1${right}`, { mode: 0o600 });
      rmSync(join(dir, 'current', now));
      writeFileSync(join(dir, 'current', '1-1'), '', { mode: 0o600 });
    }
    // A start (no version of its own yet) writes a new one whatever it finds.
    const start = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM).prefilterVersion;
    assert.notEqual(start, '1-1');
    assert.deepEqual(readdirSync(join(dir, 'current')), [start]);
  });

  it('lays the gate down over a folder left in current/ (it stopped the terminals\' gate from starting)', () => {
    const dir = join(root, 'gate');
    installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    mkdirSync(join(dir, 'current', 'planted', 'deep'), { recursive: true });
    const gate = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    assert.deepEqual(readdirSync(join(dir, 'current')), [gate.prefilterVersion]);
    assertWhole(gate);
  });

  it('replaces what a same-user process left to be written through: links and second names with the right bytes, links at temporary names, a FIFO, linked folders', () => {
    const dir = join(root, 'gate');
    const first = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
    const theirs = join(root, 'theirs');
    mkdirSync(theirs);
    // lib.bash: a link to their copy with the shipped bytes (kept before, as it "held" them).
    copyFileSync(join(dir, 'lib.bash'), join(theirs, 'lib.bash'));
    chmodSync(join(theirs, 'lib.bash'), 0o600);
    rmSync(join(dir, 'lib.bash'));
    symlinkSync(join(theirs, 'lib.bash'), join(dir, 'lib.bash'));
    // interactive.bash: a second name of their file (a hard link), right bytes and mode.
    linkSync(join(dir, 'interactive.bash'), join(theirs, 'interactive.bash'));
    // bash-env.bash: changed, with links planted at the temporary names a writer of this pid (and the next) might use.
    writeFileSync(join(dir, 'bash-env.bash'), 'return 0\n');
    for (const pid of [process.pid, process.pid + 1]) symlinkSync(join(theirs, 'planted'), join(dir, `bash-env.bash.${pid}.tmp`));
    for (const name of ['prefilter', 'current/x']) symlinkSync(join(theirs, 'planted'), join(dir, `.${name.replace('/', '-')}.${process.pid}`));
    // interactive.zsh: a FIFO, which a plain read would wait on forever (freezing the editor's extension host).
    rmSync(join(dir, 'interactive.zsh'));
    assert.equal(spawnSync('mkfifo', ['-m', '600', join(dir, 'interactive.zsh')]).status, 0);
    // The shim folder and zsh's folder: links to folders of theirs, which the install would fill and they could change.
    for (const d of [first.binDir, first.zdotdir]) {
      const moved = join(theirs, d.split('/').pop()!);
      renameSync(d, moved);
      symlinkSync(moved, d);
    }
    if (first.shim === 'native') {
      copyFileSync(join(dir, 'shim'), join(theirs, 'shim'));
      chmodSync(join(theirs, 'shim'), 0o755);
      rmSync(join(dir, 'shim'));
      symlinkSync(join(theirs, 'shim'), join(dir, 'shim'));
    }

    // In a child process with a deadline: a read that waits on the FIFO must fail the test, not hang it.
    const script = `require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'gate', 'install.js'))}).installShellGate(${JSON.stringify(dir)}, ${JSON.stringify(SCRIPTS)}, 'normal', ${JSON.stringify(SHIPPED_SHIM)})`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, `${r.signal ?? ''} ${r.stderr}`);
    for (const f of [...SOURCED.map((f) => join(dir, f)), ...ZSH.map((f) => join(first.zdotdir, `.${f}`)), join(dir, 'shim.sh'), join(dir, 'prefilter'), ...(first.shim === 'native' ? [join(dir, 'shim')] : [])]) {
      const st = lstatSync(f);
      assert.ok(st.isFile() && st.nlink === 1, `${f} is a file of its own (${st.isSymbolicLink() ? 'a link' : `nlink ${st.nlink}`})`);
    }
    for (const d of [first.binDir, first.zdotdir]) assert.ok(lstatSync(d).isDirectory(), `${d} is a real folder`);
    assert.ok(!existsSync(join(theirs, 'planted')), 'nothing was written through a planted link');
    assertWhole(first);
    // Their files kept what they held: the install wrote none of them.
    assert.equal(readFileSync(join(theirs, 'lib.bash'), 'utf8'), readFileSync(join(SCRIPTS, 'lib.bash'), 'utf8'));
  });

  it('lays the gate down again from the rules when it was installed from a list that is not theirs', () => {
    const dir = join(root, 'gate');
    const stale = guardedPrograms().filter((p) => p !== 'unlink' && p !== 'terraform');
    const gate = installShellGate(dir, SCRIPTS, 'normal', { ...SHIPPED_SHIM, programs: [...stale, 'zz-not-a-rule'] });
    assert.ok(!existsSync(join(gate.binDir, 'unlink')));
    const again = reinstallIfStale(gate, SCRIPTS, 'normal', SHIPPED_SHIM);
    assert.ok(again, 'the lists differ');
    assert.deepEqual(again.missing.sort(), ['terraform', 'unlink']);
    assert.deepEqual(again.extra, ['zz-not-a-rule']);
    assertWhole(again.gate);
    assert.ok(readFileSync(join(dir, 'prefilter'), 'utf8').split('\n')[2].split(' ').includes('unlink'), 'the shells ask about unlink');
    assert.equal(reinstallIfStale(again.gate, SCRIPTS, 'normal', SHIPPED_SHIM), undefined, 'the lists agree now');
  });

  describe('on a first start, the PATH shims laid down after the gate works', () => {
    const LATER = { ...SHIPPED_SHIM, placeShimsLater: true };
    const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.bin-') || f.startsWith('.shim-') || f.startsWith('.probe-'));

    it('returns with the scripts in place and no bin/ yet; bin/ then appears whole, with the shim a blocking install chooses', async () => {
      const dir = join(root, 'gate');
      const gate = installShellGate(dir, SCRIPTS, 'normal', LATER);
      assert.ok(gate.shimsPlaced, 'bin/ is laid down later');
      assert.ok(!existsSync(gate.binDir), 'no bin/ before it is whole');
      for (const f of SOURCED) assert.deepEqual(readFileSync(join(dir, f)), readFileSync(join(SCRIPTS, f)), f);
      await gate.shimsPlaced;
      assertWhole(gate);
      const blocking = installShellGate(join(root, 'other'), SCRIPTS, 'normal', SHIPPED_SHIM);
      assert.equal(gate.shim, blocking.shim, gate.shimProblem);
      assert.deepEqual(leftovers(dir), []);
      // A start that finds bin/ checks it in place on the next turn, and writes nothing there.
      const before = stamps(dir);
      const again = installShellGate(dir, SCRIPTS, 'normal', LATER);
      await again.shimsPlaced;
      assert.deepEqual([...stamps(dir)].filter(([k, v]) => !k.startsWith('/current/') && k !== '/prefilter' && before.get(k) !== v), []);
    });

    it('mends a bin/ it finds changed, on the turn after it returns', async () => {
      const dir = join(root, 'gate');
      const first = installShellGate(dir, SCRIPTS, 'normal', SHIPPED_SHIM);
      rmSync(join(first.binDir, 'rm'));
      writeFileSync(join(first.binDir, 'git'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      rmSync(join(first.binDir, 'shred'));
      symlinkSync('/bin/rm', join(first.binDir, 'shred'), 'file');
      writeFileSync(join(first.binDir, 'not-a-rule'), '');
      const again = installShellGate(dir, SCRIPTS, 'normal', LATER);
      assert.ok(!existsSync(join(first.binDir, 'rm')), 'checked on the next turn, not before the terminals get the gate');
      await again.shimsPlaced;
      assertWhole(again);
    });

    it('removes its new folder whole when a link in it fails, and lays bin/ down in place instead', async () => {
      const dir = join(root, 'gate');
      // A name given twice: its second link fails while the others are still being made.
      const programs = [...guardedPrograms(), 'rm', 'git'];
      const gate = installShellGate(dir, SCRIPTS, 'normal', { ...LATER, programs });
      await gate.shimsPlaced;
      assert.deepEqual(leftovers(dir), []);
      assert.deepEqual(readdirSync(gate.binDir).sort(), [...new Set(shimmedPrograms(programs))].sort());
    });

    it("loses to another window's first start, or to anything planted under bin/ meanwhile, and leaves bin/ whole", async () => {
      const theirs = join(root, 'theirs');
      mkdirSync(theirs);
      const plants: [string, (bin: string) => void][] = [
        ['a blocking install (another window)', (bin) => installShellGate(join(bin, '..'), SCRIPTS, 'normal', SHIPPED_SHIM)],
        ['a link to their folder', (bin) => symlinkSync(theirs, bin)],
        ['a file', (bin) => writeFileSync(bin, 'x')],
        ['a folder with a file of theirs', (bin) => mkdirSync(join(bin, 'rm'), { recursive: true })],
      ];
      for (const [what, plant] of plants) {
        const dir = join(root, what.replace(/\W+/g, '-'));
        const gate = installShellGate(dir, SCRIPTS, 'normal', LATER);
        plant(gate.binDir);
        await gate.shimsPlaced;
        assert.ok(lstatSync(gate.binDir).isDirectory(), `${what}: bin/ is a real folder`);
        assertWhole(gate);
        assert.deepEqual(leftovers(dir), [], what);
      }
      assert.deepEqual(readdirSync(theirs), [], 'nothing was written into their folder');
    });

    it('checks bin/ after the rename: what a same-user process put in the new folder before it does not stay', async () => {
      const dir = join(root, 'gate');
      const gate = installShellGate(dir, SCRIPTS, 'normal', LATER);
      // The new folder is made on the next turn: plant in it as soon as it appears (a program of theirs, and a
      // program's link pointing elsewhere once the links are there).
      let planted = 0;
      const watcher = watch(dir, (_event, name) => {
        if (!name?.startsWith('.bin-') || planted) return;
        try {
          writeFileSync(join(dir, name, 'zz-theirs'), '#!/bin/sh\n', { mode: 0o755 });
          planted++;
        } catch {
          // Gone already (renamed): nothing planted.
        }
      });
      try {
        await gate.shimsPlaced;
      } finally {
        watcher.close();
      }
      assertWhole(gate);
      assert.deepEqual(leftovers(dir), []);
      if (!planted) console.warn('install test: the new bin folder was renamed before anything could be planted in it');
    });
  });

  it('has the shells ask about every program whose command is not a word on the line (cmake -E remove_directory, lua -e, tmux)', () => {
    const words = new Set(askWords());
    const missing = [...SESSION_RUNNERS, ...Object.keys(TERMINALS), ...Object.keys(FOREIGN_LANGUAGES)].filter((p) => !words.has(p));
    assert.deepEqual(missing, []);
  });
});
