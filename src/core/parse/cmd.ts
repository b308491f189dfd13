// cmd.exe text (`cmd /c "…"`, a cmd terminal) -> the invocations the rules judge: `&`, `&&`, `||`, `|`, `( … )`,
// `^` escapes, quotes, redirections, `%VAR%` and `!VAR!` (known only at run time), `if … cmd`, `for … do cmd`,
// `start … cmd`. Builtins that delete or empty become their POSIX twins: `rd /s /q X` is `rm -r -f -- X`,
// `del /s /q X` is `rm -r -f -- X`, `type nul > X` is `cat /dev/null > X`.

import type { Invocation, Origin } from './invocation';
import type { Redirect, Word } from './shell';
import { literal, makeInvocation, nativeTwin, ReaderHost, windowsProgram } from './windows';

interface CmdCommand {
  words: Word[];
  redirects: Redirect[];
  text: string;
  pipeFrom?: CmdCommand;
}

const READ_ONLY = new Set(['dir', 'type', 'echo', 'cd', 'chdir', 'cls', 'ver', 'vol', 'where', 'findstr', 'find', 'more', 'tree', 'title', 'pushd', 'popd', 'rem', 'pause', 'whoami', 'hostname', 'ipconfig', 'systeminfo', 'tasklist', 'help', 'exit', 'goto', 'setlocal', 'endlocal', 'color', 'prompt', 'fc', 'comp', 'sort', 'timeout', 'ping', 'path', 'chcp', 'doskey', 'verify', 'date', 'time']);

/** Splits cmd text into simple commands. */
function parseCmd(src: string, errors: string[]): CmdCommand[] {
  const out: CmdCommand[] = [];
  let words: Word[] = [];
  let redirects: Redirect[] = [];
  let start = 0;
  let prev: CmdCommand | undefined;
  let i = 0;
  let depth = 0;
  type Partial = { text: string; raw: string; dynamic: boolean; quoted: boolean };
  let cur: Partial | null = null;
  const current = () => cur as Partial | null;
  let pendingRedirect: Redirect | null = null;
  const endWord = () => {
    if (!cur) return;
    const w: Word = { text: cur.text, raw: cur.raw, dynamic: cur.dynamic, quoted: cur.quoted };
    if (pendingRedirect) {
      pendingRedirect.target = w;
      redirects.push(pendingRedirect);
      pendingRedirect = null;
    } else words.push(w);
    cur = null;
  };
  const endCommand = (end: number, pipe: boolean) => {
    endWord();
    if (pendingRedirect) {
      errors.push('a redirection without a file');
      pendingRedirect = null;
    }
    if (words.length || redirects.length) {
      const c: CmdCommand = { words, redirects, text: src.slice(start, end).trim(), ...(prev ? { pipeFrom: prev } : {}) };
      out.push(c);
      prev = pipe ? c : undefined;
    } else prev = undefined;
    words = [];
    redirects = [];
  };
  const add = (ch: string, raw = ch, dynamic = false, quoted = false) => {
    if (!cur) cur = { text: '', raw: '', dynamic: false, quoted: false };
    cur.text += ch;
    cur.raw += raw;
    cur.dynamic ||= dynamic;
    cur.quoted ||= quoted;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '^') {
      if (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n')) i += src[i + 1] === '\r' ? 3 : 2;
      else if (i + 1 < src.length) {
        add(src[i + 1], c + src[i + 1], false, true);
        i += 2;
      } else i++;
      continue;
    }
    if (c === '"') {
      const close = src.indexOf('"', i + 1);
      const body = close < 0 ? src.slice(i + 1) : src.slice(i + 1, close);
      if (close < 0) {
        // cmd itself runs an unclosed quote to the end of the line; the guard says it did not fully follow it.
        errors.push('unclosed quote');
      }
      add(body, src.slice(i, close < 0 ? src.length : close + 1), /%[^%\s]+%|![^!\s]+!/.test(body), true);
      i = close < 0 ? src.length : close + 1;
      continue;
    }
    if (c === '%' || c === '!') {
      const m = c === '%' ? /^%(~[a-z]*\d|\d|\*|[^%\s]+%)/i.exec(src.slice(i, i + 300)) : /^![^!\s]+!/.exec(src.slice(i, i + 300));
      if (m) {
        add(m[0], m[0], true);
        i += m[0].length;
        continue;
      }
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '\n') {
      endCommand(i, false);
      i++;
      start = i;
      continue;
    }
    if (c === '&' || c === '|') {
      const two = src[i + 1] === c;
      const w = current();
      if (c === '&' && w && />$/.test(w.raw)) {
        add(c);
        i++;
        continue;
      }
      endCommand(i, c === '|' && !two);
      i += two ? 2 : 1;
      start = i;
      continue;
    }
    if (c === '(' && !cur && words.length === 0) {
      depth++;
      i++;
      start = i;
      continue;
    }
    if (c === ')' && depth > 0) {
      depth--;
      endCommand(i, false);
      i++;
      start = i;
      continue;
    }
    if (c === '>' || c === '<') {
      let fd: string | undefined;
      const w = current();
      if (w && /^[0-9]$/.test(w.raw)) {
        fd = w.raw;
        cur = null;
      } else endWord();
      const op = c === '>' && src[i + 1] === '>' ? '>>' : c;
      i += op.length;
      if (src[i] === '&' && /[0-9]/.test(src[i + 1] ?? '')) {
        redirects.push({ op: op + '&', ...(fd ? { fd } : {}), target: literal(src[i + 1]) });
        i += 2;
        continue;
      }
      pendingRedirect = { op, ...(fd ? { fd } : {}) };
      continue;
    }
    add(c);
    i++;
  }
  endCommand(src.length, false);
  if (depth > 0) errors.push('unclosed (');
  return out;
}

/** `if …`, `for … do`, `start …`, `@`: the command that actually runs, as words. */
function innerWords(words: Word[]): Word[] {
  let w = words;
  for (let guard = 0; guard < 8 && w.length; guard++) {
    if (w[0].text.startsWith('@') && !w[0].quoted) {
      const rest = w[0].text.slice(1);
      w = rest ? [{ ...w[0], text: rest, raw: rest }, ...w.slice(1)] : w.slice(1);
      continue;
    }
    const head = w[0].text.toLowerCase();
    if (head === 'if') {
      let i = 1;
      if (w[i]?.text.toLowerCase() === '/i') i++;
      if (w[i]?.text.toLowerCase() === 'not') i++;
      const kind = w[i]?.text.toLowerCase();
      if (kind === 'exist' || kind === 'defined' || kind === 'errorlevel' || kind === 'cmdextversion') i += 2;
      else if (w[i + 1] && /^(==|equ|neq|lss|leq|gtr|geq)$/i.test(w[i + 1].text)) i += 3;
      else if (w[i] && w[i].text.includes('==')) i += w[i].text.endsWith('==') ? 2 : 1;
      else i += 1;
      w = w.slice(i);
      continue;
    }
    if (head === 'for') {
      const d = w.findIndex((x) => x.text.toLowerCase() === 'do');
      if (d < 0) return [];
      w = w.slice(d + 1);
      continue;
    }
    if (head === 'start') {
      let i = 1;
      if (w[i]?.quoted) i++; // the window title
      while (i < w.length && w[i].text.startsWith('/')) i += /^\/(d|node|affinity)$/i.test(w[i].text) ? 2 : 1;
      w = w.slice(i);
      continue;
    }
    if (head === 'call' && w[1] && !w[1].text.startsWith(':')) {
      w = w.slice(1);
      continue;
    }
    if (head === 'else') {
      w = w.slice(1);
      continue;
    }
    break;
  }
  return w;
}

/** What one cmd command runs, as the rules know it. */
function twinOf(words: Word[]): { program: string; words: Word[]; readOnly?: boolean; env?: Record<string, string> } {
  const name = windowsProgram(words[0].text);
  // Switches written together (`rd /s/q X`, `del /f/s/q X`) are each a switch.
  const rest = words.slice(1).flatMap((w) => (/^(\/[a-z?])+$/i.test(w.text) && !w.dynamic ? w.text.split('/').filter(Boolean).map((f) => literal(`/${f}`)) : [w]));
  const flags = new Set(rest.filter((w) => /^\/[a-z]/i.test(w.text)).map((w) => w.text.toLowerCase().replace(/:.*$/, '')));
  const targets = rest.filter((w) => !/^\/[a-z?]/i.test(w.text));
  if (flags.has('/?')) return { program: name, words: rest, readOnly: true };
  switch (name) {
    case 'rd':
    case 'rmdir':
      if (!flags.has('/s')) return { program: 'rmdir', words: targets };
      return { program: 'rm', words: [literal('-r'), ...(flags.has('/q') ? [literal('-f')] : []), literal('--'), ...targets] };
    case 'del':
    case 'erase':
      return { program: 'rm', words: [...(flags.has('/s') ? [literal('-r')] : []), ...(flags.has('/q') || flags.has('/f') ? [literal('-f')] : []), literal('--'), ...targets] };
    case 'type':
      return targets.length === 1 && targets[0].text.toLowerCase() === 'nul' ? { program: 'cat', words: [literal('/dev/null')] } : { program: 'type', words: rest, readOnly: true };
    case 'break':
    case 'rem':
      return { program: ':', words: [] };
    case 'echo.':
    case 'echo:':
    case 'echo(':
    case 'echo/':
    case 'echo;':
    case 'echo,':
    case 'echo=':
    case 'echo+':
      // `echo. > f` writes an empty line: the file is emptied.
      return targets.length ? { program: 'echo', words: targets, readOnly: true } : { program: ':', words: [] };
    case 'xcopy':
      if (targets.length === 2 && targets[0].text.toLowerCase() === 'nul') return { program: 'cp', words: [literal('/dev/null'), targets[1]] };
      break;
    case 'mklink': {
      // mklink [/d | /j | /h] LINK TARGET: a second name for TARGET.
      if (targets.length < 2) break;
      return { program: 'ln', words: [...(flags.has('/h') ? [] : [literal('-s')]), targets[1], targets[0]] };
    }
    case 'copy':
      if (targets.length === 2 && targets[0].text.toLowerCase() === 'nul') return { program: 'cp', words: [literal('/dev/null'), targets[1]] };
      return { program: 'cp', words: targets };
    case 'move':
    case 'ren':
    case 'rename':
      return { program: 'mv', words: targets };
    case 'set': {
      const text = rest.map((w) => w.text).join(' ').replace(/^\/a\s+|^\/p\s+/i, '');
      const m = /^"?([^=\s"]+)=(.*?)"?$/s.exec(text);
      if (!m) return { program: 'set', words: rest, readOnly: true };
      return { program: '', words: [], env: { [m[1]]: m[2].replace(/%PATH%/gi, '$PATH') } };
    }
  }
  const t = nativeTwin(name, rest);
  return { program: t.program, words: t.words, ...(READ_ONLY.has(name) ? { readOnly: true } : {}) };
}

/** Builtins that take switches written against their name: `rd/s/q data`, `del/f/s/q x`, `dir/s`. */
const BUILTINS = new Set(['rd', 'rmdir', 'del', 'erase', 'dir', 'copy', 'move', 'type', 'md', 'mkdir', 'ren', 'rename', 'cd', 'chdir', 'echo']);

/** `rd/s/q` as `rd /s /q`; `%COMSPEC%` as cmd. */
function normalizeName(words: Word[]): Word[] {
  const head = words[0];
  if (/^%comspec%$/i.test(head.text)) return [{ ...head, text: 'cmd', dynamic: false }, ...words.slice(1)];
  const m = /^([a-z]+)((?:\/[^/]*)+)$/i.exec(head.text);
  if (!m || !BUILTINS.has(m[1].toLowerCase())) return words;
  const switches = m[2].split('/').filter(Boolean).map((s) => literal(`/${s}`));
  return [{ ...head, text: m[1], raw: m[1] }, ...switches, ...words.slice(1)];
}

/** Reads cmd.exe text into invocations through the host. */
export function readCmd(src: string, host: ReaderHost, depth: number, origin: Origin, parent?: Invocation): void {
  const errors: string[] = [];
  const commands = parseCmd(src, errors);
  for (const e of errors) host.error(`cmd: ${e}`);
  const byCommand = new Map<CmdCommand, Invocation>();
  for (const c of commands) {
    const inner = innerWords(c.words);
    const words = inner.length ? normalizeName(inner) : inner;
    const redirects = c.redirects;
    if (!words.length) {
      if (redirects.length) host.run(makeInvocation({ program: '', words: [], redirects, text: c.text, depth, origin, parent, dialect: 'cmd' }));
      continue;
    }
    // `rem` comments out the rest of its line.
    if (words[0].text.toLowerCase() === 'rem' || words[0].text.startsWith('::')) continue;
    const t = twinOf(words);
    const inv = makeInvocation({ program: t.program, path: words[0].text, words: t.words, redirects, env: t.env, text: c.text, depth, origin, parent, dialect: 'cmd', dynamicProgram: words[0].dynamic, readOnly: t.readOnly });
    if (c.pipeFrom) inv.pipeFrom = byCommand.get(c.pipeFrom);
    byCommand.set(c, inv);
    host.run(inv);
  }
}
