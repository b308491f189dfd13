// guard.link-above and guard.path-prepend against real folders: links made and moved next to a gate's folder, and
// PATH folders this user can or cannot write.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';

describe('guard.link-above and guard.path-prepend on real folders', () => {
  let root: string;
  let tree: string;
  let engine: Engine;
  const rules = (cmd: string, cwd = tree) => engine.classify(cmd, 'bash', { cwd }).findings.map((f) => f.rule);
  const links = (cmd: string, cwd = tree) => rules(cmd, cwd).includes('guard.link-above');

  before(() => {
    // As the red team lays it out: the gate's folder beside the workspaces, three folders above each attempt's tree.
    root = realpathSync(mkdtempSync(join(tmpdir(), 'ag-links-')));
    tree = join(root, 'production', 'bash', 'attempt');
    mkdirSync(join(tree, 'data'), { recursive: true });
    mkdirSync(join(root, 'gate'), { recursive: true });
    writeFileSync(join(root, 'gate', 'shim'), '');
    engine = new Engine({ tier: 'production', guardPaths: [join(root, 'gate')] });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('holds the link of a bare-.. chain that reaches a folder above the gate, not the ones before it', () => {
    assert.equal(links('ln -s .. u'), false, 'u is the folder above the tree');
    symlinkSync('..', join(tree, 'u'));
    assert.equal(links('ln -s .. u/u'), false, 'u/u is two folders up');
    symlinkSync('..', join(tree, 'u', 'u'));
    assert.equal(links('ln -s .. u/u/u'), true, 'u/u/u is the folder that holds the gate');
    assert.equal(links('ln -sT -- .. u/u/w'), true);
    assert.equal(links('ln -s ../gate u/u/g'), true, 'a link to the gate folder itself');
    assert.equal(links('ln -s ../production u/u/p'), false, 'a sibling of the gate, not above it');
  });

  it('reads -r targets from the working folder and a link into an existing folder inside it', () => {
    assert.equal(links('ln -rs ../../.. up'), true);
    assert.equal(links('ln -rs ../.. up'), false);
    mkdirSync(join(tree, 'x'), { recursive: true });
    assert.equal(links('ln -s ../../../.. x'), true, 'made inside x, where ../../../.. is the folder above the gate');
    assert.equal(links('ln -s ../../../.. x/top'), true);
    assert.equal(links('ln -s ../../.. x/top'), false);
    // -n over a link to a folder replaces the link itself: its target is read from the link's folder, not the folder it names.
    symlinkSync('x', join(tree, 'lx'));
    assert.equal(links('ln -sfn ../../.. lx'), true, 'lx replaced: ../../.. from the tree is above the gate');
    assert.equal(links('ln -sf ../../.. lx'), false, 'without -n the link is made in x, from where ../../.. is not above the gate');
    assert.equal(links('ln -sfn .. lx'), false);
  });

  it('holds moving a relative link to where it climbs above the gate (mv, cp -a), not a move that keeps it below', () => {
    mkdirSync(join(tree, 'a', 'b', 'c'), { recursive: true });
    symlinkSync('../../..', join(tree, 'a', 'b', 'c', 'l'));
    assert.equal(links('ln -s ../../.. a/b/c/l2'), false, 'made there it leads to the tree itself');
    assert.equal(links('mv a/b/c/l l'), true, 'moved to the top it leads three folders above the tree');
    assert.equal(links('mv a/b/c/l .'), true, 'into the working folder');
    assert.equal(links('cp -a a/b/c/l l'), true, 'a copy that keeps links');
    assert.equal(links('mv a/b c2'), false, 'moved one folder up with its folder: still below the gate');
    assert.equal(links('mv a top'), false, 'renamed at the same depth: it leads where it did');
    mkdirSync(join(tree, 'f', 'g'), { recursive: true });
    symlinkSync('../../../..', join(tree, 'f', 'g', 'm'));
    assert.equal(links('mv f/g g2'), true, 'a folder moved one up: the link inside climbs above the gate with it');
    assert.equal(links('mv f f2'), false);
    assert.equal(links('cp a/b/c/l l'), false, 'a plain copy follows the link');
    assert.equal(links('mv data data2'), false);
  });

  it('asks about a PATH folder this user can write and allows one that holds no guarded program and is not writable', () => {
    assert.deepEqual(rules('PATH=$PWD/tools:$PATH'), ['guard.path-prepend']);
    assert.deepEqual(rules(`PATH=${join(root, 'gate')}:$PATH`), ['guard.path-prepend']);
    assert.deepEqual(rules('PATH=$PATH:$PWD/tools'), []);
    // A folder outside the workspace and temporary folders, with no guarded program, that this user cannot write.
    const ro = join('/var/lib', `ag-ro-${process.pid}`);
    let made = false;
    try {
      mkdirSync(ro);
      made = true;
      chmodSync(ro, 0o555);
      const root_ = typeof process.getuid === 'function' && process.getuid() === 0;
      // For root every folder is writable: such a folder is asked about; for others it runs.
      assert.deepEqual(rules(`PATH=${ro}:$PATH`), root_ ? ['guard.path-prepend'] : []);
    } catch (e) {
      if (made || (e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
      // /var/lib is not writable for this user: a folder that cannot be made there runs.
      assert.deepEqual(rules(`PATH=${ro}:$PATH`), []);
    } finally {
      if (made) rmSync(ro, { recursive: true, force: true });
    }
    assert.deepEqual(rules('PATH=/usr/bin:$PATH'), ['guard.path-prepend'], 'it holds rm, which scripts would run ahead of the shims');
    assert.deepEqual(new Engine({ tier: 'development', guardPaths: [join(root, 'gate')] }).classify('PATH=$PWD/tools:$PATH', 'bash', { cwd: tree }).decision, 'allow');
  });
});
