// What the PowerShell and cmd readers share: building invocations the rules already know (the POSIX twin of a
// Windows command: `Remove-Item -Recurse X` is judged as `rm -r X`), Windows command-line splitting, and the shells
// a command can start (`pwsh -Command`, `powershell -EncodedCommand`, `cmd /c`, `wsl`).

import { argCache } from './args';
import type { ShellKind } from './dialect';
import type { Invocation, Origin } from './invocation';
import type { Redirect, Word } from './shell';

/** What a reader needs from the expander that drives it. */
export interface ReaderHost {
  /** Reads a script in the given shell's language, one level deeper. */
  read(src: string, kind: ShellKind, depth: number, origin: Origin, parent?: Invocation): void;
  /** A command that runs: seen through wrappers, its own nested scripts read. */
  run(inv: Invocation): void;
  error(e: string): void;
  /** Runs a script file (`pwsh -File x.ps1`): read and judged in its language when the line's folder is known. */
  runFile(inv: Invocation, word: string, kind: ShellKind): void;
}

export function literal(text: string, dynamic = false): Word {
  return { text, raw: text, dynamic, quoted: false };
}

/** A program name as Windows finds it: no folder, no .exe/.cmd/.bat/.com, any case. */
export function windowsProgram(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return (i >= 0 ? path.slice(i + 1) : path).toLowerCase().replace(/\.(exe|cmd|bat|com)$/, '');
}

export interface InvocationParts {
  program: string;
  path?: string;
  words: Word[];
  redirects?: Redirect[];
  env?: Record<string, string>;
  text: string;
  depth: number;
  origin: Origin;
  parent?: Invocation;
  dynamicProgram?: boolean;
  argsFromStdin?: boolean;
  dialect: 'powershell' | 'cmd';
  readOnly?: boolean;
  stdin?: string;
}

export function makeInvocation(p: InvocationParts): Invocation {
  const args = p.words.map((w) => w.text);
  return {
    program: p.program,
    path: p.path ?? p.program,
    args,
    argWords: p.words,
    env: p.env ?? {},
    redirects: p.redirects ?? [],
    ...(p.stdin !== undefined ? { stdin: p.stdin } : {}),
    text: p.text,
    via: [],
    origin: p.origin,
    parent: p.parent,
    dynamicProgram: !!p.dynamicProgram,
    argsFromStdin: !!p.argsFromStdin,
    depth: p.depth,
    parsed: argCache(args),
    dialect: p.dialect,
    ...(p.readOnly !== undefined ? { readOnly: p.readOnly } : {}),
  };
}

/**
 * A Windows command line split the way programs built with the Microsoft C runtime split it: blanks separate,
 * double quotes group, `\"` is a quote, `""` inside quotes is a quote.
 */
export function splitWindowsArgs(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) cur += '"';
        else quoted = !quoted;
        i += n;
      } else {
        cur += '\\'.repeat(n);
        i += n - 1;
      }
      inWord = true;
    } else if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
      inWord = true;
    } else if ((c === ' ' || c === '\t' || c === '\n' || c === '\r') && !quoted) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** Arguments joined back into one command line, quoted where a blank would split them (as Windows passes them on). */
export function joinNative(args: readonly string[]): string {
  return args.map((a) => (a === '' || /\s/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ');
}

const POWERSHELLS = new Set(['pwsh', 'powershell', 'pwsh-preview', 'powershell_ise']);
/** pwsh options that take a value (their prefixes too: `-ex`, `-ExecutionPolicy`). */
const PWSH_VALUE_OPTIONS = ['executionpolicy', 'windowstyle', 'workingdirectory', 'inputformat', 'outputformat', 'configurationname', 'custompipename', 'settingsfile', 'version', 'psconsolefile', 'configurationfile', 'encodedarguments'];
const PWSH_SWITCHES = ['noprofile', 'noninteractive', 'nologo', 'noexit', 'sta', 'mta', 'login', 'interactive', 'noprofileloadtime', 'help'];

/** Whether a program starts another shell whose script the readers see into. */
export function isWindowsShell(program: string): boolean {
  const p = program.toLowerCase().replace(/\.exe$/, '');
  return POWERSHELLS.has(p) || p === 'cmd' || p === 'wsl' || p === 'forfiles' || p === 'schtasks';
}

/** The script a `pwsh`, `powershell`, `cmd` or `wsl` invocation carries, read in its own language. */
export function readShellArgs(inv: Invocation, host: ReaderHost): void {
  const p = inv.program.toLowerCase().replace(/\.exe$/, '');
  const depth = inv.depth + 1;
  const args = inv.args;
  if (POWERSHELLS.has(p)) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const m = /^[-/\u2013\u2014]{1,2}([A-Za-z?]+)(?::(.*))?$/s.exec(a);
      if (!m) {
        // Windows PowerShell runs the rest as a command; pwsh runs a script file.
        if (/\.ps1$/i.test(a)) return host.runFile(inv, a, 'powershell');
        host.read(joinNative(args.slice(i)), 'powershell', depth, 'shell-c', inv);
        return;
      }
      const name = m[1].toLowerCase();
      const value = m[2] ?? args[i + 1];
      const isCommand = name === 'c' || (name.length >= 2 && 'command'.startsWith(name));
      const isEncoded = name === 'e' || name === 'ec' || (name.length >= 2 && 'encodedcommand'.startsWith(name));
      // A script only known at run time (`pwsh -c $script`) runs unseen: judged as eval of unknown text.
      const hidden = (isCommand || isEncoded) && inv.argWords.slice(m[2] !== undefined ? i : i + 1).some((w) => w.dynamic);
      if (hidden) {
        host.run(dynamicEval(inv, inv.argWords.slice(i).filter((w) => w.dynamic)));
        return;
      }
      if (isCommand) {
        const rest = m[2] !== undefined ? [m[2], ...args.slice(i + 1)] : args.slice(i + 1);
        if (rest.length === 0 || (rest.length === 1 && rest[0] === '-')) {
          const fed = inv.stdin;
          if (fed !== undefined) host.read(fed, 'powershell', depth, 'heredoc', inv);
          return;
        }
        host.read(rest.length === 1 ? rest[0] : joinNative(rest), 'powershell', depth, 'shell-c', inv);
        return;
      }
      if (isEncoded) {
        if (value === undefined) return;
        const script = decodeUtf16Base64(value);
        if (script === null) host.error('an -EncodedCommand that is not base64 UTF-16LE text');
        else host.read(script, 'powershell', depth, 'eval', inv);
        return;
      }
      if (name === 'f' || (name.length >= 2 && 'file'.startsWith(name) && name !== 'fi')) {
        if (value !== undefined && value !== '-') host.runFile(inv, value, /\.(bat|cmd)$/i.test(value) ? 'cmd' : 'powershell');
        else if (value === '-' && inv.stdin !== undefined) host.read(inv.stdin, 'powershell', depth, 'heredoc', inv);
        return;
      }
      if (name === 'ex' || name === 'ep' || PWSH_VALUE_OPTIONS.some((o) => name.length >= 2 && o.startsWith(name))) {
        if (m[2] === undefined) i++;
        continue;
      }
      if (PWSH_SWITCHES.some((o) => o.startsWith(name)) || name === '?') continue;
      // An option no PowerShell knows: the rest may still be a command.
    }
    return;
  }
  if (p === 'cmd') {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      // `/c`, `/k`, `/r`; Git Bash writes `//c`. Flags may come first (`/d /s /q /v:on`), `/c` may touch its text.
      const m = /^\/{1,2}([ckr])(.*)$/is.exec(a);
      if (m) {
        const rest = [m[2], ...args.slice(i + 1)].filter((x, j) => j > 0 || x !== '');
        const script = rest.length === 1 ? rest[0] : joinNative(rest);
        if (script.trim()) host.read(script, 'cmd', depth, 'shell-c', inv);
        return;
      }
      if (!a.startsWith('/')) return;
    }
    const fed = inv.stdin;
    if (fed !== undefined) host.read(fed, 'cmd', depth, 'heredoc', inv);
    return;
  }
  if (p === 'forfiles') {
    // forfiles /p DIR /s /m MASK /c "cmd /c del @path": the command runs once per file under DIR.
    const a = args.map((x) => x.toLowerCase());
    const at = (flag: string) => {
      const k = a.findIndex((x) => x === `/${flag}` || x === `-${flag}`);
      return k >= 0 ? args[k + 1] : undefined;
    };
    const root = at('p') ?? '.';
    const command = at('c') ?? 'cmd /c echo @file';
    const script = command.replace(/0x22/gi, '"').replace(/@(path|file|fname|relpath)\b/gi, root);
    host.read(script, 'cmd', depth, 'eval', inv);
    return;
  }
  if (p === 'schtasks') {
    // What a scheduled task will run is judged now, as for an alias or a trap.
    const k = args.findIndex((x) => /^[-/]tr$/i.test(x));
    if (args.some((x) => /^[-/]create$/i.test(x)) && k >= 0 && args[k + 1] !== undefined) host.read(args[k + 1], 'cmd', depth, 'eval', inv);
    return;
  }
  if (p === 'wsl') {
    const values = new Set(['-d', '--distribution', '-u', '--user', '--cd', '--shell-type', '--distribution-id']);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--' || a === '-e' || a === '--exec') {
        if (i + 1 < args.length) host.read(joinNative(args.slice(i + 1)), 'bash', depth, 'shell-c', inv);
        return;
      }
      if (values.has(a)) {
        i++;
        continue;
      }
      if (a.startsWith('-')) {
        // Management options (--list, --shutdown, --install…) run no command.
        if (!['--system', '--exec'].includes(a)) return;
        continue;
      }
      host.read(joinNative(args.slice(i)), 'bash', depth, 'shell-c', inv);
      return;
    }
  }
}

/** A script only known at run time, as the invocation the exec rules judge (`eval` of unknown text). */
export function dynamicEval(inv: Invocation, words: Word[]): Invocation {
  return makeInvocation({ program: 'eval', path: inv.path, words: words.length ? words : [literal('(script)', true)], text: inv.text, depth: inv.depth + 1, origin: 'eval', parent: inv, dialect: inv.dialect ?? 'powershell' });
}

/** `-EncodedCommand`'s text: base64 of UTF-16LE. Null when it is not. */
export function decodeUtf16Base64(value: string): string | null {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.length % 4 === 1) return null;
  const bytes = Buffer.from(v, 'base64');
  if (bytes.length % 2 !== 0) return null;
  return bytes.toString('utf16le');
}

/**
 * Native Windows programs whose flags say what the POSIX twin is: robocopy /MIR deletes like rsync --delete,
 * format like mkfs, shutdown /s like shutdown. Others keep their name and arguments.
 */
export function nativeTwin(program: string, words: Word[]): { program: string; words: Word[] } {
  const flags = new Set(words.map((w) => w.text.toLowerCase()));
  if (program === 'robocopy') {
    const pos = words.filter((w) => !w.text.startsWith('/'));
    if (flags.has('/mir') || flags.has('/purge')) return { program: 'rsync', words: [literal('--delete'), ...pos.slice(0, 2)] };
    return { program: 'robocopy', words };
  }
  if (program === 'format' && !flags.has('/?')) {
    const volume = words.find((w) => !w.text.startsWith('/'));
    return volume ? { program: 'mkfs', words: [volume] } : { program, words };
  }
  // Denying access or replacing permissions is windows.permission-lockout's, read as icacls itself.
  if (program === 'icacls' && [...flags].some((f) => f === '/deny' || f === '/reset' || f === '/inheritance:r' || f.startsWith('/remove'))) return { program, words };
  if (program === 'icacls' || program === 'takeown') {
    // Recursive ownership or permission changes (/t, /r): judged as chmod -R / chown -R over the same path.
    const recursive = program === 'icacls' ? flags.has('/t') : flags.has('/r');
    const path = program === 'icacls' ? words.find((w) => !w.text.startsWith('/')) : words[words.findIndex((w) => w.text.toLowerCase() === '/f') + 1];
    if (recursive && path) return { program: program === 'icacls' ? 'chmod' : 'chown', words: [literal('-R'), literal(program === 'icacls' ? 'a+rwx' : 'owner'), path] };
    return { program, words };
  }
  if (program === 'cipher') {
    // cipher /w:C:\dir overwrites the free space there: whatever was deleted can no longer be recovered, as after shred.
    const wipe = words.map((w) => /^\/w:(.+)$/i.exec(w.text)).find(Boolean);
    return wipe ? { program: 'shred', words: [literal(wipe[1])] } : { program, words };
  }
  if (program === 'sdelete' || program === 'sdelete64') return { program: 'shred', words: words.filter((w) => !/^[-/]/.test(w.text)) };
  if (program === 'shutdown') {
    if (flags.has('/a') || flags.has('-a') || flags.has('/?')) return { program: 'shutdown', words: [literal('-c')] };
    if (['/s', '/r', '/p', '/h', '/g', '/sg', '-s', '-r', '-p'].some((f) => flags.has(f))) return { program: 'shutdown', words: [] };
    return { program: 'shutdown', words: [literal('-c')] };
  }
  return { program, words };
}
