// zellij: what it runs in a pane (`run`, `action new-pane`), the keys it types (`action write-chars`), and the layouts
// and configuration it reads (`--layout`, `action new-tab --layout`, `options --default-layout`, `--config`): a layout
// (KDL) runs the commands its panes name, a configuration its default shell, its bindings' Run and its copy command.
// A layout or configuration the gate cannot read, and plugins from outside zellij, are not understood.

import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';
import { typing, wordsOrScript } from './multiplexers';
import { shellQuote } from './shellQuote';

const ZELLIJ_GLOBAL_VALUES = new Set(['-s', '--session', '-l', '--layout', '-c', '--config', '--config-dir', '--data-dir', '--max-panes', '-n', '--new-session-with-layout']);
const ZELLIJ_RUN_VALUES = new Set(['-d', '--direction', '--cwd', '-n', '--name', '--width', '--height', '-x', '-y', '--pinned', '--plugin', '--configuration']);
const NEW_TAB_VALUES = new Set(['-l', '--layout', '--layout-dir', '-n', '--name', '-c', '--cwd']);
const OPTIONS_VALUES = /^--(default-shell|default-layout|layout-dir|copy-command|scrollback-editor|theme|theme-dir|default-mode|mouse-mode|pane-frames|mirror-session|on-force-close|simplified-ui|copy-clipboard|copy-on-select|scroll-buffer-size|session-name|attach-to-session|auto-layout|session-serialization|serialize-pane-viewport|scrollback-lines-to-serialize|styled-underlines|disable-session-metadata|support-kitty-keyboard-protocol|stacked-resize|show-startup-tips|show-release-notes|advanced-mouse-actions|web-server|web-sharing|post-command-discovery-hook|serialization-interval)$/;

/** The layouts zellij carries (not files). */
const BUILT_IN_LAYOUTS = /^(default|strider|disable-status-bar|compact|classic|welcome)$/;

/**
 * inv's options from FROM: each `--name value`, `--name=value`, `-x value` or `-xvalue` (VALUES names those that take
 * one) handed to SEEN; the index of the first word that is not an option.
 */
function zellijOptions(a: string[], from: number, values: (name: string) => boolean, seen: (name: string, value: string | undefined) => void): number {
  let i = from;
  for (; i < a.length && a[i].startsWith('-') && a[i] !== '-'; i++) {
    if (a[i] === '--') return i + 1;
    const eq = a[i].indexOf('=');
    const long = a[i].startsWith('--');
    const name = long ? (eq > 0 ? a[i].slice(0, eq) : a[i]) : a[i].slice(0, 2);
    const attached = long ? (eq > 0 ? a[i].slice(eq + 1) : undefined) : a[i].length > 2 ? a[i].slice(2).replace(/^=/, '') : undefined;
    if (!values(name)) continue;
    seen(name, attached ?? a[++i]);
  }
  return i;
}

/** zellij: `run` and `action new-pane` run a program in a new pane; `action write-chars` types text into the pane. */
export function zellij(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  const set = ['ZELLIJ_CONFIG_DIR', 'ZELLIJ_CONFIG_FILE', 'XDG_CONFIG_HOME', 'HOME'].filter((n) => inv.env[n] !== undefined || inv.vars?.of(n).length);
  if (set.length) host.error(`${inv.program} reads a configuration the line points elsewhere (${set.join(', ')})`);
  let i = zellijOptions(a, 0, (n) => ZELLIJ_GLOBAL_VALUES.has(n), (name, value) => {
    if (value === undefined) return;
    if (name === '-l' || name === '--layout' || name === '-n' || name === '--new-session-with-layout') layout(value, undefined, inv, host);
    if (name === '-c' || name === '--config') config(value, inv, host);
  });
  let sub = a[i];
  // `zellij attach [--create] NAME options …`: the options of the session it creates.
  if (sub === 'attach' || sub === 'a') {
    const at = a.indexOf('options', i + 1);
    if (at > 0) options(inv, host, at + 1);
    return true;
  }
  if (sub === 'options') options(inv, host, i + 1);
  else if (sub === 'plugin' || sub === 'P') plugin(a.slice(i + 1).filter((w) => !w.startsWith('-')).pop(), inv, host);
  else if (sub === 'pipe' || sub === 'p') zellijOptions(a, i + 1, (n) => /^(-p|--plugin|-n|--name|-a|--args|-c|--plugin-configuration)$/.test(n), (name, value) => (name === '-p' || name === '--plugin') && plugin(value, inv, host));
  if (sub === 'options' || sub === 'plugin' || sub === 'P' || sub === 'pipe' || sub === 'p') return true;
  if (sub === 'action' || sub === 'ac') {
    i++;
    sub = a[i];
    if (sub === 'write-chars' || sub === 'write') {
      typing(inv, host);
      const text = sub === 'write' ? a.slice(i + 1).map((b) => String.fromCharCode(Number(b) || 0)).join('') : a.slice(i + 1).join(' ');
      host.script(text, inv);
      return true;
    }
    if (sub === 'new-tab' || sub === 'nt') {
      let layoutName: string | undefined;
      let dir: string | undefined;
      zellijOptions(a, i + 1, (n) => NEW_TAB_VALUES.has(n), (name, value) => {
        if (name === '-l' || name === '--layout') layoutName = value;
        if (name === '--layout-dir') dir = value;
      });
      if (layoutName !== undefined) layout(layoutName, dir, inv, host);
      return true;
    }
    if (/^(launch-plugin|launch-or-focus-plugin|start-or-reload-plugin)$/.test(sub ?? '')) plugin(a.slice(i + 1).filter((w) => !w.startsWith('-')).pop(), inv, host);
    if (sub !== 'new-pane' && sub !== 'np') return true;
  } else if (sub !== 'run' && sub !== 'r') return true;
  for (i++; i < a.length; i++) {
    if (a[i] === '--') {
      i++;
      break;
    }
    if (!a[i].startsWith('-')) break;
    if ((a[i] === '-p' || a[i] === '--plugin') && a[i + 1] !== undefined) plugin(a[i + 1], inv, host);
    if (ZELLIJ_RUN_VALUES.has(a[i])) i++;
  }
  wordsOrScript(inv, host, i);
  return true;
}

/** `zellij options --default-shell X --default-layout L --copy-command C …`: what the session's panes and copies run. */
function options(inv: Invocation, host: LauncherHost, from: number): void {
  let layoutName: string | undefined;
  let dir: string | undefined;
  zellijOptions(inv.args, from, (n) => OPTIONS_VALUES.test(n), (name, value) => {
    if (value === undefined) return;
    if (name === '--default-shell' || name === '--scrollback-editor') host.script(shellQuote(value), inv);
    if (name === '--copy-command' || name === '--post-command-discovery-hook') host.script(value, inv);
    if (name === '--default-layout') layoutName = value;
    if (name === '--layout-dir') dir = value;
  });
  if (layoutName !== undefined) layout(layoutName, dir, inv, host);
}

/** A plugin from outside zellij (a file, a URL): code that may run commands once the person grants it. */
function plugin(location: string | undefined, inv: Invocation, host: LauncherHost): void {
  if (location !== undefined && !/^zellij:/.test(location)) host.error(`${inv.program} loads the plugin ${location}, whose code the gate does not read`);
}

/**
 * A layout by name or path: zellij's own names run nothing; a path (it has a folder or an extension) is a file, read;
 * a name in a layout folder the line names is that folder's NAME.kdl; any other name, or a URL, is not understood.
 */
function layout(name: string, dir: string | undefined, inv: Invocation, host: LauncherHost): void {
  if (BUILT_IN_LAYOUTS.test(name)) return;
  if (/^https?:\/\//i.test(name)) return host.error(`${inv.program} runs a layout fetched from ${name}`);
  const file = name.includes('/') || /\.\w+$/.test(name) ? name : dir !== undefined ? `${dir.replace(/\/$/, '')}/${name}.kdl` : undefined;
  const text = file === undefined ? undefined : host.file(inv, file, 'runs the commands of the layout');
  if (text === undefined) return host.error(`${inv.program} runs a layout the gate cannot read (${name})`);
  kdlCommands(text, inv, host);
}

/** A zellij configuration file: its default shell and layout, its bindings' Run, copy command and plugins. */
function config(file: string, inv: Invocation, host: LauncherHost): void {
  const text = host.file(inv, file, 'reads the zellij configuration');
  if (text === undefined) return host.error(`${inv.program} reads a configuration the gate cannot read (${file})`);
  kdlCommands(text, inv, host);
}

/** A KDL string (`"…"` with escapes, `r#"…"#`) or a bare word, at the start of TEXT. */
const KDL_VALUE = /^\s*(?:"((?:\\.|[^"\\])*)"|r(#*)"([\s\S]*?)"\2|([^\s;{}()="]+))/;
function kdlValue(text: string): { value: string; end: number } | undefined {
  const m = KDL_VALUE.exec(text);
  if (!m) return undefined;
  const value = m[1] !== undefined ? m[1].replace(/\\(u\{[0-9A-Fa-f]+\}|.)/g, (_, e: string) => (e.startsWith('u{') ? String.fromCodePoint(Math.min(parseInt(e.slice(2, -1), 16), 0x10ffff)) : ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e)) : (m[3] ?? m[4]);
  return { value, end: m[0].length };
}

/** The values that follow a node's name on its line (`args "-rf" "data"`, `Run "rm" "-rf"`). */
function kdlValues(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  for (let v = kdlValue(rest); v && out.length < 256; v = kdlValue(rest)) {
    out.push(v.value);
    rest = rest.slice(v.end);
    if (/^[ \t]*(\\\n)?[ \t]*[;{}\n]/.test(rest) || !/^[ \t]/.test(rest)) break;
  }
  return out;
}

/**
 * The commands a layout or configuration runs: each pane's `command` (a property or a child node) with the `args`
 * that follow it before the next pane; `default_shell`, `scrollback_editor`, `Run`, `copy_command`; plugins' locations.
 */
function kdlCommands(text: string, inv: Invocation, host: LauncherHost): void {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:"])\/\/[^\n]*/g, '$1');
  for (const m of code.matchAll(/\b(command|default_shell|scrollback_editor)\b\s*=?/g)) {
    const rest = code.slice(m.index! + m[0].length);
    const program = kdlValue(rest);
    if (!program) {
      host.error(`${inv.program} runs a command in a layout the gate cannot read`);
      continue;
    }
    // Its args: an `args` node of the same pane, before or after it (up to another pane or command).
    const before = code.slice(0, m.index!);
    const from = Math.max(before.lastIndexOf('pane'), before.lastIndexOf('command'), 0);
    const after = rest.slice(program.end);
    const next = after.search(/\b(command|pane|tab|floating_panes)\b/);
    const pane = `${before.slice(from)}\n${next < 0 ? after : after.slice(0, next)}`;
    const args = m[1] === 'command' ? [...pane.matchAll(/\bargs\b([^\n]*)/g)].flatMap((x) => kdlValues(x[1])) : [];
    host.script([program.value, ...args].map(shellQuote).join(' '), inv);
  }
  for (const m of code.matchAll(/\b(Run)\b([^\n;}]*)/g)) {
    const words = kdlValues(m[2]);
    if (words.length) host.script(words.map(shellQuote).join(' '), inv);
  }
  for (const m of code.matchAll(/\bcopy_command\b([^\n]*)/g)) {
    const v = kdlValue(m[1]);
    if (v) host.script(v.value, inv);
  }
  for (const m of code.matchAll(/\blocation\s*=?\s*"([^"]*)"|"(file:[^"]*|https?:[^"]*)"/g)) plugin(m[1] ?? m[2], inv, host);
  if (/\bdefault_layout\b/.test(code)) host.error(`${inv.program} reads a configuration whose default layout the gate does not follow`);
}
