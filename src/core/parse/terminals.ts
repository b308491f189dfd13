// Terminal emulators: the program a new window runs (`xterm -e`, `gnome-terminal --`, `kitty CMD`), and what WezTerm
// and kitty run or type through their own command lines: `wezterm start|connect|ssh|record`, `wezterm cli spawn|
// split-pane|send-text`, `kitty @ launch|run|send-text|send-key|action`, `kitten @ …`, `kitty +runpy|+launch|+hold`.
// Their configuration runs programs too (kitty's `shell`, `map`, tab title templates; WezTerm's Lua): configuration
// given on the line is judged when its value can only be a plain setting, and is not understood otherwise.

import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';
import { typing, wordsOrScript } from './multiplexers';
import { own } from '../own';
import { shellQuote } from './shellQuote';

/**
 * After OPTIONS (each one that runs the rest: `-e`, `-x`, `--`), the rest is a program and its words, or one word a
 * shell runs; `--command=TEXT` is such a text; programs that take the command as their first word after their own
 * options (foot, st's -e) skip the options in VALUES.
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
  foot: { rest: ['--'], positional: true, values: ['-c', '--config', '-o', '--override', '-f', '--font', '-t', '--term', '-T', '--title', '-a', '--app-id', '-w', '--window-size-pixels', '-W', '--window-size-chars', '-D', '--working-directory', '-s', '--server', '-l', '--log-level', '-L', '--log-colorize', '-d', '--log-level'] },
};

/** The terminals read here, with the shells' quick path asking about them (install.ts's ALSO_ASK). */
export const TERMINAL_PROGRAMS = [...Object.keys(TERMINALS), 'wezterm', 'kitty', 'kitten'];

/** Reads what a terminal emulator runs; true when inv is one. */
export function readTerminal(inv: Invocation, host: LauncherHost): boolean {
  if (inv.program === 'wezterm') return wezterm(inv, host);
  if (inv.program === 'kitty') return kitty(inv, host, 0);
  if (inv.program === 'kitten') return kitten(inv, host, 0);
  const spec = own(TERMINALS, inv.program);
  return spec ? terminal(inv, host, spec) : false;
}

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

/** A command line's options: which take a value, which are flags; any other is not understood. */
interface Options {
  values: string[];
  flags: string[];
  stops?: string[];
}

/**
 * The options of inv's words from FROM up to the first operand (or `--`): each handed to SEEN with its value; the
 * index of that operand. An option neither list names is not understood (its value could be the program).
 */
function options(inv: Invocation, host: LauncherHost, from: number, spec: Options, seen: (name: string, value: string | undefined) => void = () => {}): number {
  const a = inv.args;
  let i = from;
  for (; i < a.length && a[i].startsWith('-') && a[i] !== '-'; i++) {
    if (a[i] === '--') return i + 1;
    // A subcommand written as an option (`wezterm -e` is `wezterm start`).
    if (spec.stops?.includes(a[i])) return i;
    const eq = a[i].startsWith('--') ? a[i].indexOf('=') : -1;
    const name = eq > 0 ? a[i].slice(0, eq) : a[i];
    if (spec.values.includes(name)) seen(name, eq > 0 ? a[i].slice(eq + 1) : a[++i]);
    else if (spec.flags.includes(name)) seen(name, undefined);
    else host.error(`${inv.program} has an option the gate does not know (${name}), whose value may be the program it runs`);
  }
  return i;
}

/** Runs inv's words from FROM as a program and its words (nothing when none are left). */
function runFrom(inv: Invocation, host: LauncherHost, from: number): void {
  if (from < inv.args.length) host.runWords(inv, from);
}

/** Variables that point a terminal at configuration the line does not show. */
function configElsewhere(inv: Invocation, host: LauncherHost, names: string[]): void {
  const set = names.filter((n) => inv.env[n] !== undefined || inv.vars?.of(n).length);
  if (set.length) host.error(`${inv.program} reads a configuration the line points elsewhere (${set.join(', ')})`);
}

const WEZTERM_START: Options = { values: ['--cwd', '--class', '--workspace', '--position', '--domain'], flags: ['--no-auto-connect', '--always-new-process', '--new-tab', '--attach', '-h', '--help'] };
const WEZTERM_CONNECT: Options = { values: ['--class', '--workspace', '--position'], flags: ['--new-tab', '-h', '--help'] };
const WEZTERM_SSH: Options = { values: ['-o', '--ssh-option', '--class', '--position'], flags: ['-v', '-h', '--help'] };
const WEZTERM_RECORD: Options = { values: ['--cwd', '-o', '--outfile'], flags: ['-h', '--help'] };
const WEZTERM_SPAWN: Options = { values: ['--pane-id', '--domain-name', '--window-id', '--cwd', '--workspace'], flags: ['--new-window', '-h', '--help'] };
const WEZTERM_SPLIT: Options = { values: ['--pane-id', '--cells', '--percent', '--cwd', '--move-pane-id'], flags: ['--horizontal', '--left', '--right', '--top', '--bottom', '--top-level', '-h', '--help'] };
const WEZTERM_SEND_TEXT: Options = { values: ['--pane-id'], flags: ['--no-paste', '-h', '--help'] };

/** A configuration value that is only a setting (a number, a boolean, a plain string): WezTerm reads it as Lua. */
const PLAIN_SETTING = /^[A-Za-z_]\w*=\s*(-?\d+(\.\d+)?|true|false|"[^"\\]*"|'[^'\\]*')\s*$/;

/**
 * WezTerm: `start` (and `-e`), `connect DOMAIN`, `ssh HOST`, `record`: a program and its words after the options;
 * `cli spawn|split-pane`: the same in a new pane; `cli send-text`: keys typed into a pane. `--config NAME=VALUE` is
 * Lua, and `--config-file` a Lua file: only plain settings are understood.
 */
function wezterm(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  configElsewhere(inv, host, ['WEZTERM_CONFIG_FILE', 'WEZTERM_CONFIG_DIR', 'XDG_CONFIG_HOME', 'HOME']);
  const i = options(inv, host, 0, { values: ['--config-file', '--config'], flags: ['-n', '--skip-config', '-h', '--help', '-V', '--version'], stops: ['-e'] }, (name, value) => {
    if (name === '--config-file') host.error(`${inv.program} runs the Lua configuration file ${value ?? ''}, which the gate does not read`);
    else if (value === undefined || !PLAIN_SETTING.test(value)) host.error(`${inv.program} --config runs Lua the gate does not read (${value ?? ''})`);
  });
  const sub = a[i];
  if (sub === 'start' || sub === '-e') runFrom(inv, host, options(inv, host, i + 1, WEZTERM_START));
  else if (sub === 'connect') runFrom(inv, host, options(inv, host, i + 1, WEZTERM_CONNECT) + 1);
  else if (sub === 'record') {
    runFrom(inv, host, options(inv, host, i + 1, WEZTERM_RECORD, (name, value) => (name === '-o' || name === '--outfile') && value !== undefined && host.script(`touch -- ${shellQuote(value)}`, inv)));
  } else if (sub === 'ssh') {
    const ssh: string[] = [];
    const at = options(inv, host, i + 1, WEZTERM_SSH, (name, value) => (name === '-o' || name === '--ssh-option') && value !== undefined && ssh.push('-o', value));
    if (at < a.length) host.script(['ssh', ...ssh, ...a.slice(at)].map(shellQuote).join(' '), inv);
  } else if (sub === 'cli') weztermCli(inv, host, options(inv, host, i + 1, { values: ['--class', '--unix-socket'], flags: ['--no-auto-start', '--prefer-mux', '-h', '--help'] }));
  return true;
}

function weztermCli(inv: Invocation, host: LauncherHost, i: number): void {
  const a = inv.args;
  if (a[i] === 'spawn') runFrom(inv, host, options(inv, host, i + 1, WEZTERM_SPAWN));
  else if (a[i] === 'split-pane') runFrom(inv, host, options(inv, host, i + 1, WEZTERM_SPLIT));
  else if (a[i] === 'send-text') {
    const at = options(inv, host, i + 1, WEZTERM_SEND_TEXT);
    typing(inv, host);
    // The text, or standard input when no text is given.
    const text = at < a.length ? a.slice(at).join(' ') : host.fed(inv);
    if (text !== undefined) host.script(text, inv);
    else host.error(`${inv.program} cli send-text types text the line does not show`);
  }
}

const KITTY: Options = {
  values: ['--class', '--app-id', '--name', '--os-window-tag', '-T', '--title', '-c', '--config', '-o', '--override', '-d', '--directory', '--working-directory', '--session', '--instance-group', '--listen-on', '--start-as', '--replay-commands', '--dump-bytes', '--watcher', '--detached-log', '--position'],
  flags: ['--detach', '--hold', '-1', '--single-instance', '--wait-for-single-instance-window-close', '-v', '--version', '--dump-commands', '--debug-rendering', '--debug-gl', '--debug-input', '--debug-keyboard', '--debug-font-fallback', '--grab-keyboard', '-h', '--help', '-e'],
};

/** kitty.conf settings that are only appearance or behaviour (any other may run a program: shell, map, templates…). */
const KITTY_PLAIN = /^(font_family|bold_font|italic_font|bold_italic_font|font_size|background|foreground|background_opacity|cursor|cursor_shape|cursor_blink_interval|selection_background|selection_foreground|color\d{1,3}|initial_window_width|initial_window_height|remember_window_size|window_padding_width|window_margin_width|hide_window_decorations|enable_audio_bell|visual_bell_duration|confirm_os_window_close|scrollback_lines|allow_remote_control|listen_on|term|linux_display_server|placement_strategy|tab_bar_style|tab_bar_edge|macos_option_as_alt|disable_ligatures|sync_to_monitor|shell_integration)$/;

/** A kitty setting (`-o KEY=VALUE`, a kitty.conf line): `shell` is judged as what every window runs; others must be plain. */
function kittySetting(setting: string, inv: Invocation, host: LauncherHost): void {
  const m = /^\s*([A-Za-z_]\w*)\s*[=\s]\s*(.*)$/s.exec(setting);
  if (!m) return host.error(`${inv.program} has a setting the gate does not read (${setting.slice(0, 60)})`);
  if (m[1] === 'shell') {
    if (m[2].trim() !== '.') host.script(m[2], inv);
  } else if (!KITTY_PLAIN.test(m[1]) || /[{$`]/.test(m[2])) host.error(`${inv.program} sets ${m[1]}, which may run a program (only plain settings are understood)`);
}

/**
 * kitty: a program and its words after the options (or after -e); `-o`, `-c` and `--session` are settings and
 * session files, read; `+runpy` and `+launch` run Python, `+hold` and `+kitten` what follows; `@` is remote control.
 */
function kitty(inv: Invocation, host: LauncherHost, from: number): boolean {
  const a = inv.args;
  const w = a[from];
  if (w === '@') return kittyRemote(inv, host, from + 1);
  // `@CMD` is `@ CMD`; `+NAME` and `+ NAME` are kitty's entry points.
  if (w?.startsWith('@')) return (host.error(`${inv.program} ${w}: remote control written as one word, which the gate does not read`), true);
  if (w === '+') return kittyEntry(inv, host, from + 1, a[from + 1] ?? '');
  if (w?.startsWith('+')) return kittyEntry(inv, host, from, w.slice(1));
  configElsewhere(inv, host, ['KITTY_CONFIG_DIRECTORY', 'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS', 'HOME']);
  const at = options(inv, host, from, KITTY, (name, value) => {
    if (value === undefined) return;
    if (name === '-o' || name === '--override') kittySetting(value, inv, host);
    else if ((name === '-c' || name === '--config') && value !== 'NONE') kittyFile(value, inv, host, 'config');
    else if (name === '--session' && value !== 'none') kittyFile(value, inv, host, 'session');
    else if (name === '--dump-bytes' || name === '--detached-log') host.script(`touch -- ${shellQuote(value)}`, inv);
    else if (name === '--watcher') host.script(`python3 ${shellQuote(value)}`, inv);
  });
  runFrom(inv, host, at);
  return true;
}

/**
 * `kitty +NAME …` at AT: `runpy` runs Python text, `launch` a Python file (`:name` is found on PATH), `hold` and `edit`
 * a program and its words, `kitten` a kitten; `shebang FILE CMD…` runs FILE's `#!` line or CMD, and `open` what
 * kitty's open actions name: not read. Others (complete, edit-config) run nothing the line names.
 */
function kittyEntry(inv: Invocation, host: LauncherHost, at: number, name: string): boolean {
  const a = inv.args;
  if (name === 'kitten') return kitten(inv, host, at + 1);
  if (name === 'hold' || name === 'edit') runFrom(inv, host, at + 1);
  else if ((name === 'runpy' || name === 'launch') && a[at + 1] !== undefined) host.script(name === 'runpy' ? `python3 -c ${shellQuote(a[at + 1])}` : ['python3', a[at + 1].replace(/^:/, ''), ...a.slice(at + 2)].map(shellQuote).join(' '), inv);
  else if (name === 'shebang' || name === 'open') host.error(`${inv.program} +${name} runs a program the line does not show`);
  return true;
}

/** A kitty.conf (its settings) or a session file (`launch CMD…` lines, run when kitty starts); missing: not understood. */
function kittyFile(file: string, inv: Invocation, host: LauncherHost, kind: 'config' | 'session'): void {
  const text = file === '-' ? host.fed(inv) : host.file(inv, file, kind === 'config' ? 'reads the kitty configuration' : 'runs the kitty session');
  if (text === undefined) return host.error(`${inv.program} reads a ${kind} file the gate cannot read (${file})`);
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (kind === 'config') kittySetting(line, inv, host);
    else if (/^launch\b/.test(line)) host.script(`kitty @ ${line}`, inv);
  }
}

const KITTY_REMOTE_GLOBAL: Options = { values: ['--to', '--password', '--password-file', '--password-env', '--use-password'], flags: ['-h', '--help'] };
const KITTY_LAUNCH: Options = {
  values: ['-m', '--match', '--window-title', '--title', '--tab-title', '--type', '--cwd', '--env', '--var', '--location', '--next-to', '--bias', '--remote-control-password', '--stdin-source', '--marker', '--os-window-class', '--os-window-name', '--os-window-title', '--os-window-state', '--logo', '--logo-position', '--logo-alpha', '--color', '--spacing', '-w', '--watcher', '--source-window', '--add-to-session', '--hold-after-ssh'],
  flags: ['--no-response', '--self', '--keep-focus', '--dont-take-focus', '--hold', '--copy-colors', '--copy-cmdline', '--copy-env', '--allow-remote-control', '--stdin-add-formatting', '--stdin-add-line-wrap-markers', '-h', '--help'],
};
const KITTY_SEND: Options = { values: ['-m', '--match', '-t', '--match-tab', '--from-file', '--bracketed-paste'], flags: ['--all', '--exclude-active', '--stdin', '--no-response', '-h', '--help'] };
const KITTY_RUN: Options = { values: ['--env', '--remote-control-password'], flags: ['--allow-remote-control', '--no-response', '-h', '--help'] };

/** Text kitty's send-text types: Python's escapes (`\r`, `\n`, `\x72`, `\u0072`) decoded. */
function kittyText(text: string): string {
  return text.replace(/\\(r|n|t|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|e|\\)/g, (_, e: string) => (e === 'r' || e === 'n' ? '\n' : e === 't' ? '\t' : e === 'e' ? '\n' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16))));
}

/** `kitty @ [--to …] COMMAND …` (and `kitten @`): launch, new-window and run start a program; send-text and send-key type. */
function kittyRemote(inv: Invocation, host: LauncherHost, from: number): boolean {
  const a = inv.args;
  const i = options(inv, host, from, KITTY_REMOTE_GLOBAL);
  const cmd = a[i];
  if (cmd === 'launch' || cmd === 'new-window') runFrom(inv, host, options(inv, host, i + 1, KITTY_LAUNCH, (name, value) => (name === '-w' || name === '--watcher') && value !== undefined && host.script(`python3 ${shellQuote(value)}`, inv)));
  else if (cmd === 'run') runFrom(inv, host, options(inv, host, i + 1, KITTY_RUN));
  else if (cmd === 'send-text' || cmd === 'send-key') {
    const texts: string[] = [];
    const at = options(inv, host, i + 1, KITTY_SEND, (name, value) => {
      if (name === '--from-file' && value !== undefined) texts.push(host.file(inv, value, 'types the text of') ?? '$(cat)');
      if (name === '--stdin') texts.push(host.fed(inv) ?? '$(cat)');
    });
    typing(inv, host);
    const words = a.slice(at);
    const typed = cmd === 'send-text' ? kittyText(words.join(' ')) : words.map((k) => (/^(enter|return|kp_enter)$/i.test(k) ? '\n' : /^space$/i.test(k) ? ' ' : k.length === 1 ? k : '\n')).join('');
    host.script([typed, ...texts].join(''), inv);
  } else if (cmd === 'kitten') kitten(inv, host, options(inv, host, i + 1, { values: ['-m', '--match'], flags: ['-h', '--help'] }));
  else if (cmd === 'action') kittyAction(inv, host, options(inv, host, i + 1, { values: ['-m', '--match'], flags: ['--self', '--no-response', '-h', '--help'] }));
  else if (cmd === 'load-config' || cmd === 'env' || cmd === 'set-user-vars') host.error(`${inv.program} @ ${cmd} changes what later windows run, which the line does not show`);
  return true;
}

/** The actions that start a program (its words follow), type text, or run what the gate does not read. */
const KITTY_LAUNCH_ACTIONS = /^(launch|new_window|new_tab|new_os_window|new_window_with_cwd|new_tab_with_cwd|new_os_window_with_cwd)$/;
function kittyAction(inv: Invocation, host: LauncherHost, i: number): void {
  const [action, ...rest] = inv.args.slice(i);
  if (action === undefined) return;
  if (KITTY_LAUNCH_ACTIONS.test(action)) host.script(`kitty @ launch ${rest.map(shellQuote).join(' ')}`, inv);
  else if (action === 'send_text' || action === 'send_key') host.script(`kitty @ ${action === 'send_text' ? 'send-text' : 'send-key'} ${rest.slice(action === 'send_text' ? 1 : 0).map(shellQuote).join(' ')}`, inv);
  else if (action === 'kitten') kitten(inv, host, i + 1);
  else if (/^(pipe|combine|remote_control|remote_control_script|load_config_file|set_env|run)$/.test(action)) host.error(`${inv.program} runs the action ${action}, which the gate does not read`);
}

/** Kittens that run nothing the line does not show (most show or pick something in the terminal). */
const KITTENS = new Set(['icat', 'diff', 'clipboard', 'themes', 'unicode_input', 'unicode-input', 'show_key', 'show-key', 'broadcast', 'ask', 'hyperlinked_grep', 'query_terminal', 'choose-fonts', 'choose_fonts', 'notify', 'edit-in-kitty', 'mouse_demo', 'hints', '__complete__']);

const KITTEN_RUN_SHELL: Options = { values: ['--shell-integration', '--shell', '--env', '--cwd', '--inject-self-onto-path'], flags: ['-h', '--help'] };

/** `kitten NAME …` (`kitty +kitten NAME …`): `@` is remote control, ssh and the panels run a command; others read. */
function kitten(inv: Invocation, host: LauncherHost, from: number): boolean {
  const a = inv.args;
  const name = a[from];
  if (name === undefined) return true;
  if (name === '@') return kittyRemote(inv, host, from + 1);
  if (name === 'ssh') host.runWords(inv, from, { as: { program: 'ssh', args: [] } });
  else if (name === 'run-shell') {
    // A command run before the shell, and --shell, the shell run.
    const at = options(inv, host, from + 1, KITTEN_RUN_SHELL, (option, value) => option === '--shell' && value !== undefined && value !== '.' && host.script(value, inv));
    runFrom(inv, host, at);
  }
  else if (name === 'panel' || name === 'quick-access-terminal' || name === 'quick_access_terminal') {
    // Their options are many: each word that could start the program does (an option's value is judged as one too).
    for (let k = from + 1, n = 0; k < a.length && n < 8; k++) if (!a[k].startsWith('-')) (n++, host.runWords(inv, k));
  }
  else if (name === 'hints' && a.slice(from).some((w) => /^--program/.test(w))) host.error(`${inv.program} hints runs a program on what is picked (--program)`);
  else if (!KITTENS.has(name)) host.error(`${inv.program} runs the kitten ${name}, which the gate does not read`);
  return true;
}
