// The shell's own state that changes what a later, harmless-looking line runs: a new name for a guarded program (an
// alias, a hash entry), history characters, spelling correction, zsh's modules and autoloaded functions, a folder of
// programs run at once, a PWD that is not where the shell is. The line gate checks each line as typed; these make the
// next line mean something else, so they are judged when they are set.

import { basename, expand, Invocation } from '../parse/invocation';
import { defineRule } from './rule';
import { USUAL_GUARDED } from './exec';
import { own } from '../own';

/**
 * The guarded program a command text runs first when what it does is left to the words a later line adds (`rm`,
 * `command rm -f`, `/bin/rm`, `'kubectl'`), or undefined. A text that names what it does (`git status`) is judged
 * as it is, where it is set (an alias's text is read as a command: see nestedScripts).
 */
function guardedFirst(text: string, inv: Invocation, anyArgs = false): string | undefined {
  const guarded = inv.site?.guarded.size ? inv.site.guarded : USUAL_GUARDED;
  const first = expand(text, 'bash', inv.site).invocations.find((i) => i.program !== '');
  return first && guarded.has(first.program) && (anyArgs || first.args.every((a) => a.startsWith('-'))) ? first.program : undefined;
}

/** `name=value` pairs set in the shell's alias and command tables by assignment: BASH_ALIASES[zz]=rm, aliases[zz]=…. */
const TABLE_ASSIGNMENT = /(?:^|[\s;&|(])(BASH_ALIASES|BASH_CMDS|aliases|galiases|saliases|dis_aliases|dis_galiases|dis_saliases|commands)\[\s*(['"]?)([^\]'"]+)\2\s*\]\+?=((?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s;&|)])*)/g;

function unquote(v: string): string {
  return v.replace(/'([^']*)'|"((?:[^"\\]|\\.)*)"/g, (_, a: string | undefined, b: string | undefined) => a ?? (b ?? '').replace(/\\(.)/g, '$1'));
}

export const renamedCommand = defineRule({
  id: 'shell.renamed-command',
  severity: 'risky',
  summary: 'Gives a guarded program a new name (an alias or a hash entry), so a later line can run it without naming it',
  programs: ['*'],
  match(inv) {
    const p = inv.program;
    if (p === 'alias') {
      for (const a of inv.args) {
        const m = /^([^=\s-][^=\s]*)=(.*)$/s.exec(a);
        if (!m) continue;
        const prog = guardedFirst(m[2], inv);
        if (prog && prog !== basename(m[1])) return { resource: m[1], detail: `${m[1]} would run ${prog}` };
      }
      return null;
    }
    if (p === 'hash') {
      // zsh's `hash name=path` (bash's `hash -p path name` is exec.hash-path).
      for (const a of inv.args) {
        const m = /^([^=\s-][^=\s]*)=(.+)$/s.exec(a);
        if (m && basename(m[2]) !== m[1]) return { resource: m[1], detail: `${m[1]} would run ${m[2]}` };
      }
      return null;
    }
    if (!/(BASH_ALIASES|BASH_CMDS|aliases|commands)\[/.test(inv.text)) return null;
    for (const m of inv.text.matchAll(TABLE_ASSIGNMENT)) {
      const [, table, , name, raw] = m;
      const value = unquote(raw);
      // The hash table: any entry makes the name run that file.
      if (table === 'BASH_CMDS' || table === 'commands') {
        if (basename(value) !== name) return { resource: name, detail: `${name} would run ${value}` };
        continue;
      }
      // Nothing reads a table entry's text as a command: any guarded program in it counts.
      const prog = /[$`]/.test(value) ? 'a command known only at run time' : guardedFirst(value, inv, true);
      if (prog && prog !== name) return { resource: name, detail: `${name} would run ${prog}` };
    }
    return null;
  },
  examples: {
    gated: [
      ['alias zz=rm', 'zz'],
      ["alias zz='command rm'", 'zz'],
      ['alias -g zz=/bin/rm', 'zz'],
      ['alias k=kubectl', 'k'],
      ['BASH_ALIASES[zz]=rm', 'zz'],
      ["aliases[zz]='rm -rf data'", 'zz'],
      ['galiases[zz]=rm', 'zz'],
      ['aliases[zz]=$X', 'zz'],
      ['hash zz=/usr/bin/rm', 'zz'],
      ['commands[zz]=/usr/bin/rm', 'zz'],
      ['BASH_CMDS[ls]=/tmp/x', 'ls'],
    ],
    allowed: ["alias ll='ls -la'", "alias rm='rm -i'", 'alias gs="git status"', 'alias mk=mkdir', 'alias', 'hash -r', 'hash ls', "aliases[ll]='ls -la'", 'commands[ls]=/bin/ls'],
  },
});

/** Commands that set a variable named among their arguments. */
const SETTERS = new Set(['read', 'printf', 'declare', 'typeset', 'export', 'local', 'readonly', 'mapfile', 'readarray', 'vared', 'getopts', 'let', 'integer', 'float', 'print']);

/** Whether the command sets one of the variables: by assignment (`X=…`, `X[1]=…`, `X+=…`) or by a command that does. */
function setsVariable(inv: Invocation, names: RegExp): string | undefined {
  // Assignments (`X=…`, `X[1]=…`, `X+=…`) are the command's variables, by name.
  const byEnv = Object.keys(inv.env).find((k) => names.test(k));
  if (byEnv) return byEnv;
  if (!SETTERS.has(inv.program)) return undefined;
  const printer = inv.program === 'printf' || inv.program === 'print';
  for (let i = 0; i < inv.args.length; i++) {
    // printf and print set a variable only after -v.
    if (printer && inv.args[i - 1] !== '-v') continue;
    const name = /^([A-Za-z_]\w*)/.exec(inv.args[i])?.[1];
    if (name && names.test(name)) return name;
  }
  return undefined;
}

export const historyChars = defineRule({
  id: 'shell.history-chars',
  severity: 'risky',
  summary: "Changes the shell's history characters, so a later line of plain letters can run an earlier command again, changed",
  programs: ['*'],
  match(inv) {
    if (!/histchars/i.test(inv.text)) return null;
    const v = setsVariable(inv, /^(histchars|HISTCHARS)$/);
    return v ? { resource: v } : null;
  },
  examples: {
    gated: [['histchars=zq', 'histchars'], ['read histchars', 'histchars'], ['typeset histchars=zq', 'histchars'], ['printf -v histchars zq', 'histchars'], ['histchars[2]=q', 'histchars'], ['HISTCHARS=zq', 'HISTCHARS']],
    allowed: ['echo $histchars', 'unset histchars', 'echo histchars=1'],
  },
});

/** zsh's option names: any case, underscores ignored, `no` in front turns it off. */
function zshOption(word: string): { name: string; on: boolean } {
  let w = word.toLowerCase().replace(/_/g, '');
  let on = true;
  // `no_no_globsubst` is globsubst on.
  while (w.startsWith('no') && w !== 'notify') {
    on = !on;
    w = w.slice(2);
  }
  return { name: w, on };
}

const CORRECTS = new Set(['correct', 'correctall']);

/** The word that turns on one of the zsh options NAMES (`setopt correct`, `set -o prompt_subst`, `options[x]=on`). */
function turnsOn(inv: Invocation, names: ReadonlySet<string>): string | undefined {
  const p = inv.program;
  if (p === 'setopt' || p === 'unsetopt') return inv.args.find((a) => names.has(zshOption(a).name) && zshOption(a).on === (p === 'setopt'));
  // `emulate zsh -o globsubst -c …`, `zsh -o globsubst -c …`, `zsh --globsubst`.
  if (p === 'emulate' || p === 'zsh') {
    const long = inv.args.find((a) => a.startsWith('--') && names.has(zshOption(a.slice(2)).name) && zshOption(a.slice(2)).on);
    if (long) return long;
  }
  if (p === 'set' || p === 'emulate' || p === 'zsh') {
    for (let i = 0; i < inv.args.length - 1; i++) {
      const o = zshOption(inv.args[i + 1]);
      if ((inv.args[i] === '-o' && names.has(o.name) && o.on) || (inv.args[i] === '+o' && names.has(o.name) && !o.on)) return inv.args[i + 1];
    }
    return undefined;
  }
  const m = /(?:^|[\s;&|(])options\[\s*['"]?([A-Za-z_]+)['"]?\s*\]=\s*['"]?(on|off)/.exec(inv.text);
  return m && names.has(zshOption(m[1]).name) && zshOption(m[1]).on === (m[2] === 'on') ? m[1] : undefined;
}

export const spellingCorrection = defineRule({
  id: 'shell.spelling-correction',
  severity: 'risky',
  summary: 'Turns on zsh spelling correction: zsh would run a corrected command (rmm becomes rm) that the guard never saw',
  programs: ['*'],
  match(inv) {
    const p = inv.program;
    if (!/correct|[sS][eE][tT]/.test(inv.text)) return null;
    if ((p === 'set' || p === 'setopt') && inv.args.some((a) => /^-[a-zA-Z0-9]*[0O]/.test(a))) return { resource: inv.args.find((a) => /^-[a-zA-Z0-9]*[0O]/.test(a))! };
    const on = turnsOn(inv, CORRECTS);
    return on ? { resource: on } : null;
  },
  examples: {
    gated: [['set -0', '-0'], ['set -O', '-O'], ['setopt -0', '-0'], ['setopt correct', 'correct'], ['setopt CORRECT_ALL', 'CORRECT_ALL'], ['unsetopt nocorrect', 'nocorrect'], ['set -o correct', 'correct'], ['options[correct]=on', 'correct']],
    allowed: ['set -e', 'set -euo pipefail', 'set +o history', 'setopt extendedglob', 'unsetopt correct', 'setopt nocorrect', 'set -o vi', 'options[correct]=off', 'git commit -m correct'],
  },
});

const RUNS_VALUES = new Set(['promptsubst', 'globsubst']);

export const valuesRun = defineRule({
  id: 'shell.values-run',
  severity: 'risky',
  summary: "Turns on a zsh option that runs code held in a variable's value (PROMPT_SUBST: `$(cmd)` in print -P; GLOB_SUBST: a glob qualifier `*(e:cmd:)`), code the guard never saw",
  programs: ['*'],
  match(inv) {
    if (!/subst/i.test(inv.text)) return null;
    const on = turnsOn(inv, RUNS_VALUES);
    return on ? { resource: on } : null;
  },
  examples: {
    gated: [['setopt promptsubst', 'promptsubst'], ['setopt PROMPT_SUBST', 'PROMPT_SUBST'], ['set -o globsubst', 'globsubst'], ['unsetopt noglobsubst', 'noglobsubst'], ['setopt no_no_globsubst', 'no_no_globsubst'], ['options[promptsubst]=on', 'promptsubst'], ["emulate zsh -o globsubst -c 'echo $y'", 'globsubst'], ["zsh --globsubst -c 'echo $y'", '--globsubst']],
    allowed: ['unsetopt promptsubst', 'setopt extendedglob', 'set -o pipefail', 'echo setopt promptsubst'],
  },
});

const GLOB_DOTS = new Set(['globdots']);

export const globDots = defineRule({
  id: 'shell.glob-dots',
  severity: 'risky',
  summary: "Makes globs match names that begin with a dot (bash's dotglob or GLOBIGNORE, zsh's GLOB_DOTS): a later `*/settings.json` would reach .vscode and .claude",
  programs: ['*'],
  match(inv) {
    if (inv.program === 'shopt' && inv.args.includes('-s')) {
      const on = inv.args.find((a) => a === 'dotglob');
      if (on) return { resource: on };
    }
    if (inv.env.GLOBIGNORE !== undefined || /(^|[\s;&|(])GLOBIGNORE=/.test(inv.text)) return { resource: 'GLOBIGNORE' };
    if (!/dots/i.test(inv.text)) return null;
    const on = turnsOn(inv, GLOB_DOTS);
    return on ? { resource: on } : null;
  },
  examples: {
    gated: [['shopt -s dotglob', 'dotglob'], ['setopt globdots', 'globdots'], ['setopt GLOB_DOTS', 'GLOB_DOTS'], ['set -o globdots', 'globdots'], ['GLOBIGNORE=x', 'GLOBIGNORE']],
    allowed: ['shopt -u dotglob', 'shopt -s nullglob', 'unsetopt globdots', 'echo dotglob'],
  },
});

/** zsh modules whose builtins write, delete or rename files under names no list has (zf_rm, mapfile[f]=…). */
const FILE_MODULES = /^zsh\/(files|mapfile)$/;

export const zshModule = defineRule({
  id: 'shell.zsh-module',
  severity: 'risky',
  summary: 'Loads a zsh module whose builtins change files under other names (zf_rm, mapfile), past the words the guard looks for',
  programs: ['zmodload'],
  match(inv) {
    const a = inv.args.find((x) => FILE_MODULES.test(x) || /^(b:)?zf_/.test(x) || x === 'mapfile' || x === 'p:mapfile');
    return a ? { resource: a } : null;
  },
  examples: {
    gated: [['zmodload zsh/files', 'zsh/files'], ['zmodload -F zsh/files b:zf_rm', 'zsh/files'], ['zmodload zsh/mapfile', 'zsh/mapfile'], ['zmodload -ab zsh/files zf_rm', 'zsh/files']],
    allowed: ['zmodload', 'zmodload zsh/datetime', 'zmodload -L', 'zmodload zsh/complist'],
  },
});

export const zshFileWrite = defineRule({
  id: 'shell.zsh-file-write',
  severity: 'risky',
  summary: "Writes, empties or deletes a file through zsh's own builtins (sysopen, mapfile), which no program name shows",
  programs: ['*'],
  match(inv) {
    const p = inv.program;
    if (p === 'sysopen') {
      const args = inv.args;
      const writes = args.some((a, i) => /^-[rwa]*[wa][rwa]*$/.test(a) || (args[i - 1] === '-o' && /trunc|creat/.test(a)));
      const file = args.filter((a, i) => !a.startsWith('-') && !['-u', '-m', '-o'].includes(args[i - 1] ?? '')).pop();
      return writes ? { resource: file ?? 'sysopen' } : null;
    }
    if (!inv.text.includes('mapfile[')) return null;
    const m = /(?:^|[\s;&|(])mapfile\[\s*(['"]?)([^\]'"]+)\1\s*\]\+?=/.exec(inv.text);
    if (m) return { resource: m[2] };
    if (p === 'unset') {
      const u = inv.args.map((a) => /^mapfile\[(.+)\]$/.exec(a)).find(Boolean);
      if (u) return { resource: u[1] };
    }
    return null;
  },
  examples: {
    gated: [['sysopen -w -u 5 data/sentinel', 'data/sentinel'], ['sysopen -w -o truncate -u fd notes.txt', 'notes.txt'], ['sysopen -a -u 5 log', 'log'], ['mapfile[notes.txt]=gone', 'notes.txt'], ["unset 'mapfile[notes.txt]'", 'notes.txt']],
    allowed: ['sysopen -r -u 5 notes.txt', 'sysread -i 5 line', 'echo mapfile', 'print -r -- $mapfile[notes.txt]'],
  },
});

export const autoload = defineRule({
  id: 'shell.autoload',
  severity: 'risky',
  summary: "Marks a zsh function to be loaded from a file on fpath when it is first called; the guard does not read that file",
  programs: ['*'],
  match(inv) {
    if (inv.program === 'autoload') {
      const names = inv.args.filter((a) => !/^[-+]/.test(a));
      return names.length ? { resource: names.join(' ') } : null;
    }
    // Where those files are looked for.
    if (!/fpath/i.test(inv.text)) return null;
    const v = setsVariable(inv, /^(fpath|FPATH)$/);
    return v ? { resource: v } : null;
  },
  examples: { gated: [['autoload -U tidy', 'tidy'], ['autoload -Uz ~/fn/tidy', '~/fn/tidy'], ['fpath=(fn $fpath)', 'fpath'], ['FPATH=fn:$FPATH', 'FPATH']], allowed: ['autoload', 'autoload -U', 'autoload +X', 'echo $fpath'] },
});

export const runFolder = defineRule({
  id: 'shell.run-folder',
  severity: 'risky',
  summary: 'Runs every program in a folder (run-parts); the guard does not read them',
  programs: ['run-parts'],
  match(inv) {
    if (inv.args.some((a) => a === '--test' || a === '--list' || a === '-V' || a === '--version' || a === '-h' || a === '--help')) return null;
    const positional = inv.args.filter((a, i) => !a.startsWith('-') && !['-u', '--umask', '-a', '--arg', '--regex'].includes(inv.args[i - 1] ?? ''));
    return positional.length ? { resource: positional[positional.length - 1] } : null;
  },
  examples: { gated: [['run-parts hooks', 'hooks'], ['run-parts --exit-on-error /etc/cron.daily', '/etc/cron.daily'], ['run-parts --regex x hooks', 'hooks']], allowed: ['run-parts --test hooks', 'run-parts --list /etc/cron.daily'] },
});

export const setPwd = defineRule({
  id: 'shell.pwd',
  severity: 'risky',
  summary: 'Sets PWD by hand: the shell would then tell the guard another folder than the one its commands run in',
  programs: ['*'],
  match(inv) {
    if (!inv.text.includes('PWD')) return null;
    const v = setsVariable(inv, /^PWD$/);
    return v ? { resource: v } : null;
  },
  examples: { gated: [['PWD=/tmp', 'PWD'], ['read PWD', 'PWD'], ['export PWD=/', 'PWD'], ['typeset PWD=/tmp', 'PWD']], allowed: ['echo $PWD', 'cd /tmp', 'ls "$PWD"', 'OLDPWD=/tmp', 'X=$PWD/x'] },
});

const VERSION_OR_HELP = new Set(['-V', '-v', '--version', '-h', '--help', '-?']);

/** Shells that never load the line gate (bash and zsh load it from the terminal's environment). */
const GATELESS_SHELLS = /^(sh|dash|ash|hush|ksh|ksh93|mksh|pdksh|oksh|yash|posh|fish|csh|tcsh)$/;
const REPLS = /^(python[0-9.]*|pypy[0-9.]*|node|nodejs|ruby|irb|perl|php|lua[0-9.]*|luajit|tclsh[0-9.]*|wish[0-9.]*|expect|deno|bun)$/;

/** Whether the command's standard input is given on the line (a pipe, a heredoc, `< file`), not the terminal. */
function stdinGiven(inv: Invocation): boolean {
  return inv.stdin !== undefined || inv.pipeFrom !== undefined || inv.argsFromStdin || inv.redirects.some((r) => (r.fd === undefined || r.fd === '0') && /^(<|<<|<<-|<<<|<>)$/.test(r.op));
}

/** Words that are neither options nor the value of an option that takes one (`-o vi`). */
function operands(args: readonly string[], valued: RegExp): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return [...out, ...args.slice(i + 1)];
    if (/^[-+]/.test(a)) {
      if (valued.test(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** What the program reads its commands from the terminal as, when it does: a shell or a language's prompt. */
function readsTerminal(inv: Invocation): string | undefined {
  const p = inv.program;
  const args = inv.args;
  if (args.some((a) => VERSION_OR_HELP.has(a)) || stdinGiven(inv)) return undefined;
  // Run by a program's code (awk's `print | "sh"`) or split from `env -S`: fed or finished by that program.
  const parent = inv.parent;
  if (parent && (!/^(sudo|doas|su|runuser|nohup|setsid|nice|ionice|timeout|stdbuf|unshare|chroot|sg|flock|env|busybox)$/.test(parent.program) || parent.args.some((a) => /^(-S|--split-string)/.test(a)))) return undefined;
  if (GATELESS_SHELLS.test(p) || p === 'zsh') {
    const rest = args;
    // zsh loads the gate from ZDOTDIR unless it reads no start-up files (-f, --no-rcs, -o no_rcs).
    if (p === 'zsh' && !rest.some((a) => /^-[a-zA-Z]*f[a-zA-Z]*$/.test(a) || /^--no-?rcs$/i.test(a) || /^(no_?rcs)$/i.test(a))) return undefined;
    if (rest.some((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a) || a === '--command')) return undefined;
    const files = operands(rest, /^[-+]o$/);
    if (files.length && !rest.some((a) => /^-[a-zA-Z]*s[a-zA-Z]*$/.test(a))) return undefined;
    return 'a shell without the line gate';
  }
  if (!REPLS.test(p)) return undefined;
  const interactive = args.some((a) => a === '-i' || a === '--interactive' || (p === 'php' && a === '-a'));
  if (p === 'irb' || ((p === 'deno' || p === 'bun') && args[0] === 'repl')) return `${p}'s prompt`;
  if (p === 'deno' || p === 'bun') return args.length ? undefined : `${p}'s prompt`;
  if (p === 'php' && !interactive) return undefined;
  // Code on the line (-c, -e, -m, -r), or a script file: judged by the rules that read it.
  const code = args.some((a) => /^-(c|e|E|m|r|p|-eval|-print)$/.test(a) || /^-[a-zA-Z]*[ce]$/.test(a));
  const files = operands(args, /^-(W|X|I|r|x|Q)$/);
  if (!interactive && (code || files.length)) return undefined;
  return `${p}'s prompt`;
}

export const terminalReader = defineRule({
  id: 'shell.terminal-reader',
  severity: 'risky',
  summary: "Starts a shell without the line gate, or a language's prompt, that reads what is typed next: those lines would not be checked",
  programs: ['*'],
  match(inv) {
    const what = inv.program ? readsTerminal(inv) : undefined;
    return what ? { resource: inv.program, detail: what } : null;
  },
  examples: {
    gated: [['dash', 'dash'], ['sh', 'sh'], ['sh -i', 'sh'], ['zsh -f', 'zsh'], ['zsh --no-rcs', 'zsh'], ['python3', 'python3'], ['python3 -i x.py', 'python3'], ['node', 'node'], ['irb', 'irb'], ['php -a', 'php'], ['busybox sh', 'sh'], ['sudo dash', 'dash'], ['sh -s', 'sh'], ['ksh -o vi', 'ksh']],
    allowed: ['bash', 'zsh', 'zsh -i', "sh -c 'ls'", 'sh build.sh', 'python3 x.py', 'python3 -m http.server', "python3 -c 'print(1)'", 'python3 --version', "node -e '1'", 'node app.js', 'echo ls | sh', 'sh < x.sh', "python3 <<'EOF'\nprint(1)\nEOF", 'perl -ne print x', 'busybox ls'],
  },
});

/** Variables whose value changes what the shell or the gate runs, or where. */
const WATCHED_VARS = /^(PATH|PROMPT_COMMAND|PS[0-4]|PROMPT|RPROMPT|RPS1|BASH_ENV|ENV|IFS|CDPATH|PWD|histchars|HISTCHARS|fpath|FPATH|BASH_ALIASES|BASH_CMDS|aliases|galiases|saliases|commands|options|precmd_functions|preexec_functions|SHELLOPTS|BASHOPTS|AGENT_GUARD_\w*|__agent_guard\w*)$/;

export const nameref = defineRule({
  id: 'shell.nameref',
  severity: 'risky',
  summary: "Makes a name refer to a variable that changes what the shell runs (PATH, PROMPT_COMMAND, histchars…): a later line assigns it without naming it",
  programs: ['declare', 'typeset', 'local', 'export', 'readonly'],
  match(inv) {
    if (!inv.args.some((a) => /^-[a-zA-Z]*n/.test(a))) return null;
    for (const a of inv.args) {
      const m = /^[A-Za-z_]\w*=(.*)$/s.exec(a);
      if (m && (WATCHED_VARS.test(m[1]) || /[$`]/.test(m[1]))) return { resource: m[1] };
    }
    return null;
  },
  examples: {
    gated: [['declare -n ref=histchars', 'histchars'], ['declare -n p=PROMPT_COMMAND', 'PROMPT_COMMAND'], ['typeset -n x=PATH', 'PATH'], ['local -n v=$1', '$1']],
    allowed: ['declare -n ref=config', 'declare -a list=(a b)', 'local x=1'],
  },
});

/**
 * What each builtin that names variables takes: options whose next word is a value, not a name (`values`), or, where
 * only an option's next word names one, those options (`only`). zsh's included: `set -A`, `integer`, `float`,
 * `private`, `sysread`, `getln`, `vared`, `strftime -s`, `zstat -A/-H`, `zparseopts -A/-a` (`strftime -s "$v" 'text' 0`
 * sets any variable to any text).
 */
const NAMING: Record<string, { values: string; only?: string }> = {
  unset: { values: '' },
  declare: { values: '' },
  typeset: { values: '' },
  local: { values: '' },
  export: { values: '' },
  readonly: { values: '' },
  read: { values: 'dinNptuk' },
  readarray: { values: 'dnOsuCc' },
  mapfile: { values: 'dnOsuCc' },
  let: { values: '' },
  printf: { values: '', only: 'v' },
  print: { values: 'CfuxXRr', only: 'v' },
  set: { values: '', only: 'A' },
  integer: { values: '' },
  float: { values: '' },
  private: { values: '' },
  sysread: { values: 'iost' },
  getln: { values: '' },
  vared: { values: 'prMmift' },
  strftime: { values: '', only: 's' },
  zstat: { values: '', only: 'AH' },
  zparseopts: { values: '', only: 'Aa' },
};

/**
 * A parameter expansion that assigns to a variable named at run time: zsh's `${(P)v::=x}` (also `=`, `:=`, and with
 * other flags beside P), bash's `${!v:=x}` (and `=`). `: ${(P)v::=x}` set the gate's own variable by a built name.
 * Every quantifier is bounded: unbounded ones took 3 s on a 50 KB line of `${(PPP…`.
 */
const INDIRECT_ASSIGN = /\$\{(?:\((?=[^)]{0,32}P)[^)]{0,32}\)(?:\$\{[^}]{0,256}\}|[^}$]|\$(?!\{)){0,256}?|![A-Za-z_]\w{0,255}(?:\[[^\]]{0,256}\])?):{0,2}=/;

export const dynamicName = defineRule({
  id: 'shell.dynamic-name',
  severity: 'risky',
  summary: "Sets or removes a variable whose name is only known at run time: the line's text cannot say whether it is one that changes what the shell or the gate runs",
  programs: ['*'],
  match(inv) {
    // In any word of any command: a parameter expansion that assigns to the variable another one names.
    if (inv.text.includes('${')) {
      const m = INDIRECT_ASSIGN.exec(inv.text);
      if (m) return { resource: m[0] };
    }
    const spec = own(NAMING, inv.program);
    if (!spec) return null;
    const words = inv.argWords;
    // `declare -p "$n"` (and export/readonly/typeset -p) only prints.
    if (!spec.values && !spec.only && inv.program !== 'unset' && inv.program !== 'let' && words.some((w) => /^-[A-Za-z]*p/.test(w.text))) return null;
    for (let i = 0; i < words.length; i++) {
      const t = words[i].text;
      if (/^[-+][A-Za-z]+$/.test(t) && !t.startsWith('--')) {
        // `-v NAME` (printf, print) names one; an option that takes a value skips it.
        const letters = t.slice(1);
        if (spec.only && spec.only.includes(letters[letters.length - 1])) {
          const next = words[i + 1];
          if (next && /[$`]/.test(next.text)) return { resource: next.text };
          i++;
        } else if (spec.values && spec.values.includes(letters[letters.length - 1])) i++;
        continue;
      }
      // zparseopts: a spec `f=name` names the array the option goes to.
      if (inv.program === 'zparseopts') {
        if (/=.*[$`]/.test(t)) return { resource: t };
        continue;
      }
      if (spec.only) return null;
      const name = t.split('=')[0];
      if (/[$`]/.test(name) && !(inv.program === 'let' && !/=/.test(t))) return { resource: name };
    }
    return null;
  },
  examples: {
    gated: [[': ${(P)v::=x}', '${(P)v::='], ['echo "${(PA)n=a b}"', '${(PA)n='], ['x=${(P)${w}:=1}', '${(P)${w}:='], [': ${!v:=5}', '${!v:='], ['strftime -s "$v" "rm -rf data" 0', '$v'], ['set -A "$v" a b', '$v'], ['sysread "$v" < f', '$v'], ['integer "$v"=1', '$v'], ['zparseopts -D f=$v', 'f=$v'], ['unset "$n"', '$n'], ['n=x; unset "$n[$w]"', '$n[$w]'], ['declare -gA $v', '$v'], ['printf -v "$n" %s 1', '$n'], ['read -r "$n"', '$n'], ['export "$n"', '$n'], ['declare "$n"=1', '$n'], ['mapfile -t "$a"', '$a'], ['let "$n=1"', '$n']],
    allowed: ['unset x', 'declare -p "$n"', 'declare -g x=$y', 'export PATH="$HOME/bin:$PATH"', 'read -r -p "$prompt" answer', 'printf "%s\\n" "$x"', 'printf -v out %s "$x"', 'local x="$1"', 'let "x=$y+1"', 'mapfile -t lines < "$f"', 'read -u "$fd" line', 'echo ${(P)v}', 'echo ${(P)v:-x}', 'echo ${!v}', 'echo ${!v:-x}', 'echo ${x:=1}', 'echo ${(U)x:=a}', 'echo ${!prefix*}', 'set -A arr "$x" "$y"', 'set -- "$a" "$b"', 'strftime "%F" "$t"', 'strftime -s out "%F" "$t"', 'sysread -t 1 -i "$fd" buf', 'zparseopts -D -E -- f=flag', 'zstat -A info "$f"'],
  },
});
