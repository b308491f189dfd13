// Windows paths as commands write them: drive letters, backslashes, UNC shares, %VAR% and $env:VAR, any case.

import { win32 } from 'node:path';

/** Variables that stand for the whole machine, a system folder or a person's home. */
const WHOLE_VARS = new Set([
  'userprofile', 'home', 'systemroot', 'windir', 'systemdrive', 'programfiles', 'programfiles(x86)', 'programw6432',
  'programdata', 'allusersprofile', 'appdata', 'localappdata', 'public', 'homedrive', 'homedrive%%homepath',
  'commonprogramfiles', 'commonprogramfiles(x86)',
]);

/** Folders directly under a drive's root that hold the system, every program or every person's files. */
const SYSTEM_FOLDERS = new Set(['windows', 'program files', 'program files (x86)', 'programdata', 'users', 'documents and settings', 'recovery', 'boot', 'system volume information', '$recycle.bin']);
/** One level below these is still the system or a person's home: C:\Windows\System32, C:\Users\ana. */
const SYSTEM_PARENTS = new Set(['windows', 'users', 'documents and settings']);
/** Registry roots and their top keys: deleting them breaks the machine. */
const REGISTRY = /^(hklm|hkcu|hkcr|hku|hkcc|registry::hkey_[a-z_]+|hkey_[a-z_]+)(:?)(\\(software|system|sam|security|hardware|classes|control panel|environment)?)?$/;

/** `C:\Users\ana\*`, `C:/Users/ana/`, `"%USERPROFILE%\*.*"` → the folder named, lower case, with `\` separators. */
function normalise(p: string): string {
  let t = p.trim().replace(/^["']|["']$/g, '').replace(/\//g, '\\');
  // Long-path and device prefixes name the same place: \\?\C:\, \\.\C:\, \??\C:\.
  t = t.replace(/^\\\\[?.]\\(unc\\)?/i, (_m, unc) => (unc ? '\\\\' : '')).replace(/^\\\?\?\\/, '');
  // C:\Users\ana\..\.. is C:\.
  if (/^([a-z]:\\|\\\\)/i.test(t) && /(^|\\)\.\.?(\\|$)/.test(t)) t = win32.normalize(t);
  // Trailing separators and everything-in-it globs: C:\*, C:\*.*, ~\*.
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(/\\+\*(\.\*)?$/, '').replace(/\\+$/, '');
  }
  return t.toLowerCase();
}

/** A Windows path that is the whole machine, a drive, a system folder, a home folder or a registry root. */
export function isWindowsCatastrophicPath(p: string): boolean {
  const t = normalise(p);
  if (t === '') return /^\s*["']?[\\/]+\*?(\.\*)?["']?\s*$/.test(p); // `\` is the root of the current drive
  if (t === '*' || t === '*.*') return false;
  if (/^[a-z]:$/.test(t)) return true;
  if (t === '~' || t === '$home' || t === '${home}') return true;
  // %USERPROFILE%, $env:USERPROFILE, ${env:USERPROFILE}, %HOMEDRIVE%%HOMEPATH%
  const v = /^(?:%([^%]+(?:%%[^%]+)?)%|\$\{?env:([a-z0-9_()]+)\}?)$/.exec(t);
  if (v) return WHOLE_VARS.has((v[1] ?? v[2]).toLowerCase());
  // A folder under such a variable that is still everything: %SystemRoot%\System32, $env:USERPROFILE\..
  const under = /^(?:%([^%]+)%|\$\{?env:([a-z0-9_()]+)\}?|~|\$home)\\(.+)$/.exec(t);
  if (under && (under[3] === '..' || under[3] === '.')) return true;
  const uvar = under && (under[1] ?? under[2]);
  if (uvar && (uvar === 'systemroot' || uvar === 'windir') && !under[3].includes('\\') && under[3] !== 'temp') return true;
  if (REGISTRY.test(t)) return true;
  // \\server\share and \\server\c$: a whole share.
  if (/^\\\\[^\\]+(\\[^\\]+)?$/.test(t)) return true;
  const m = /^(?:[a-z]:|\\\\[^\\]+\\[^\\]+)\\([^\\]+)(?:\\([^\\]+))?$/.exec(t);
  if (!m) return false;
  if (m[2] === undefined) return SYSTEM_FOLDERS.has(m[1]);
  // C:\Windows\Temp is scratch space that is cleaned routinely.
  return SYSTEM_PARENTS.has(m[1]) && !(m[1] === 'windows' && m[2] === 'temp');
}

/** Whether a path is written the Windows way (a drive letter, a backslash, a UNC share, %VAR% or $env:VAR). */
export function looksWindows(p: string): boolean {
  return /^[A-Za-z]:([\\/]|$)|\\|^%[^%]+%|^\$\{?env:/i.test(p);
}
