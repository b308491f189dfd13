// PowerShell and batch script files a line runs are read and judged in their own language, where the line runs;
// a folder given the Windows way resolves as one, and a folder the guard cannot read holds the script with a reason.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { Site, windowsFolder } from '../../src/core/site';

describe('Windows script files read with the line', () => {
  const prod = new Engine({ tier: 'production' });
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-winscripts-'));
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'tools'));
    writeFileSync(join(dir, 'clean.ps1'), 'Write-Host tidy\nRemove-Item -Recurse -Force data\n');
    writeFileSync(join(dir, 'build.ps1'), 'param($Configuration)\ndotnet build -c $Configuration\n');
    writeFileSync(join(dir, 'tools', 'wipe.cmd'), '@echo off\r\nrd /s /q ..\\data\r\n');
    writeFileSync(join(dir, 'setup.bat'), '@echo off\r\nnpm ci\r\n');
    writeFileSync(join(dir, 'Helpers.psm1'), 'function Get-Thing { Get-ChildItem }\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const judge = (cmd: string, shell: 'powershell' | 'cmd', cwd: string = dir) => prod.classify(cmd, shell, { cwd });

  it('holds a script whose lines destroy data, in PowerShell and cmd spellings', () => {
    for (const [cmd, shell] of [['& .\\clean.ps1', 'powershell'], ['. ./clean.ps1', 'powershell'], ['pwsh -NoProfile -File .\\clean.ps1', 'powershell'], ['& .\\tools\\wipe.cmd', 'powershell'], ['call tools\\wipe.cmd', 'cmd'], ['cmd /c tools\\wipe.cmd', 'cmd']] as const) {
      const d = judge(cmd, shell);
      assert.notEqual(d.decision, 'allow', `${cmd} was allowed`);
      assert.ok(d.rules.includes('fs.recursive-delete'), `${cmd}: ${d.rules}`);
    }
  });

  it('allows scripts whose lines are harmless, and what it cannot find (it will not run)', () => {
    for (const [cmd, shell] of [['& .\\build.ps1 -Configuration Release', 'powershell'], ['Import-Module .\\Helpers.psm1', 'powershell'], ['setup', 'cmd'], ['call setup.bat', 'cmd'], ['& .\\missing.ps1', 'powershell']] as const) {
      assert.equal(judge(cmd, shell).decision, 'allow', cmd);
    }
  });

  it('a folder given as C:\\… resolves as a Windows folder (nothing there on this system: nothing read)', () => {
    assert.equal(windowsFolder('C:\\Users\\me\\shop'), '/C:/Users/me/shop');
    assert.equal(windowsFolder('/home/me'), undefined);
    const site = new Site({ cwd: '/C:/Users/me/shop' });
    assert.equal(site.resolve('.\\x.ps1'.replace(/\\/g, '/')), '/C:/Users/me/shop/x.ps1');
    assert.equal(site.resolve('D:\\tools\\x.ps1'), '/D:/tools/x.ps1');
    assert.equal(judge('& .\\build.ps1', 'powershell', 'C:\\Users\\me\\shop').decision, 'allow');
  });

  it('holds a script run from a folder the guard cannot read, and says why', () => {
    const d = judge('& .\\clean.ps1', 'powershell', 'shop');
    assert.equal(d.decision, 'confirm');
    assert.match(d.reason, /runs the script .\\clean\.ps1, which is in shop, a folder the guard does not read/);
  });
});
