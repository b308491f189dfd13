// Windows: what has no POSIX twin — shadow copies (the restore points ransomware deletes first), the registry, WSL
// distributions, diskpart and the Recycle Bin. Windows commands that do have a twin (Remove-Item, rd /s, format,
// cipher /w, Remove-Az…) are mapped onto the POSIX rules by the readers (src/core/parse/cmdlets.ts, windows.ts).

import type { Invocation } from '../parse/invocation';
import { defineRule, joinResources } from './rule';

/** The value of a PowerShell parameter as the reader passes it: `-Name x`, `-Name:x`, or a unique prefix (`-Na x`). */
function psParam(inv: Invocation, ...names: string[]): string | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  for (let i = 0; i < inv.args.length; i++) {
    const m = /^-([A-Za-z]+)(?::(.*))?$/.exec(inv.args[i]);
    if (!m) continue;
    const w = m[1].toLowerCase();
    if (!wanted.some((n) => n === w || (w.length >= 2 && n.startsWith(w)))) continue;
    if (m[2] !== undefined) return m[2];
    const next = inv.args[i + 1];
    if (next !== undefined && !/^-[A-Za-z]/.test(next)) return next;
  }
  return undefined;
}

/** Arguments that are not `-Param` names nor their values' switches, in order (PowerShell positionals, roughly). */
function psPositionals(inv: Invocation, valued: readonly string[]): string[] {
  const out: string[] = [];
  const lower = valued.map((v) => v.toLowerCase());
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i];
    const m = /^-([A-Za-z]+)(:.*)?$/.exec(a);
    if (m) {
      const w = m[1].toLowerCase();
      if (!m[2] && lower.some((n) => n === w || (w.length >= 2 && n.startsWith(w)))) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

const SHADOW_CLASS = /^win32_shadowcopy$/i;

export const deleteShadowCopies = defineRule({
  id: 'windows.shadow-copy-delete',
  severity: 'destructive',
  summary: "Deletes Windows' shadow copies (the restore points and previous versions of files), with no way back",
  programs: ['vssadmin', 'wmic', 'Remove-CimInstance', 'Remove-WmiObject'],
  match(inv) {
    const words = inv.args.map((a) => a.toLowerCase());
    if (inv.program === 'vssadmin') {
      // Shrinking the shadow storage deletes the copies that no longer fit.
      if (words[0] === 'delete' && words[1] === 'shadows') return { resource: volumeOf(inv.args) ?? 'shadow copies' };
      if (words[0] === 'resize' && words[1] === 'shadowstorage') return { resource: volumeOf(inv.args) ?? 'shadow copies' };
      return null;
    }
    if (inv.program === 'wmic') {
      if (!words.includes('shadowcopy') || !words.includes('delete')) return null;
      return { resource: 'shadow copies' };
    }
    // Get-CimInstance Win32_ShadowCopy | Remove-CimInstance; Remove-WmiObject -Class Win32_ShadowCopy.
    const own = psParam(inv, 'ClassName', 'Class') ?? psPositionals(inv, ['ClassName', 'Class', 'Namespace', 'ComputerName', 'Filter', 'Query', 'CimSession']).find((a) => SHADOW_CLASS.test(a));
    const fed = inv.pipeFrom;
    const fedShadows = !!fed && /^get-(cim|wmi)(instance|object)$/i.test(fed.program) && fed.args.some((a) => SHADOW_CLASS.test(a) || /win32_shadowcopy/i.test(a));
    if ((own && SHADOW_CLASS.test(own)) || fedShadows || inv.args.some((a) => /win32_shadowcopy/i.test(a))) return { resource: 'shadow copies' };
    return null;
  },
  examples: {
    gated: [
      ['vssadmin delete shadows /all /quiet', 'shadow copies'],
      ['vssadmin delete shadows /for=C: /oldest', 'C:'],
      ['vssadmin resize shadowstorage /for=C: /on=C: /maxsize=401MB', 'C:'],
      ['wmic shadowcopy delete', 'shadow copies'],
      ['wmic shadowcopy where "ID=\'{1}\'" delete', 'shadow copies'],
      ['Remove-WmiObject -Class Win32_ShadowCopy', 'shadow copies'],
    ],
    allowed: ['vssadmin list shadows', 'vssadmin list shadowstorage', 'wmic shadowcopy list brief', 'wmic logicaldisk get name', 'Remove-CimInstance -InputObject $session'],
  },
});

function volumeOf(args: readonly string[]): string | undefined {
  const m = args.map((a) => /^\/for=(.+)$/i.exec(a)).find(Boolean);
  return m ? m[1] : undefined;
}

/** Registry paths: `HKLM\…`, `HKEY_CURRENT_USER\…`, `HKLM:\…`, `Registry::HKEY_…`, `Microsoft.PowerShell.Core\Registry::…`. */
const REGISTRY_PATH = /^(?:(?:Microsoft\.PowerShell\.Core\\)?Registry::)?(HKLM|HKCU|HKCR|HKU|HKCC|HKEY_[A-Z_]+)(:|\\|$)/i;

export const deleteRegistryKey = defineRule({
  id: 'windows.registry-delete',
  severity: 'destructive',
  summary: 'Deletes registry keys or values: settings Windows and programs need, with no copy kept',
  programs: ['reg', 'Remove-ItemProperty', 'Clear-ItemProperty', 'rm'],
  match(inv) {
    if (inv.program === 'reg') {
      if (inv.args[0]?.toLowerCase() !== 'delete') return null;
      const key = inv.args[1];
      if (!key || key === '/?') return null;
      const value = inv.args.findIndex((a) => /^\/v$/i.test(a));
      return { resource: value >= 0 && inv.args[value + 1] ? `${key}\\${inv.args[value + 1]}` : key };
    }
    if (inv.program === 'rm') {
      // Remove-Item on a registry drive (the reader made it rm); files stay fs.*'s.
      const keys = inv.args.filter((a) => !a.startsWith('-') && REGISTRY_PATH.test(a));
      return keys.length ? { resource: joinResources(keys) } : null;
    }
    const path = psParam(inv, 'Path', 'LiteralPath', 'PSPath', 'LP') ?? psPositionals(inv, ['Path', 'LiteralPath', 'Name', 'Filter', 'Include', 'Exclude', 'Credential'])[0];
    if (!path) return { resource: inv.program };
    const name = psParam(inv, 'Name') ?? psPositionals(inv, ['Path', 'LiteralPath', 'Name', 'Filter', 'Include', 'Exclude', 'Credential'])[1];
    return { resource: name ? `${path}\\${name}` : path };
  },
  examples: {
    gated: [
      ["reg delete 'HKLM\\Software\\Contoso' /f", 'HKLM\\Software\\Contoso'],
      ["reg delete 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' /v Updater /f", 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater'],
      ["Remove-ItemProperty -Path 'HKLM:\\Software\\Contoso' -Name Setting", 'HKLM:\\Software\\Contoso\\Setting'],
      ["Remove-ItemProperty 'HKCU:\\Software\\Contoso' Setting", 'HKCU:\\Software\\Contoso\\Setting'],
      ["rm -- 'HKCU:\\Software\\Contoso'", 'HKCU:\\Software\\Contoso'],
    ],
    allowed: ["reg query 'HKLM\\Software\\Contoso'", "reg add 'HKCU\\Software\\Contoso' /v Setting /d 1 /f", "reg export 'HKCU\\Software\\Contoso' backup.reg", 'reg delete /?', 'rm -- notes.txt'],
  },
});

export const unregisterWsl = defineRule({
  id: 'windows.wsl-unregister',
  severity: 'destructive',
  summary: "Unregisters a WSL distribution: its whole Linux file system (home folders, databases, repositories) is deleted",
  programs: ['wsl', 'wslconfig'],
  match(inv) {
    const i = inv.args.findIndex((a) => /^(--unregister|\/unregister|\/u)$/i.test(a));
    if (i < 0) return null;
    return { resource: inv.args[i + 1] ?? 'WSL distribution' };
  },
  examples: {
    gated: [
      ['wsl --unregister Ubuntu', 'Ubuntu'],
      ['wsl.exe --unregister Ubuntu-22.04', 'Ubuntu-22.04'],
      ['wslconfig /unregister Debian', 'Debian'],
    ],
    allowed: ['wsl --list --verbose', 'wsl -d Ubuntu -- ls', 'wsl --shutdown', 'wsl --export Ubuntu ubuntu.tar'],
  },
});

export const diskpart = defineRule({
  id: 'windows.diskpart',
  severity: 'destructive',
  summary: 'Runs diskpart, which cleans, deletes and formats disks and partitions with no way back',
  programs: ['diskpart'],
  match(inv) {
    if (inv.args.some((a) => a === '/?')) return null;
    const s = inv.args.findIndex((a) => /^[/-]s$/i.test(a));
    // A script (`/s wipe.txt`) or commands on its standard input: either can clean a disk.
    return { resource: s >= 0 && inv.args[s + 1] ? inv.args[s + 1] : 'diskpart' };
  },
  examples: {
    gated: [
      ['diskpart /s wipe.txt', 'wipe.txt'],
      ['diskpart', 'diskpart'],
      ['echo "select disk 1\nclean" | diskpart', 'diskpart'],
    ],
    allowed: ['diskpart /?'],
  },
});

export const emptyRecycleBin = defineRule({
  id: 'windows.empty-recycle-bin',
  severity: 'destructive',
  summary: 'Empties the Recycle Bin: the deleted files it still held are gone for good',
  programs: ['Clear-RecycleBin'],
  match(inv) {
    if (inv.args.some((a) => /^-whatif(:\$true)?$/i.test(a))) return null;
    const drive = psParam(inv, 'DriveLetter') ?? psPositionals(inv, ['DriveLetter'])[0];
    return { resource: drive ? `Recycle Bin ${drive.replace(/:?$/, ':')}` : 'Recycle Bin' };
  },
  examples: {
    gated: [
      ['Clear-RecycleBin -Force', 'Recycle Bin'],
      ['Clear-RecycleBin -DriveLetter C -Force', 'Recycle Bin C:'],
    ],
    allowed: ['Clear-RecycleBin -WhatIf'],
  },
});
export * from './windowsSystem';
