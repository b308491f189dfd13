// Windows system state with no POSIX twin: accounts, services, backups, permissions and the antivirus. Each is a
// thing a person names (the account, the service, the folder), and none comes back by itself once gone.

import type { Invocation } from '../parse/invocation';
import { defineRule } from './rule';
import { own } from '../own';

/** A PowerShell parameter's value (`-Name x`, `-Name:x`, a unique prefix), or the first positional when none. */
function psValue(inv: Invocation, names: readonly string[], switches: readonly string[] = []): string | undefined {
  const lower = names.map((n) => n.toLowerCase());
  const sw = switches.map((n) => n.toLowerCase());
  let positional: string | undefined;
  for (let i = 0; i < inv.args.length; i++) {
    const m = /^-([A-Za-z]+)(?::(.*))?$/.exec(inv.args[i]);
    if (!m) {
      positional ??= inv.args[i];
      continue;
    }
    const w = m[1].toLowerCase();
    const named = lower.some((n) => n === w || (w.length >= 2 && n.startsWith(w)));
    if (named) return m[2] ?? inv.args[i + 1];
    if (m[2] === undefined && !sw.some((n) => n.startsWith(w)) && inv.args[i + 1] !== undefined && !inv.args[i + 1].startsWith('-')) i++;
  }
  return positional;
}

/** Cmdlets that delete an account, a group or a directory object, and the parameter naming it. */
const ACCOUNT_CMDLETS: Record<string, string[]> = {
  'Remove-LocalUser': ['Name', 'SID', 'InputObject'],
  'Remove-LocalGroup': ['Name', 'SID', 'InputObject'],
  'Remove-ADUser': ['Identity'],
  'Remove-ADGroup': ['Identity'],
  'Remove-ADComputer': ['Identity'],
  'Remove-ADObject': ['Identity'],
  'Remove-ADOrganizationalUnit': ['Identity'],
  'Remove-ADServiceAccount': ['Identity'],
};
const CMDLET_SWITCHES = ['Recursive', 'Confirm', 'WhatIf', 'IncludeDeletedObjects', 'Partition', 'Server', 'Credential', 'AuthType'];

export const deleteAccount = defineRule({
  id: 'windows.account-delete',
  severity: 'destructive',
  summary: 'Deletes a Windows or Active Directory account, group or object: its identity, rights and group memberships are gone',
  programs: ['net', 'net1', ...Object.keys(ACCOUNT_CMDLETS)],
  match(inv) {
    if (inv.program === 'net' || inv.program === 'net1') {
      const words = inv.args.map((a) => a.toLowerCase());
      if (!['user', 'localgroup', 'group'].includes(words[0] ?? '') || !words.some((w) => w === '/delete' || w === '/del' || w === '/d')) return null;
      const name = inv.args.slice(1).find((a) => !a.startsWith('/'));
      return name ? { resource: name } : null;
    }
    if (inv.args.some((a) => /^-whatif(:\$true)?$/i.test(a))) return null;
    const name = psValue(inv, own(ACCOUNT_CMDLETS, inv.program) ?? ['Identity'], CMDLET_SWITCHES);
    return { resource: name ?? inv.program };
  },
  examples: {
    gated: [
      ['net user bob /delete', 'bob'],
      ['net localgroup developers /delete', 'developers'],
      ['net user deploy /DELETE /domain', 'deploy'],
      ['Remove-ADUser bob -Confirm:$false', 'bob'],
      ['Remove-LocalUser -Name svc-backup', 'svc-backup'],
      ["Remove-ADObject -Identity 'CN=ops,DC=corp,DC=example' -Recursive", 'CN=ops,DC=corp,DC=example'],
    ],
    allowed: ['net user', 'net user bob', 'net user bob P@ss /add', 'net localgroup administrators', 'net use Z: \\\\server\\share', 'Remove-ADUser bob -WhatIf', 'Get-ADUser bob'],
  },
});

export const deleteService = defineRule({
  id: 'windows.service-delete',
  severity: 'destructive',
  summary: 'Deletes a Windows service: the program stops being started and its configuration is gone',
  programs: ['sc', 'Remove-Service'],
  match(inv) {
    if (inv.program === 'sc') {
      // `sc [\\server] delete name`
      const words = inv.args.filter((a) => !a.startsWith('\\\\'));
      if (words[0]?.toLowerCase() !== 'delete' || !words[1]) return null;
      return { resource: words[1] };
    }
    if (inv.args.some((a) => /^-whatif(:\$true)?$/i.test(a))) return null;
    return { resource: psValue(inv, ['Name', 'InputObject'], ['Confirm', 'WhatIf']) ?? 'service' };
  },
  examples: {
    gated: [
      ['sc delete postgres', 'postgres'],
      ['sc.exe delete MSSQLSERVER', 'MSSQLSERVER'],
      
      ['Remove-Service -Name nginx', 'nginx'],
    ],
    allowed: ['sc query postgres', 'sc start postgres', 'sc qc postgres', 'Remove-Service nginx -WhatIf'],
  },
});

export const deleteBackups = defineRule({
  id: 'windows.backup-delete',
  severity: 'destructive',
  summary: 'Deletes Windows Server Backup backups or their catalog: what a restore would need is gone',
  programs: ['wbadmin'],
  match(inv) {
    const words = inv.args.map((a) => a.toLowerCase());
    if (words[0] !== 'delete') return null;
    const what = words[1];
    if (what === 'catalog') return { resource: 'backup catalog' };
    if (what === 'backup' || what === 'systemstatebackup') return { resource: what === 'backup' ? 'backups' : 'system state backups' };
    return null;
  },
  examples: {
    gated: [
      ['wbadmin delete catalog -quiet', 'backup catalog'],
      ['wbadmin delete systemstatebackup -keepversions:0', 'system state backups'],
      ['wbadmin delete backup -deleteOldest', 'backups'],
    ],
    allowed: ['wbadmin get versions', 'wbadmin start backup -backupTarget:E: -include:C:', 'wbadmin get items -version:01/01/2025-09:00'],
  },
});

export const lockOutPermissions = defineRule({
  id: 'windows.permission-lockout',
  severity: 'destructive',
  summary: 'Denies access to files or replaces their permissions (icacls /deny, /reset, /inheritance:r, /remove): people and programs lose access',
  programs: ['icacls'],
  match(inv) {
    const flags = inv.args.map((a) => a.toLowerCase());
    const locks = flags.some((f) => f === '/deny' || f === '/inheritance:r' || f === '/remove' || f.startsWith('/remove:') || f === '/setintegritylevel') || (flags.includes('/reset') && flags.includes('/t'));
    if (!locks) return null;
    const path = inv.args.find((a) => !a.startsWith('/'));
    return path ? { resource: path } : null;
  },
  examples: {
    gated: [
      ['icacls data /deny Everyone:F /t', 'data'],
      ['icacls srv/app /reset /t /q', 'srv/app'],
      ['icacls shared /inheritance:r', 'shared'],
      ['icacls reports /remove:g Users /t', 'reports'],
    ],
    allowed: ['icacls data', 'icacls data /grant ana:(OI)(CI)M', 'icacls data /save perms.txt /t', 'icacls file.txt /reset'],
  },
});

/** Set-MpPreference switches that turn a Defender protection off. */
const DEFENDER_OFF = /^-(disable\w+|mapsreporting|submitsamplesconsent|puaprotection|enablecontrolledfolderaccess|enablenetworkprotection)(:.*)?$/i;

export const defenderOff = defineRule({
  id: 'windows.defender-off',
  severity: 'destructive',
  summary: 'Switches Microsoft Defender protection off or exempts files from it: nothing then stops what runs next',
  programs: ['Set-MpPreference', 'Add-MpPreference'],
  match(inv) {
    const args = inv.args;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (inv.program === 'Add-MpPreference' && /^-exclusion(path|process|extension|ipaddress)/i.test(a)) return { resource: 'Microsoft Defender' };
      const m = DEFENDER_OFF.exec(a);
      if (!m) continue;
      const value = (m[2] !== undefined ? m[2].slice(1) : args[i + 1] ?? '$true').toLowerCase();
      const off = m[1].toLowerCase().startsWith('disable') ? !/^(\$false|0|false)$/.test(value) : /^(\$false|0|false|disabled|auditmode|2)$/.test(value) || value === '0';
      if (off) return { resource: 'Microsoft Defender' };
    }
    return null;
  },
  examples: {
    gated: [
      ['Set-MpPreference -DisableRealtimeMonitoring $true', 'Microsoft Defender'],
      ['Set-MpPreference -DisableIOAVProtection:$true', 'Microsoft Defender'],
      ['Add-MpPreference -ExclusionPath C:\\', 'Microsoft Defender'],
      ['Set-MpPreference -EnableControlledFolderAccess Disabled', 'Microsoft Defender'],
    ],
    allowed: ['Set-MpPreference -DisableRealtimeMonitoring $false', 'Get-MpPreference', 'Set-MpPreference -ScanScheduleDay 1', 'Update-MpSignature'],
  },
});
