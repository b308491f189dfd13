// Terminal multiplexers: what tmux (and byobu) and screen run in a session, pane or window of their own,
// what their hooks, bindings, configuration files and formats run later, and the keys they type into another
// terminal. Read for src/core/parse/sessionRunners.ts, which also takes the helpers shared by its other readers.

import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';
import { own } from '../own';
import { shellQuote } from './shellQuote';
import { tmuxAsShell } from './tmuxWords';

/** Words from FROM run as a program, or, when only one word is left, the text a shell runs (tmux, xterm -e). */
export function wordsOrScript(inv: Invocation, host: LauncherHost, from: number): void {
  if (from >= inv.args.length) return;
  if (from === inv.args.length - 1) host.script(inv.args[from], inv);
  else host.runWords(inv, from);
}

/**
 * Keys typed into whatever a pane runs, as text: key names that end a line (Enter, C-m, C-j, KPEnter) are a newline,
 * Space and Tab themselves, other key names (C-c, Escape, Up) end the text typed so far as a line would.
 */
function typedText(keys: string[], literal: boolean): string {
  if (literal) return keys.join('');
  return keys
    .map((k) => {
      if (/^(Enter|C-m|C-j|KPEnter|\^M|\^J)$/i.test(k)) return '\n';
      if (/^Space$/i.test(k)) return ' ';
      if (/^Tab$/i.test(k)) return '\t';
      if (/^([CMS]-.+|Escape|Up|Down|Left|Right|Home|End|BSpace|BTab|DC|IC|NPage|PPage|PageUp|PageDown|F\d+)$/.test(k)) return '\n';
      return k;
    })
    .join('');
}

// tmux: its commands, aliases, the options that take a value, and how the rest is read.
type TmuxRest = 'command' | 'keys' | 'if' | 'tmux' | 'hook' | 'option' | 'bind' | 'menu' | 'source';
const TMUX: Record<string, { values: string; rest: TmuxRest }> = {
  'new-session': { values: 'cefnstxyF', rest: 'command' },
  'new-window': { values: 'cenFt', rest: 'command' },
  'split-window': { values: 'celptF', rest: 'command' },
  'respawn-pane': { values: 'cet', rest: 'command' },
  'respawn-window': { values: 'cet', rest: 'command' },
  'display-popup': { values: 'bcdehsStTwxy', rest: 'command' },
  'pipe-pane': { values: 't', rest: 'command' },
  'run-shell': { values: 'cdt', rest: 'command' },
  'send-keys': { values: 'Nt', rest: 'keys' },
  'if-shell': { values: 't', rest: 'if' },
  'set-hook': { values: 't', rest: 'hook' },
  'set-option': { values: 't', rest: 'option' },
  'set-window-option': { values: 't', rest: 'option' },
  'bind-key': { values: 'NTt', rest: 'bind' },
  'confirm-before': { values: 'cpt', rest: 'tmux' },
  'command-prompt': { values: 'IptT', rest: 'tmux' },
  'display-menu': { values: 'bcCHsStTxy', rest: 'menu' },
  'source-file': { values: 't', rest: 'source' },
  // Templates: a tmux command run with the item the person picks.
  'choose-tree': { values: 'FfKOt', rest: 'tmux' },
  'choose-client': { values: 'FfKOt', rest: 'tmux' },
  'choose-buffer': { values: 'FfKOt', rest: 'tmux' },
  'customize-mode': { values: 'Fft', rest: 'tmux' },
  'display-panes': { values: 'dt', rest: 'tmux' },
};
const TMUX_ALIASES: Record<string, string> = {
  new: 'new-session', neww: 'new-window', splitw: 'split-window', respawnp: 'respawn-pane', respawnw: 'respawn-window',
  popup: 'display-popup', pipep: 'pipe-pane', run: 'run-shell', send: 'send-keys', if: 'if-shell', set: 'set-option',
  setw: 'set-window-option', bind: 'bind-key', confirm: 'confirm-before', menu: 'display-menu', source: 'source-file', displayp: 'display-panes',
};
const TMUX_GLOBAL_VALUES = 'cfLST';

/**
 * A tmux command line: global options (`-c` runs a shell command), then commands separated by `;` words. A command's
 * rest is a program and its words, or one word a shell runs; send-keys types its keys; if-shell runs its first word
 * and then tmux commands; hooks, bindings, menus and prompts hold tmux commands run later (judged now);
 * default-command and default-shell are what every new pane runs.
 */
export function tmux(inv: Invocation, host: LauncherHost, start: number): boolean {
  const a = inv.args;
  let i = start;
  if (start === 0) {
    // A server it starts reads the person's configuration, found through these variables.
    if (['XDG_CONFIG_HOME', 'HOME'].some((n) => inv.env[n] !== undefined || inv.vars?.of(n).length)) host.error(`${inv.program} reads a configuration file the line points elsewhere (XDG_CONFIG_HOME, HOME)`);
    let control = false;
    for (; i < a.length && a[i].startsWith('-') && a[i] !== '-'; i++) {
      if (a[i] === '--') {
        i++;
        break;
      }
      // A cluster of flags, the last of them perhaps taking a value attached (`-c'cmd'`, `-ft.conf`, `-LS`) or next.
      for (let c = 1; c < a[i].length; c++) {
        const f = a[i][c];
        if (f === 'C') control = true;
        if (!TMUX_GLOBAL_VALUES.includes(f)) continue;
        const value = c + 1 < a[i].length ? a[i].slice(c + 1) : a[++i];
        if (f === 'c' && value !== undefined) host.script(value, inv);
        if (f === 'f' && value !== undefined) tmuxFile(value, inv, host);
        break;
      }
    }
    // Control mode: tmux commands read from standard input.
    if (control) {
      const fed = host.fed(inv);
      if (fed !== undefined) for (const line of fed.split('\n')) if (line.trim()) tmuxLine(line, inv, host);
      else if (inv.pipeFrom || inv.stdin === undefined) host.error(`${inv.program} -C reads tmux commands the line does not show`);
    }
  }
  // A format's #(…) runs a shell command wherever a format is read (display -p, -F, status lines, names).
  for (const w of a.slice(i)) for (const m of w.matchAll(/#\(((?:[^()]|\([^()]*\))*)\)/g)) host.script(m[1], inv);
  while (i < a.length) {
    if (a[i] === ';') {
      i++;
      continue;
    }
    // One command: its name, options, and words up to a `;` word, or through a word ending in an unescaped `;`.
    let end = i;
    while (end < a.length && a[end] !== ';' && !(end > i && /[^\\];$/.test(a[end]))) end++;
    const through = end < a.length && a[end] !== ';' ? end + 1 : end;
    const words = a.slice(i, through);
    const cut = through > end;
    if (cut) words[words.length - 1] = words[words.length - 1].slice(0, -1);
    // tmux takes any unambiguous prefix of a command's name (`ru` is run-shell): any prefix of one read here is read.
    const name = own(TMUX_ALIASES, words[0]) ?? Object.keys(TMUX).find((k) => k.startsWith(words[0]));
    if (name) tmuxCommand(inv, host, name, words.slice(1), i + 1, cut);
    i = through < a.length && a[through] === ';' ? through + 1 : through;
  }
  return true;
}

/** One tmux command NAME with its WORDS (the first at FROM in inv.args; CUT: the last lost the `;` that ended it). */
function tmuxCommand(inv: Invocation, host: LauncherHost, name: string, words: string[], from: number, cut: boolean): void {
  const spec = TMUX[name];
  let i = 0;
  const flags = new Set<string>();
  for (; i < words.length && words[i].startsWith('-') && words[i].length > 1; i++) {
    if (words[i] === '--') {
      i++;
      break;
    }
    for (let c = 1; c < words[i].length; c++) {
      const f = words[i][c];
      flags.add(f);
      if (spec.values.includes(f)) {
        if (c === words[i].length - 1) i++;
        break;
      }
    }
  }
  const rest = words.slice(i);
  if (!rest.length) return;
  switch (spec.rest) {
    case 'command':
      // run-shell -C: its word is a tmux command.
      if (name === 'run-shell' && flags.has('C')) return void rest.forEach((c) => tmuxLine(c, inv, host));
      // One word is a shell's; more are a program and its words.
      if (rest.length === 1) host.script(rest[0], inv);
      else if (cut) host.script(rest.map(shellQuote).join(' '), inv);
      else host.runWords(inv, from + i, { to: from + words.length });
      return;
    case 'source':
      return void rest.forEach((f) => tmuxFile(f, inv, host));
    case 'keys':
      if (flags.has('X')) return;
      typing(inv, host);
      return host.script(typedText(flags.has('H') ? rest.map((h) => String.fromCharCode(parseInt(h, 16) || 0)) : rest, flags.has('l') || flags.has('H')), inv);
    case 'if':
      if (!flags.has('F')) host.script(rest[0], inv);
      return void rest.slice(1).forEach((c) => tmuxLine(c, inv, host));
    case 'hook':
      return void rest.slice(1).forEach((c) => tmuxLine(c, inv, host));
    case 'option':
      // The person's own shell (`"$SHELL"`) is what new panes run anyway.
      if (/^(default-command|default-shell)$/.test(rest[0]) && rest[1] !== undefined && !/^\$\{?SHELL\}?$/.test(rest[1])) host.script(rest[1], inv);
      else if (/^(after-|before-|pane-|session-|window-|client-|alert-|command-error)/.test(rest[0]) && rest[1] !== undefined) tmuxLine(rest[1], inv, host);
      return;
    case 'bind':
      // `bind-key KEY command…`.
      return void tmuxLine(rest.slice(1).map(shellQuote).join(' '), inv, host);
    case 'menu':
      // A menu's items: name, key, command; an empty name is a separator, with no key or command.
      for (let k = 0; k < rest.length; k += rest[k] === '' ? 1 : 3) if (rest[k] !== '' && rest[k + 2] !== undefined) tmuxLine(rest[k + 2], inv, host);
      return;
    case 'tmux':
      return void rest.forEach((c) => tmuxLine(c, inv, host));
  }
}

/**
 * Keys typed into another terminal: what they complete depends on what was typed there before (an earlier send-keys
 * can type `r` and this one `m -rf data` and Enter), which the line does not show. The text is judged, and the line
 * is not understood (held in production and staging).
 */
export function typing(inv: Invocation, host: LauncherHost): void {
  host.error(`${inv.program} types keys into another terminal, where what they complete cannot be seen`);
}

/** A tmux configuration file's commands (source-file, -f), read bounded. */
function tmuxFile(file: string, inv: Invocation, host: LauncherHost): void {
  if (/[*?[]/.test(file)) return host.error(`${inv.program} reads tmux commands from files a pattern names (${file})`);
  const text = host.file(inv, file, 'runs the tmux commands of');
  if (text === undefined) return;
  for (const line of text.split('\n')) if (line.trim() && !line.trim().startsWith('#')) tmuxLine(line, inv, host);
}

/** A tmux command given as one string (a hook, binding, `if-shell`'s commands): read as `tmux STRING` would be. */
function tmuxLine(text: string, inv: Invocation, host: LauncherHost): void {
  host.script(`tmux -- ${tmuxAsShell(text)}`, inv);
}

/** The options of screen that take a value, as single letters (`-S name`, `-dmS name`). */
const SCREEN_VALUES = 'cehpSstT';

/**
 * screen: a program and its words after the options runs in a new window; `-X CMD…` sends a command to a running
 * session: `stuff TEXT` types TEXT (^M and \n end lines), `exec` and `screen` run a program, `eval` runs commands.
 */
export function screen(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  // Attaching (-r, -x, -R, or -d/-D without -m anywhere) takes a session's name first.
  // Its options are those before the first word that is not one (nor an option's value).
  const options: string[] = [];
  for (let k = 0; k < a.length && a[k].startsWith('-'); k++) {
    options.push(a[k]);
    if (/^-(Logfile|logfile)$/.test(a[k]) || (/^-[A-Za-z]+$/.test(a[k]) && SCREEN_VALUES.includes(a[k][a[k].length - 1]) && !/^-(ls|list|wipe)$/.test(a[k]))) k++;
  }
  const clusters = options.filter((w) => /^-[A-Za-z]+$/.test(w) && !/^-(ls|list|wipe|version|Logfile|logfile)$/.test(w)).join('');
  let sessionName = /[rxR]/.test(clusters) || (/[dD]/.test(clusters) && !clusters.includes('m'));
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (/^-[A-Za-z]*X$/.test(w)) {
      screenCommand(a.slice(i + 1), inv, host);
      return true;
    }
    if (w.startsWith('-') && w.length > 1) {
      if (/^-(ls|list|wipe|version|v)$/.test(w)) return true;
      // The log file a session writes, and the configuration it reads (screen commands).
      if (/^-(Logfile|logfile)$/.test(w) && a[i + 1] !== undefined) host.script(`touch -- ${shellQuote(a[i + 1])}`, inv);
      if (/^-[A-Za-z]*c$/.test(w) && a[i + 1] !== undefined) screenFile(a[i + 1], inv, host);
      if (/^-(Logfile|logfile)$/.test(w) || (/^-[A-Za-z]+$/.test(w) && SCREEN_VALUES.includes(w[w.length - 1]))) i++;
      continue;
    }
    if (sessionName) {
      sessionName = false;
      continue;
    }
    wordsOrScript(inv, host, i);
    return true;
  }
  return true;
}

/** A file of screen commands (-c, `source`), read bounded, each line read as a command. */
function screenFile(file: string, inv: Invocation, host: LauncherHost): void {
  const text = host.file(inv, file, 'runs the screen commands of');
  if (text !== undefined) for (const line of text.split('\n')) if (line.trim() && !line.trim().startsWith('#')) screenCommand(shellWords(line), inv, host);
}

/** A line split into words at blanks, quotes removed (screen's and tmux's own command lines). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function screenCommand(words: string[], inv: Invocation, host: LauncherHost): void {
  const [cmd, ...rest] = words;
  if (cmd === 'stuff' && rest.length) {
    typing(inv, host);
    host.script(rest.join(' ').replace(/\^[Mm]|\^[Jj]|\\n|\\r|\\015|\\012/g, '\n'), inv);
  } else if (cmd === 'exec' && rest.length) {
    const program = /^[.!:|]+$/.test(rest[0]) ? rest.slice(1) : rest;
    if (program.length) host.script(program.length === 1 ? program[0] : program.map(shellQuote).join(' '), inv);
  } else if (cmd === 'screen' && rest.length) {
    let k = 0;
    for (; k < rest.length && rest[k].startsWith('-'); k++) if (/^-[thTM]$/.test(rest[k])) k++;
    if (/^\d+$/.test(rest[k] ?? '')) k++;
    const program = rest.slice(k);
    if (program.length) host.script(program.length === 1 ? program[0] : program.map(shellQuote).join(' '), inv);
  } else if (cmd === 'eval') {
    for (const c of rest) screenCommand(shellWords(c), inv, host);
  } else if (cmd === 'at' && rest.length > 1) {
    // `at WINDOW command…`: the command, in each window it names.
    screenCommand(rest.slice(1), inv, host);
  } else if ((cmd === 'source' || cmd === 'readreg' || cmd === 'readbuf') && rest.length) {
    if (cmd === 'source') screenFile(rest[rest.length - 1], inv, host);
  } else if (/^(hardcopy|writebuf|log|logfile|bufferfile|hardcopydir)$/.test(cmd ?? '') && rest.length) {
    // Files a session writes: what they name is judged as written (hardcopy and writebuf replace it).
    const file = rest.filter((w) => !w.startsWith('-') && !/^(on|off)$/.test(w)).pop();
    if (file !== undefined) host.script(`${/^(hardcopy|writebuf)$/.test(cmd) ? ': >' : 'touch --'} ${shellQuote(file)}`, inv);
  }
}
