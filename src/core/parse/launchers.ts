// Programs that run a command written inside their own arguments or input, in a language of their own: awk's
// `system()` and pipes, sed's `e`, vim's and less's `!`, gdb's `--args`, expect's `spawn`, `at` and `crontab` (what
// they will run later is judged now), git's `!` aliases, pagers and editors (`-c`, `git config`). Variables whose
// value a program runs (PAGER, EDITOR, GIT_PAGER…) are read in runVars.ts. What they run is judged with the line; code
// built at run time that would run is not understood (held in production).

import type { Invocation } from './invocation';
import { gitValueCommand } from './runVars';
import { readForeignCode } from './foreignCode';
import { readGitApply, readPatch } from './patchTargets';
import { readSessionRunner } from './sessionRunners';

/** What a launcher needs from the expander. */
export interface LauncherHost {
  /** Judges a shell script one level deeper, run by inv. */
  script(src: string, inv: Invocation): void;
  /**
   * Judges inv's words from FROM (up to TO) as a command inv runs (`gdb --args rm -rf x`); AS names the program the
   * first word stands for and the options it implies (`cmake -E remove_directory x` is `rm -rf x`).
   */
  runWords(inv: Invocation, from: number, options?: { to?: number; as?: { program: string; args: string[] } }): void;
  /** The text inv reads on standard input, when the line shows it (a heredoc, `< file`, `echo … |`, `cat f |`). */
  fed(inv: Invocation): string | undefined;
  /** A file's text, read bounded; undefined (and an error reported when it exists) when it cannot be. */
  file(inv: Invocation, word: string, why: string): string | undefined;
  error(e: string): void;
  /** Judges a script in another shell's language (`wmic process call create "cmd /c …"` is cmd). */
  runIn(src: string, kind: 'cmd' | 'powershell', inv: Invocation): void;
}

const SHELL_NAMES = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish']);

/** Options of vim-likes whose value is an Ex command. */
const VIM_COMMAND_OPTIONS = new Set(['-c', '--cmd', '-S']);
const VIMS = new Set(['vim', 'vi', 'nvim', 'ex', 'view', 'vimdiff', 'gvim', 'rvim', 'evim', 'nex', 'nvi', 'elvis']);
const AWKS = new Set(['awk', 'gawk', 'mawk', 'nawk', 'busybox-awk']);
const SEDS = new Set(['sed', 'gsed']);

/** Whether readLauncher reads what this program runs (its embedded commands are judged as commands). */
export function readsLaunched(program: string): boolean {
  return program === 'git' || AWKS.has(program) || SEDS.has(program) || VIMS.has(program) || ['less', 'more', 'most', 'gdb', 'cgdb', 'lldb', 'expect', 'at', 'batch', 'crontab', 'man'].includes(program);
}

/** Reads a launcher's embedded command; true when inv is one of them (its reading is done). */
export function readLauncher(inv: Invocation, host: LauncherHost): boolean {
  const p = inv.program;
  if (readSessionRunner(inv, host) || readForeignCode(inv, host)) return true;
  if (p === 'git') return git(inv, host);
  if (p === 'patch' || p === 'gpatch') return readPatch(inv, host);
  if (AWKS.has(p)) return awk(inv, host);
  if (SEDS.has(p)) return sed(inv, host);
  if (VIMS.has(p)) return vim(inv, host);
  if (p === 'less' || p === 'more' || p === 'most') return pager(inv, host);
  if (p === 'gdb' || p === 'cgdb' || p === 'lldb') return debugger_(inv, host);
  if (p === 'expect') return expect(inv, host);
  if (p === 'at' && inv.dialect) return windowsAt(inv, host);
  if (p === 'at' || p === 'batch') return at(inv, host);
  if (p === 'wmic') return wmic(inv, host);
  if (p === 'New-ScheduledTaskAction' || p === 'Invoke-WmiMethod' || p === 'Invoke-CimMethod') return psLauncher(inv, host);
  if (p === 'crontab') return crontab(inv, host);
  if (p === 'man') return man(inv, host);
  return false;
}

/** Shell commands in a text written in another language, as string literals after a keyword (`system("…")`). */
function dynamicRun(host: LauncherHost, inv: Invocation, what: string): void {
  host.error(`${inv.program} runs a command built at run time (${what})`);
}

function git(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let i = 0;
  // `git -C dir`: where git works (each one after the first relative to the one before).
  let base: string | undefined;
  for (; i < a.length; i++) {
    const w = a[i];
    if (w === '-C' && a[i + 1] !== undefined) base = base === undefined || a[i + 1].startsWith('/') ? a[i + 1] : `${base}/${a[i + 1]}`;
    if (w === '-c' && a[i + 1] !== undefined) {
      const kv = a[++i];
      const eq = kv.indexOf('=');
      const cmd = eq > 0 ? gitValueCommand(kv.slice(0, eq), kv.slice(eq + 1)) : undefined;
      if (cmd !== undefined) host.script(cmd, inv);
      continue;
    }
    if (w === '-C' || w === '--git-dir' || w === '--work-tree' || w === '--namespace' || w === '--exec-path' || w === '--config-env') {
      if (w === '--config-env') host.error('git --config-env reads a setting from a variable the line does not show');
      i++;
      continue;
    }
    if (w.startsWith('--config-env=')) host.error('git --config-env reads a setting from a variable the line does not show');
    if (w.startsWith('-')) continue;
    break;
  }
  if (a[i] === 'apply' || a[i] === 'am') readGitApply(inv, host, i + 1, base);
  if (a[i] === 'config') {
    // `git config [--global] alias.x '!cmd'`: what the setting will run is judged when it is set.
    const rest = a.slice(i + 1);
    const pos: string[] = [];
    for (let j = 0; j < rest.length; j++) {
      const w = rest[j];
      if (w === '-f' || w === '--file' || w === '--blob' || w === '--type' || w === '--default' || w === '--comment') {
        j++;
        continue;
      }
      if (w.startsWith('-')) continue;
      pos.push(w);
    }
    const [key, value] = pos[0] === 'set' ? [pos[1], pos[2]] : [pos[0], pos[1]];
    if (key !== undefined && value !== undefined) {
      const cmd = gitValueCommand(key, value);
      if (cmd !== undefined) host.script(cmd, inv);
    }
  }
  return false;
}

/** The program text of an awk call: `-f` files read, else the first operand. */
function awkProgram(inv: Invocation, host: LauncherHost): string | undefined {
  const a = inv.args;
  const texts: string[] = [];
  let fromFile = false;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (w === '--') {
      if (!texts.length && !fromFile && a[i + 1] !== undefined) texts.push(a[i + 1]);
      break;
    }
    if (w === '-f' || w === '--file' || w === '-i' || w === '--include') {
      fromFile = true;
      const t = a[i + 1] !== undefined ? host.file(inv, a[i + 1], 'runs the awk program') : undefined;
      if (t !== undefined) texts.push(t);
      i++;
      continue;
    }
    if (w === '-e' || w === '--source') {
      if (a[i + 1] !== undefined) texts.push(a[i + 1]);
      i++;
      continue;
    }
    if (w === '-v' || w === '-F' || w === '--assign' || w === '--field-separator') {
      i++;
      continue;
    }
    if (w.startsWith('-')) continue;
    if (!texts.length && !fromFile) texts.push(w);
    break;
  }
  return texts.length ? texts.join('\n') : undefined;
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;

function unquoteAwk(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function awk(inv: Invocation, host: LauncherHost): boolean {
  const prog = awkProgram(inv, host);
  if (prog === undefined) return true;
  // system("cmd"): a literal is judged; anything built is not understood.
  for (const m of prog.matchAll(/\bsystem\s*\(([^)]*)\)/g)) {
    const arg = m[1].trim();
    if (new RegExp(`^${STRING}$`).test(arg)) host.script(unquoteAwk(arg), inv);
    else dynamicRun(host, inv, `system(${arg})`);
  }
  // print … | "cmd", "cmd" | getline, printf … |& "cmd": cmd runs; a shell it pipes to runs what is printed.
  for (const m of prog.matchAll(new RegExp(String.raw`(?:(print|printf)\b([^|;}\n]*))?\|&?\s*(${STRING}|[A-Za-z_]\w*)`, 'g'))) {
    const target = m[3];
    if (!target.startsWith('"')) {
      if (m[1] !== undefined) dynamicRun(host, inv, `a pipe to ${target}`);
      continue;
    }
    const cmd = unquoteAwk(target);
    host.script(cmd, inv);
    const shell = SHELL_NAMES.has(cmd.trim().split(/\s+/)[0]?.replace(/^.*\//, '') ?? '');
    if (shell && m[1] !== undefined) {
      const printed = m[2].trim().replace(/^\(|\)$/g, '');
      const parts = [...printed.matchAll(new RegExp(`${STRING}|[^\\s,"]+`, 'g'))].map((x) => x[0]);
      if (parts.every((x) => x.startsWith('"'))) host.script(parts.map(unquoteAwk).join(' '), inv);
      else dynamicRun(host, inv, `what it prints to ${cmd}`);
    }
  }
  for (const m of prog.matchAll(new RegExp(`(${STRING})\\s*\\|\\s*getline`, 'g'))) host.script(unquoteAwk(m[1]), inv);
  return true;
}

/** The sed scripts of a call: `-e`/`--expression`, `-f` files, else the first operand. */
function sedScripts(inv: Invocation, host: LauncherHost): string[] {
  const a = inv.args;
  const out: string[] = [];
  let given = false;
  let first: string | undefined;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (w === '-e' || w === '--expression' || w === '-f' || w === '--file') {
      given = true;
      const v = a[++i];
      if (v === undefined) continue;
      if (w === '-f' || w === '--file') {
        const t = host.file(inv, v, 'runs the sed script');
        if (t !== undefined) out.push(t);
      } else out.push(v);
      continue;
    }
    if (w.startsWith('--expression=')) {
      given = true;
      out.push(w.slice(13));
      continue;
    }
    if (/^-[nEsrzuiI]*e./.test(w) && !w.startsWith('--')) {
      given = true;
      out.push(w.slice(w.indexOf('e') + 1));
      continue;
    }
    if (w === '-l' || w === '--line-length') {
      i++;
      continue;
    }
    if (w.startsWith('-')) continue;
    if (first === undefined) first = w;
  }
  if (!given && first !== undefined) out.push(first);
  return out;
}

function sed(inv: Invocation, host: LauncherHost): boolean {
  for (const text of sedScripts(inv, host)) {
    // s/…/…/e runs the pattern space after the substitution; `e cmd` runs cmd.
    const sub = /(^|[;\n{}]|^\s*)\s*(?:\d+|\$|\/(?:[^/\\]|\\.)*\/)?(?:,\s*(?:\d+|\$|\/(?:[^/\\]|\\.)*\/))?\s*!?\s*s(.)/g;
    let m: RegExpExecArray | null;
    while ((m = sub.exec(text))) {
      const d = m[2];
      if (/[\s\\\n]/.test(d)) continue;
      const parts: string[] = [];
      let i = sub.lastIndex;
      let cur = '';
      for (; i < text.length && parts.length < 2; i++) {
        if (text[i] === '\\' && i + 1 < text.length) {
          cur += text[i + 1] === d ? d : text[i] + text[i + 1];
          i++;
        } else if (text[i] === d) {
          parts.push(cur);
          cur = '';
        } else cur += text[i];
      }
      if (parts.length < 2) break;
      const flags = /^[^;\n}]*/.exec(text.slice(i))![0];
      sub.lastIndex = i;
      if (!/^[gpIiMm0-9]*e/.test(flags.replace(/w.*$/, ''))) continue;
      const replacement = parts[1];
      if (/(^|[^\\])(&|\\[1-9])/.test(replacement) || /\\[LlUuE]/.test(replacement)) dynamicRun(host, inv, 'a substitution run by its e flag');
      else host.script(replacement.replace(/\\n/g, '\n'), inv);
    }
    for (const e of text.matchAll(/(?:^|[;\n{])\s*(?:\d+|\$|\/(?:[^/\\]|\\.)*\/)?\s*e\s+([^;\n}]+)/g)) host.script(e[1], inv);
  }
  return true;
}

/** An Ex command that runs a shell command: `!cmd`, `:!cmd`, `silent !cmd`, `call system('cmd')`, `r !cmd`. */
function exShell(cmd: string, inv: Invocation, host: LauncherHost): void {
  for (const part of cmd.split(/\s*\|\s*(?=[:a-z!]|$)/i)) {
    const bang = /^\s*:*\s*(?:silent!?\s+|exe(?:cute)?\s+)?(?:\d*,?\d*\s*)?(?:r(?:ead)?\s*|w(?:rite)?\s*|%?\s*)?!(.*)$/is.exec(part);
    if (bang && bang[1].trim()) host.script(bang[1], inv);
    for (const m of part.matchAll(/\b(?:system|systemlist|jobstart|termopen)\s*\(\s*(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|([^)]*))/g)) {
      if (m[3] !== undefined) dynamicRun(host, inv, `system(${m[3]})`);
      else host.script(m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2], inv);
    }
    if (/^\s*:*\s*(?:term(?:inal)?|sh(?:ell)?)\b/i.test(part)) host.error(`${inv.program} opens a shell the line does not show`);
  }
}

function vim(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    // `ex -sc '!cmd'`: flags written together, the last one taking the command.
    const option = /^-[A-Za-z]+$/.test(w) && w.length > 2 && w.endsWith('c') ? '-c' : w;
    if (VIM_COMMAND_OPTIONS.has(option) && a[i + 1] !== undefined) {
      if (option === '-S') {
        const t = host.file(inv, a[i + 1], 'sources the vim script');
        if (t !== undefined) for (const line of t.split('\n')) exShell(line, inv, host);
      } else exShell(a[i + 1], inv, host);
      i++;
    } else if (w.startsWith('+') && w.length > 1) exShell(w.slice(1), inv, host);
  }
  // `ex -s file <<< '!rm …'`, `vim -es < cmds`: the Ex commands it reads.
  if ((inv.program === 'ex' || a.some((w) => /^-[A-Za-z]*[es]/.test(w))) && !a.includes('--')) {
    const fed = host.fed(inv);
    if (fed !== undefined) for (const line of fed.split('\n')) exShell(line, inv, host);
  }
  return true;
}

function pager(inv: Invocation, host: LauncherHost): boolean {
  // `less '+!cmd'`, `less +:!cmd`: a less command given on the line; `!` runs a shell command.
  for (const w of inv.args) {
    const m = /^\+\+?:?\s*!(.*)$/s.exec(w);
    if (m && m[1].trim()) host.script(m[1], inv);
    else if (/^\+\+?:?\s*\|/.test(w)) host.error(`${inv.program} pipes to a command given as a mark`);
  }
  return true;
}

function man(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    if ((a[i] === '-P' || a[i] === '--pager' || a[i] === '-H' || a[i] === '--html') && a[i + 1] !== undefined) host.script(a[++i], inv);
    else if (a[i].startsWith('--pager=') || a[i].startsWith('--html=')) host.script(a[i].slice(a[i].indexOf('=') + 1), inv);
  }
  return true;
}

function debugger_(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (inv.program !== 'lldb' && (w === '--args' || w === '-args')) {
      if (i + 1 < a.length) host.runWords(inv, i + 1);
      return true;
    }
    if (inv.program === 'lldb' && w === '--') {
      if (i + 1 < a.length) host.runWords(inv, i + 1);
      return true;
    }
    if ((w === '-ex' || w === '--ex' || w === '-iex' || w === '-o' || w === '--one-line' || w === '-O') && a[i + 1] !== undefined) {
      const cmd = a[++i];
      const m = /^\s*(?:shell|!|platform\s+shell|pipe\s+[^|]*\|)\s*(.*)$/s.exec(cmd);
      if (m && m[1].trim()) host.script(m[1], inv);
      continue;
    }
    if (w === '-x' || w === '--command' || w === '-s' || w === '--source') {
      const t = a[i + 1] !== undefined ? host.file(inv, a[i + 1], 'runs the debugger commands of') : undefined;
      if (t !== undefined) for (const line of t.split('\n')) {
        const m = /^\s*(?:shell|!)\s*(.*)$/s.exec(line);
        if (m && m[1].trim()) host.script(m[1], inv);
      }
      i++;
    }
  }
  return true;
}

/** Tcl's `spawn`, `exec` and `system` in an expect script: the commands they start. */
function expectText(text: string, inv: Invocation, host: LauncherHost): void {
  for (const m of text.matchAll(/(?:^|[;\n[{])\s*(spawn|exec|system)\s+([^;\n\]}]*)/g)) {
    const words = m[2].replace(/^(-\w+\s+)*/, '').trim();
    if (!words) continue;
    if (/[$[]/.test(words)) dynamicRun(host, inv, `${m[1]} ${words}`);
    else host.script(words.replace(/[{}]/g, "'"), inv);
  }
}

function expect(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (w === '-c' && a[i + 1] !== undefined) {
      expectText(a[++i], inv, host);
      continue;
    }
    if (w === '-f' && a[i + 1] !== undefined) {
      const t = host.file(inv, a[++i], 'runs the expect script');
      if (t !== undefined) expectText(t, inv, host);
      continue;
    }
    if (w.startsWith('-')) continue;
    const t = host.file(inv, w, 'runs the expect script');
    if (t !== undefined) expectText(t, inv, host);
    break;
  }
  if (!a.some((w) => !w.startsWith('-'))) {
    const fed = host.fed(inv);
    if (fed !== undefined) expectText(fed, inv, host);
  }
  return true;
}

function at(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  // Listing, removing and showing jobs run nothing.
  if (a.some((w) => /^-[A-Za-z]*[lrdc]/.test(w) && !w.startsWith('--'))) return true;
  const f = a.indexOf('-f');
  if (f >= 0 && a[f + 1] !== undefined) {
    const t = host.file(inv, a[f + 1], 'schedules the commands of');
    if (t !== undefined) host.script(t, inv);
    return true;
  }
  const fed = host.fed(inv);
  if (fed !== undefined) host.script(fed, inv);
  else if (inv.pipeFrom) host.error(`${inv.program} schedules commands the line does not show`);
  return true;
}

/** The commands of crontab lines: five time fields (or `@reboot`…) then the command; variable lines skipped. */
export function crontabCommands(text: string): string {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || /^[A-Za-z_]\w*\s*=/.test(line)) continue;
    const m = /^@\w+\s+(.*)$/.exec(line) ?? /^(?:\S+\s+){5}(.*)$/.exec(line);
    if (m) out.push(m[1].replace(/(^|[^\\])%.*$/, '$1'));
  }
  return out.join('\n');
}

function crontab(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  if (a.some((w) => /^-[A-Za-z]*[lrei]/.test(w) && !w.startsWith('--'))) return true;
  const file = a.filter((w, i) => !w.startsWith('-') && a[i - 1] !== '-u')[0];
  const text = file !== undefined && file !== '-' ? host.file(inv, file, 'installs the crontab') : host.fed(inv);
  if (text !== undefined) host.script(crontabCommands(text), inv);
  else if (file === undefined || file === '-') if (inv.pipeFrom) host.error('crontab installs commands the line does not show');
  return true;
}

/** `at [\\\\computer] TIME [/interactive] [/every:…|/next:…] COMMAND` (Windows): COMMAND runs at TIME, in cmd. */
function windowsAt(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let i = 0;
  if (a[i]?.startsWith('\\\\')) i++;
  if (a.slice(i).some((w) => /^\/delete$/i.test(w))) return true;
  if (!/^\d{1,2}:\d{2}(:\d{2})?(am|pm|a|p)?$/i.test(a[i] ?? '')) return true;
  i++;
  while (i < a.length && /^\/(interactive|every:.*|next:.*)$/i.test(a[i])) i++;
  if (i < a.length) host.runIn(a.slice(i).map((w) => (/\s/.test(w) ? `"${w}"` : w)).join(' '), 'cmd', inv);
  return true;
}

/** `wmic [/node:…] process call create "cmd /c …"`: the command line starts a process, read as cmd reads it. */
function wmic(inv: Invocation, host: LauncherHost): boolean {
  const words = inv.args.map((w) => w.toLowerCase());
  const k = words.findIndex((w, i) => w === 'call' && words[i + 1] === 'create');
  if (k < 0 || !words.slice(0, k).some((w) => w === 'process' || w.endsWith('win32_process'))) return false;
  const cmd = inv.args[k + 2];
  if (cmd === undefined) return true;
  if (inv.argWords[k + 2]?.dynamic) dynamicRun(host, inv, 'process call create');
  else host.runIn(cmd.replace(/,.*$/s, ''), 'cmd', inv);
  return true;
}

/** PowerShell's ways to start a process later or elsewhere: a scheduled task's action, Win32_Process.Create. */
function psLauncher(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  const value = (...names: string[]) => {
    for (let i = 0; i < a.length; i++) {
      const m = /^-([A-Za-z]+)(?::(.*))?$/.exec(a[i]);
      if (m && names.some((n) => n.toLowerCase().startsWith(m[1].toLowerCase()) && m[1].length >= 2)) return m[2] ?? a[i + 1];
    }
    return undefined;
  };
  if (inv.program === 'New-ScheduledTaskAction') {
    const exe = value('Execute');
    if (exe === undefined) return true;
    const args = value('Argument') ?? '';
    if (/[$(]/.test(exe + args)) return (dynamicRun(host, inv, 'a scheduled task action'), true);
    host.runIn(`${/\s/.test(exe) ? `"${exe}"` : exe} ${args}`.trim(), 'cmd', inv);
    return true;
  }
  // Invoke-WmiMethod -Class Win32_Process -Name Create -ArgumentList 'cmd /c …'; Invoke-CimMethod … @{CommandLine='…'}.
  if (!/win32_process/i.test(inv.text) || !/\bcreate\b/i.test(inv.text)) return true;
  const line = /CommandLine\s*=\s*(?:'((?:[^']|'')*)'|"([^"`$]*)")/i.exec(inv.text);
  const list = value('ArgumentList');
  const cmd = line ? (line[1] ?? line[2]).replace(/''/g, "'") : list;
  if (cmd === undefined || /[$(]/.test(cmd)) dynamicRun(host, inv, 'Win32_Process Create');
  else host.runIn(cmd, 'cmd', inv);
  return true;
}
