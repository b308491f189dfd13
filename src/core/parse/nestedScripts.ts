// Scripts an invocation carries, read with the line: bash -c, heredocs and input fed to a shell, scripts a shell or
// `source` runs, eval, ssh and remote-command options, watch, find -exec, su -c, psql's `\!`, and what an alias, a
// trap, a completion, a key binding or a prompt variable will run later.

import { argCache } from './args';
import { ASSIGNMENT, basename } from './commandWords';
import type { ShellKind } from './dialect';
import type { Site } from '../site';
import type { Invocation, Origin } from './invocation';
import { LauncherHost, readLauncher } from './launchers';
import { readRunVars } from './runVars';
import { readSsh } from './sshCommands';
import type { Word } from './shell';
import { isWindowsShell, ReaderHost, readShellArgs } from './windows';
import { own } from '../own';

/** What reading a carried script needs from the expander. */
export interface NestedScriptHost extends ReaderHost {
  readonly site?: Site;
  readonly launcherHost: LauncherHost;
  script(src: string, depth: number, origin: Origin, parent?: Invocation): void;
  /** The files inv runs inside the checked shell, judged as part of the line. */
  runFiles(inv: Invocation, how: 'source' | 'shell' | 'path' | 'make' | 'package', word?: string, kind?: ShellKind): void;
  /** `source`/`bash` of a word that is its own input (`<(…)`, `/dev/stdin`, `-`); true when it was one. */
  substitutedScript(inv: Invocation, word: Word, how: 'source' | 'shell'): boolean;
  /** The text inv reads on standard input, when the line shows it. */
  fed(inv: Invocation): string | undefined;
  /** A command that runs: seen through wrappers, then added and read. */
  unwrap(inv: Invocation): void;
}

/** CLIs that run a shell command on a remote machine, and the option that carries it. */
const REMOTE_SCRIPT_OPTIONS: Record<string, { sub: string; options: string[] }> = {
  gcloud: { sub: 'ssh', options: ['--command'] },
  fly: { sub: 'ssh', options: ['-C', '--command'] },
  flyctl: { sub: 'ssh', options: ['-C', '--command'] },
  doctl: { sub: 'ssh', options: ['--ssh-command'] },
  az: { sub: 'run-command', options: ['--scripts'] },
};

/** Variables whose value the shell runs (PROMPT_COMMAND) or expands (PS1's `$(…)`) before every prompt. */
const PROMPT_VARS = /^(PROMPT_COMMAND|PS0|PS1|PS2|PS4|RPROMPT|RPS1|PROMPT|precmd_functions|preexec_functions)$/;
/** The script file a PowerShell or cmd command runs, and its language; undefined when it runs none. */
function windowsScript(inv: Invocation, site: Site | undefined): { word: string; kind: ShellKind } | undefined {
  const path = inv.path.replace(/^(["'])(.*)\1$/s, '$2');
  if (inv.dialect === 'powershell' && /\.psm?1$/i.test(path)) return { word: path, kind: 'powershell' };
  if (/\.(bat|cmd)$/i.test(path)) return { word: path, kind: 'cmd' };
  if (inv.dialect === 'powershell' && inv.program === 'Import-Module') {
    const name = inv.args.find((a, i) => !a.startsWith('-') && !/^-(Name|Global|Force|Prefix|Scope|Function|Cmdlet|Variable|Alias|ArgumentList|MinimumVersion|MaximumVersion|RequiredVersion)$/i.test(inv.args[i - 1] ?? '')) ?? inv.parsed().value('-Name');
    if (name && /\.psm?1$/i.test(name)) return { word: name, kind: 'powershell' };
  }
  // cmd runs `clean` as clean.bat or clean.cmd from the current folder before it looks on PATH.
  if (inv.dialect === 'cmd' && site?.readsFiles && /^[\w.-]+$/.test(path) && !/\.\w{1,4}$/.test(path)) {
    for (const ext of ['.bat', '.cmd']) {
      const abs = site.resolve(path + ext);
      if (abs !== undefined && site.isFile(abs)) return { word: path + ext, kind: 'cmd' };
    }
  }
  return undefined;
}

const DECLARES = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox', 'rbash']);
const SHELL_VALUE_OPTIONS = ['-o', '+o', '-O', '+O', '--rcfile', '--init-file'];

/** Scripts an invocation carries: bash -c, heredocs fed to a shell, eval, ssh, watch, find -exec, su -c. */
export function readNestedScripts(inv: Invocation, host: NestedScriptHost): void {
  const p = inv.program;
  const depth = inv.depth + 1;
  if (inv.dialect && !inv.dynamicProgram) {
    const file = windowsScript(inv, host.site);
    if (file) return host.runFile(inv, file.word, file.kind);
  }
  if (isWindowsShell(p)) return readShellArgs(inv, host);
  const declared = DECLARES.has(p) ? inv.args.map((a) => ASSIGNMENT.exec(a)).filter((m): m is RegExpExecArray => !!m).map((m): [string, string] => [m[1], m[2]]) : [];
  readRunVars(inv, host.launcherHost, declared);
  // A program run by its path: a shell script is read; a compiled program is judged by what it is.
  if (inv.path.includes('/') && !inv.dynamicProgram && !SHELLS.has(p)) host.runFiles(inv, 'path', inv.path);
  if ((p === '.' || p === 'source') && inv.argWords.length) {
    const first = inv.argWords[0].text === '--' ? inv.argWords[1] : inv.argWords[0];
    if (first && !host.substitutedScript(inv, first, 'source') && !first.dynamic) host.runFiles(inv, 'source', first.text);
    return;
  }
  // Prompt variables set for a program: whatever it is (a shell, screen, tmux, a terminal), a shell it starts expands them.
  for (const [name, value] of [...Object.entries(inv.env), ...declared]) {
    if (PROMPT_VARS.test(name) && value.trim()) host.script(name === 'PROMPT_COMMAND' || name === 'precmd_functions' || name === 'preexec_functions' ? value : `: ${value}`, depth, 'eval', inv);
  }
  if (p === 'make' || p === 'gmake') return host.runFiles(inv, 'make');
  if (readLauncher(inv, host.launcherHost)) return;
  if (p === 'coproc' && inv.args.length) {
    // `coproc cmd …` or `coproc NAME { …; }`: the command runs beside the shell, now.
    const named = /^[A-Za-z_]\w*$/.test(inv.args[0]) && (inv.args[1] === '{' || inv.args[1]?.startsWith('('));
    host.script(inv.text.replace(/^\s*coproc\s+/, '').replace(named ? /^[A-Za-z_]\w*\s+/ : /^/, '').replace(/^\{/, ''), depth, 'eval', inv);
    return;
  }
  if (SHELLS.has(p) || (inv.dynamicProgram && /^\$\{?(SHELL|BASH)\}?$/.test(inv.path))) {
    const args = p === 'busybox' && inv.args[0] === 'sh' ? inv.args.slice(1) : inv.args;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (SHELL_VALUE_OPTIONS.includes(a)) {
        i++;
        continue;
      }
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a) || a === '--command' || (p === 'fish' && (a === '-c' || a.startsWith('--command=')))) {
        const script = a.startsWith('--command=') ? a.slice(10) : args[i + 1];
        if (script !== undefined) host.script(script, depth, 'shell-c', inv);
        // `xargs sh -c < cmds`: the script is the first word xargs reads.
        else if (inv.argsFromStdin) {
          const fed = host.fed(inv);
          if (fed !== undefined) host.script(fed.replace(/\0/g, ' '), depth, 'heredoc', inv);
        }
        return;
      }
      if ((!a.startsWith('-') || a === '-') && !a.startsWith('+')) {
        // Runs a script file (or its input, `<(…)`, /dev/stdin, `-`): what it holds is judged with the line.
        const word = inv.argWords[p === 'busybox' && inv.args[0] === 'sh' ? i + 1 : i];
        if (word && !host.substitutedScript(inv, word, 'shell') && !word.dynamic) host.runFiles(inv, 'shell', a);
        return;
      }
    }
    const fed = host.fed(inv);
    if (fed !== undefined) host.script(fed, depth, 'heredoc', inv);
    return;
  }
  if (p === 'psql' || p === 'sqlite3') {
    // `\! cmd` (psql) and `.shell cmd` / `.system cmd` (sqlite3) run cmd in a shell.
    for (const text of [...inv.args, inv.stdin ?? '']) {
      for (const line of text.split('\n')) {
        const m = /^\s*(?:\\!|\.shell\b|\.system\b)\s*(.+)$/.exec(line);
        if (m) host.script(m[1], depth, 'eval', inv);
      }
    }
    return;
  }
  const remote = own(REMOTE_SCRIPT_OPTIONS, p);
  if (remote && inv.args.includes(remote.sub)) {
    const a = inv.parsed({ values: remote.options });
    for (const script of a.values(...remote.options)) host.script(script, depth, 'remote', inv);
    return;
  }
  // Deferred execution: what an alias, a trap, a completion or a key binding will run later is judged now.
  if (p === 'alias') {
    for (const a of inv.args) {
      const m = /^[^=\s]+=(.*)$/s.exec(a);
      if (m && m[1].trim()) host.script(m[1], depth, 'eval', inv);
    }
    return;
  }
  if (p === 'trap') {
    const args = inv.args.filter((a) => a !== '--');
    if (args.length >= 2 && !['-p', '-l', '-'].includes(args[0]) && args[0].trim()) host.script(args[0], depth, 'eval', inv);
    return;
  }
  if (p === 'complete' || p === 'compgen') {
    const a = inv.parsed({ values: ['-C', '-F', '-A', '-G', '-W', '-X', '-P', '-S', '-o'] });
    for (const cmd of a.values('-C')) host.script(cmd, depth, 'eval', inv);
    return;
  }
  if (p === 'bind') {
    const a = inv.parsed({ values: ['-x', '-m', '-f', '-q', '-u', '-r'] });
    for (const b of a.values('-x')) {
      const m = /^\s*"(?:[^"\\]|\\.)*"\s*:\s*(.*)$/s.exec(b) ?? /^[^:]*:\s*(.*)$/s.exec(b);
      if (m && m[1].trim()) host.script(m[1].replace(/^(["'])(.*)\1$/s, '$2'), depth, 'eval', inv);
    }
    return;
  }
  if (p === 'eval' && !inv.argWords.some((w) => w.dynamic)) {
    host.script(inv.args.join(' '), depth, 'eval', inv);
    return;
  }
  if (p === 'su') {
    const a = inv.parsed({ values: ['-c', '--command', '-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'] });
    const script = a.value('-c', '--command');
    if (script !== undefined) host.script(script, depth, 'shell-c', inv);
    return;
  }
  if (readSsh(inv, depth, host)) return;
  if (p === 'watch') {
    const a = inv.parsed({ values: ['-n', '--interval', '-d', '-q', '--equexit'], stopAtPositional: true });
    const cmd = [...a.positionals, ...a.rest];
    if (cmd.length) host.script(cmd.join(' '), depth, 'eval', inv);
    return;
  }
  if (p === 'find') {
    const args = inv.args;
    for (let i = 0; i < args.length; i++) {
      if (!['-exec', '-execdir', '-ok', '-okdir'].includes(args[i])) continue;
      let j = i + 1;
      while (j < args.length && args[j] !== ';' && args[j] !== '+') j++;
      const words = inv.argWords.slice(i + 1, j);
      if (words.length) {
        const execInv: Invocation = {
          ...inv,
          program: basename(words[0].text),
          path: words[0].text,
          args: words.slice(1).map((w) => w.text),
          argWords: words.slice(1),
          via: [...inv.via, 'find'],
          origin: 'find-exec',
          parent: inv,
          dynamicProgram: words[0].dynamic,
          depth,
          parsed: argCache(words.slice(1).map((w) => w.text)),
        };
        host.unwrap(execInv);
      }
      i = j;
    }
  }
}
