// Programs that run a command given on their command line somewhere else: in a session, pane or window of their own
// (tmux, byobu, screen, zellij, terminal emulators), once per input or change (GNU parallel, entr), per connection
// (socat's EXEC: and SYSTEM:, ncat -e/-c), as another group (sg), and cmake -E's file commands. What they run is
// judged with the line: words they run as a program (`tmux new -d rm -rf data`), text a shell runs (`tmux new -d
// 'rm -rf data'`), and keys they type into a shell (`tmux send-keys 'rm -rf data' Enter`). The launchers that only
// put a program in front of another (sshpass, dtach, flatpak-spawn, bwrap…) are wrappers (wrappers.ts).

import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';

/** The programs readSessionRunner reads (the shells' quick path must send their lines: install.ts's ALSO_ASK). */
export const SESSION_RUNNERS = ['tmux', 'byobu', 'byobu-tmux', 'screen', 'byobu-screen', 'zellij', 'parallel', 'entr', 'sg', 'socat', 'ncat', 'nc', 'netcat', 'nc.traditional', 'cmake'];

/** Reads what a session runner runs; true when inv is one (its reading is done). */
export function readSessionRunner(inv: Invocation, host: LauncherHost): boolean {
  const p = inv.program;
  if (p === 'tmux' || p === 'byobu' || p === 'byobu-tmux') return tmux(inv, host, 0);
  if (p === 'screen' || p === 'byobu-screen') return screen(inv, host);
  if (p === 'zellij') return zellij(inv, host);
  if (p === 'parallel') return parallel(inv, host);
  if (p === 'entr') return entr(inv, host);
  if (p === 'sg') return sg(inv, host);
  if (p === 'socat') return socat(inv, host);
  if (p === 'ncat' || p === 'nc' || p === 'netcat' || p === 'nc.traditional') return ncat(inv, host);
  if (p === 'cmake' && inv.args[0] === '-E') return cmakeE(inv, host);
  if (TERMINALS[p]) return terminal(inv, host, TERMINALS[p]);
  return false;
}

/** Words from FROM run as a program, or, when only one word is left, the text a shell runs (tmux, xterm -e). */
function wordsOrScript(inv: Invocation, host: LauncherHost, from: number): void {
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
  'command-prompt': { values: 'Iptk', rest: 'tmux' },
  'display-menu': { values: 'bcHsStTxy', rest: 'menu' },
  'source-file': { values: 't', rest: 'source' },
};
const TMUX_ALIASES: Record<string, string> = {
  new: 'new-session', neww: 'new-window', splitw: 'split-window', respawnp: 'respawn-pane', respawnw: 'respawn-window',
  popup: 'display-popup', pipep: 'pipe-pane', run: 'run-shell', send: 'send-keys', if: 'if-shell', set: 'set-option',
  setw: 'set-window-option', bind: 'bind-key', confirm: 'confirm-before', menu: 'display-menu', source: 'source-file',
};
const TMUX_GLOBAL_VALUES = 'cfLST';

/**
 * A tmux command line: global options (`-c` runs a shell command), then commands separated by `;` words. A command's
 * rest is a program and its words, or one word a shell runs; send-keys types its keys; if-shell runs its first word
 * and then tmux commands; hooks, bindings, menus and prompts hold tmux commands run later (judged now);
 * default-command and default-shell are what every new pane runs.
 */
function tmux(inv: Invocation, host: LauncherHost, start: number): boolean {
  const a = inv.args;
  let i = start;
  if (start === 0) {
    for (; i < a.length && a[i].startsWith('-') && a[i] !== '-'; i++) {
      if (a[i] === '--') {
        i++;
        break;
      }
      const last = a[i][a[i].length - 1];
      if (TMUX_GLOBAL_VALUES.includes(last) && a[i].length >= 2) {
        const value = a[i + 1];
        if (last === 'c' && value !== undefined) host.script(value, inv);
        if (last === 'f' && value !== undefined) tmuxFile(value, inv, host);
        i++;
      }
    }
  }
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
    const name = TMUX_ALIASES[words[0]] ?? Object.keys(TMUX).find((k) => k === words[0] || (words[0].length >= 3 && k.startsWith(words[0])));
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
      else if (cut) host.script(rest.map(quoteTmux).join(' '), inv);
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
      if (/^(default-command|default-shell)$/.test(rest[0]) && rest[1] !== undefined) host.script(rest[1], inv);
      else if (/^(after-|before-|pane-|session-|window-|client-|alert-|command-error)/.test(rest[0]) && rest[1] !== undefined) tmuxLine(rest[1], inv, host);
      return;
    case 'bind':
      // `bind-key KEY command…`.
      return void tmuxLine(rest.slice(1).map(quoteTmux).join(' '), inv, host);
    case 'menu':
      // A menu's items: name, key, command.
      for (let k = 2; k < rest.length; k += 3) tmuxLine(rest[k], inv, host);
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
function typing(inv: Invocation, host: LauncherHost): void {
  host.error(`${inv.program} types keys into another terminal, where what they complete cannot be seen`);
}

/** A tmux configuration file's commands (source-file, -f), read bounded. */
function tmuxFile(file: string, inv: Invocation, host: LauncherHost): void {
  const text = host.file(inv, file, 'runs the tmux commands of');
  if (text === undefined) return;
  for (const line of text.split('\n')) if (line.trim() && !line.trim().startsWith('#')) tmuxLine(line, inv, host);
}

/** W as one shell word. */
function quoteTmux(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** A tmux command given as one string (a hook, binding, `if-shell`'s commands): read as `tmux STRING` would be. */
function tmuxLine(text: string, inv: Invocation, host: LauncherHost): void {
  host.script(`tmux -- ${text}`, inv);
}

/** The options of screen that take a value, as single letters (`-S name`, `-dmS name`). */
const SCREEN_VALUES = 'cehpSstT';

/**
 * screen: a program and its words after the options runs in a new window; `-X CMD…` sends a command to a running
 * session: `stuff TEXT` types TEXT (^M and \n end lines), `exec` and `screen` run a program, `eval` runs commands.
 */
function screen(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  // Attaching (-r, -x, -R, or -d/-D without -m) takes a session's name first.
  let sessionName = false;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (/^-[A-Za-z]*X$/.test(w)) {
      screenCommand(a.slice(i + 1), inv, host);
      return true;
    }
    if (w.startsWith('-') && w.length > 1) {
      if (/^-(ls|list|wipe|version|v)$/.test(w)) return true;
      if (/^-[A-Za-z]+$/.test(w) && /[rxR]|^-[^m]*[dD][^m]*$/.test(w)) sessionName = true;
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

function screenCommand(words: string[], inv: Invocation, host: LauncherHost): void {
  const [cmd, ...rest] = words;
  if (cmd === 'stuff' && rest.length) {
    typing(inv, host);
    host.script(rest.join(' ').replace(/\^[Mm]|\^[Jj]|\\n|\\r|\\015|\\012/g, '\n'), inv);
  } else if (cmd === 'exec' && rest.length) {
    const program = /^[.!:|]+$/.test(rest[0]) ? rest.slice(1) : rest;
    if (program.length) host.script(program.length === 1 ? program[0] : program.map(quoteTmux).join(' '), inv);
  } else if (cmd === 'screen' && rest.length) {
    let k = 0;
    for (; k < rest.length && rest[k].startsWith('-'); k++) if (/^-[thTM]$/.test(rest[k])) k++;
    if (/^\d+$/.test(rest[k] ?? '')) k++;
    const program = rest.slice(k);
    if (program.length) host.script(program.length === 1 ? program[0] : program.map(quoteTmux).join(' '), inv);
  } else if (cmd === 'eval') {
    for (const c of rest) screenCommand(c.trim().split(/\s+/), inv, host);
  }
}

const ZELLIJ_GLOBAL_VALUES = new Set(['-s', '--session', '-l', '--layout', '-c', '--config', '--config-dir', '--data-dir', '--max-panes', '-n', '--new-session-with-layout']);
const ZELLIJ_RUN_VALUES = new Set(['-d', '--direction', '--cwd', '-n', '--name', '--width', '--height', '-x', '-y', '--pinned', '--plugin', '--configuration']);

/** zellij: `run` and `action new-pane` run a program in a new pane; `action write-chars` types text into the pane. */
function zellij(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let i = 0;
  for (; i < a.length && a[i].startsWith('-'); i++) if (ZELLIJ_GLOBAL_VALUES.has(a[i])) i++;
  let sub = a[i];
  if (sub === 'action' || sub === 'ac') {
    i++;
    sub = a[i];
    if (sub === 'write-chars' || sub === 'write') {
      typing(inv, host);
      const text = sub === 'write' ? a.slice(i + 1).map((b) => String.fromCharCode(Number(b) || 0)).join('') : a.slice(i + 1).join(' ');
      host.script(text, inv);
      return true;
    }
    if (sub !== 'new-pane' && sub !== 'new-tab') return true;
  } else if (sub !== 'run' && sub !== 'r') return true;
  for (i++; i < a.length; i++) {
    if (a[i] === '--') {
      i++;
      break;
    }
    if (!a[i].startsWith('-')) break;
    if (ZELLIJ_RUN_VALUES.has(a[i])) i++;
  }
  wordsOrScript(inv, host, i);
  return true;
}

/** GNU parallel's options that take a value (a value attached, `-j4` or `--jobs=4`, needs no skip). */
const PARALLEL_VALUES = new Set(['-j', '--jobs', '-P', '--max-procs', '-S', '--sshlogin', '--slf', '--sshloginfile', '-a', '--arg-file', '--arg-file-sep', '--arg-sep', '-d', '--delimiter', '-E', '--eof', '-I', '--replace', '-N', '--max-args', '-n', '-L', '--max-lines', '-l', '--colsep', '-C', '--env', '--joblog', '--results', '--res', '--tmpdir', '--workdir', '--wd', '--delay', '--timeout', '--retries', '--halt', '--tagstring', '--tag-string', '--rpl', '--basefile', '--bf', '--return', '--transferfile', '--tf', '--limit', '--load', '--memfree', '--nice', '--header', '--block', '--blocksize', '--recend', '--recstart', '--sqlmaster', '--sqlworker', '--sqlandworker', '--semaphorename', '--id', '--termseq', '--ssh', '--sshdelay', '--shebang', '-s', '--max-chars', '--sql', '--profile', '-J']);
const PARALLEL_INPUTS = /^(:::|::::|:::\+|::::\+)$/;

/**
 * GNU parallel runs its command through a shell once per input: `parallel rm -rf ::: data`, `parallel 'rm -rf {}'
 * ::: data`, and with no command, each input is a command (`parallel ::: 'rm -rf data'`). The inputs replace {} (and
 * {.}, {/}…) or are added at the end; from standard input, the command is judged with what the line shows.
 */
function parallel(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let i = 0;
  for (; i < a.length && a[i].startsWith('-') && a[i].length > 1 && !PARALLEL_INPUTS.test(a[i]); i++) {
    if (a[i] === '--') {
      i++;
      break;
    }
    if (PARALLEL_VALUES.has(a[i])) i++;
  }
  const inputsAt = a.findIndex((w, k) => k >= i && PARALLEL_INPUTS.test(w));
  const command = a.slice(i, inputsAt < 0 ? a.length : inputsAt);
  const inputs = inputsAt < 0 ? [] : a.slice(inputsAt + 1).filter((w) => !PARALLEL_INPUTS.test(w));
  if (!command.length) {
    for (const input of inputs) host.script(input, inv);
    return true;
  }
  const template = command.join(' ');
  const placeholder = /\{(\d*[./#%]*|\/\/|\/\.|\.\.)?\}/g;
  const takes = new RegExp(placeholder.source).test(template);
  // Without ::: the inputs come from standard input or a file: words the line does not show.
  for (const input of inputs.length ? inputs.slice(0, 16).map(quoteTmux) : ['$(cat)']) host.script(takes ? template.replace(placeholder, () => input) : `${template} ${input}`, inv);
  return true;
}

/** entr runs its utility and words when a file changes; with -s, its one word is a script for the shell. */
function entr(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let i = 0;
  let shell = false;
  for (; i < a.length && a[i].startsWith('-') && a[i].length > 1; i++) {
    if (a[i] === '--') {
      i++;
      break;
    }
    if (a[i].includes('s')) shell = true;
  }
  if (i >= a.length) return true;
  if (shell) host.script(a[i], inv);
  else host.runWords(inv, i);
  return true;
}

/** sg GROUP [-c] COMMAND: the command, one string for /bin/sh (words given apart are joined). */
function sg(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let i = a[0] === '-' ? 1 : 0;
  i++;
  if (a[i] === '-c') i++;
  if (i < a.length) host.script(a.slice(i).join(' '), inv);
  return true;
}

/**
 * socat's addresses that run a program: EXEC:cmd (its words) and SYSTEM:cmd or SHELL:cmd (a shell runs it), written
 * in any case, in either address or a dual one (`A!!B`); the address options after a comma are not the command.
 */
function socat(inv: Invocation, host: LauncherHost): boolean {
  for (const arg of inv.args) {
    for (const part of arg.split('!!')) {
      const m = /^(exec|system|shell):(.*)$/is.exec(part);
      if (!m) continue;
      host.script(m[2].replace(/(,[A-Za-z][\w-]*(=[^,]*)?)+$/, ''), inv);
    }
  }
  return true;
}

/** ncat's -e/--exec (a program and its words) and -c/--sh-exec (a shell runs it), as in netcat's traditional -e and -c. */
function ncat(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    const attached = /^--(exec|sh-exec|lua-exec)=(.*)$/s.exec(w);
    if (attached) host.script(attached[2], inv);
    else if (/^(-e|-c|--exec|--sh-exec)$/.test(w) && a[i + 1] !== undefined) host.script(a[++i], inv);
    else if (/^-[A-Za-z]*[ec]$/.test(w) && !w.startsWith('--') && a[i + 1] !== undefined) host.script(a[++i], inv);
  }
  return true;
}

/** cmake -E's commands that do what a program does, as that program and the options it implies. */
const CMAKE_E: Record<string, [string, ...string[]]> = {
  rm: ['rm'], remove: ['rm', '-f'], remove_directory: ['rm', '-rf'], rename: ['mv'], copy: ['cp'], copy_if_different: ['cp'],
  copy_directory: ['cp', '-r'], copy_directory_if_different: ['cp', '-r'], create_symlink: ['ln', '-s'], create_hardlink: ['ln'],
  make_directory: ['mkdir', '-p'], touch: ['touch'], touch_nocreate: ['touch', '-c'], tar: ['tar'], cat: ['cat'], env: ['env'], time: ['time'],
};

/** cmake -E CMD: its file commands judged as the programs they stand for; `chdir DIR cmd…` runs cmd in DIR. */
function cmakeE(inv: Invocation, host: LauncherHost): boolean {
  const cmd = inv.args[1];
  if (cmd === 'chdir' && inv.args.length > 3) {
    host.script(`cd ${quoteTmux(inv.args[2])} && ${inv.args.slice(3).map(quoteTmux).join(' ')}`, inv);
    return true;
  }
  const as = cmd !== undefined ? CMAKE_E[cmd] : undefined;
  if (as) host.runWords(inv, 1, { as: { program: as[0], args: as.slice(1) } });
  return true;
}

/**
 * Terminal emulators: after OPTIONS (each one that runs the rest: `-e`, `-x`, `--`), the rest is a program and its
 * words, or one word a shell runs; `--command=TEXT` is such a text; programs that take the command as their first
 * word after their own options (kitty, foot, st's -e) skip the options in VALUES.
 */
interface TerminalSpec {
  rest: string[];
  values?: string[];
  positional?: boolean;
}
const XTERM: TerminalSpec = { rest: ['-e'] };
const GNOME: TerminalSpec = { rest: ['--', '-x', '--execute', '-e', '--command'] };
export const TERMINALS: Record<string, TerminalSpec> = {
  xterm: XTERM, uxterm: XTERM, urxvt: XTERM, rxvt: XTERM, 'rxvt-unicode': XTERM, st: XTERM, aterm: XTERM, eterm: XTERM, konsole: XTERM,
  'x-terminal-emulator': XTERM, qterminal: XTERM, terminology: XTERM, cool_retro_term: XTERM, sakura: XTERM, roxterm: GNOME,
  'gnome-terminal': GNOME, 'mate-terminal': GNOME, 'xfce4-terminal': GNOME, terminator: GNOME, tilix: GNOME, lxterminal: GNOME, guake: GNOME, kgx: GNOME, ptyxis: GNOME,
  alacritty: { rest: ['-e', '--command'] },
  wezterm: { rest: ['--'] },
  kitty: { rest: ['--'], positional: true, values: ['-c', '--config', '-o', '--override', '--class', '--name', '-T', '--title', '-d', '--directory', '--working-directory', '--session', '--start-as', '--listen-on', '--position', '--os-window-tag', '--instance-group', '--watcher', '--grab-keyboard'] },
  foot: { rest: ['--'], positional: true, values: ['-c', '--config', '-o', '--override', '-f', '--font', '-t', '--term', '-T', '--title', '-a', '--app-id', '-w', '--window-size-pixels', '-W', '--window-size-chars', '-D', '--working-directory', '-s', '--server', '-l', '--log-level', '-L', '--log-colorize', '-d', '--log-level'] },
};

function terminal(inv: Invocation, host: LauncherHost, spec: TerminalSpec): boolean {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    const attached = /^--(command|execute)=(.*)$/s.exec(w);
    if (attached) {
      host.script(attached[2], inv);
      return true;
    }
    if (spec.rest.includes(w)) {
      wordsOrScript(inv, host, i + 1);
      return true;
    }
    if (spec.values?.includes(w)) i++;
    else if (spec.positional && !w.startsWith('-')) {
      wordsOrScript(inv, host, i);
      return true;
    }
  }
  return true;
}
