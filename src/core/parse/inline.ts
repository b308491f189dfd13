// Where an invocation's inline program is (`python -c`, `node -e`, a heredoc fed to an interpreter, `tclsh <<<`,
// `vim -c`, `awk '…'`) and what it would do: interpreters through the code reader, Tcl, Vim's Ex commands and awk
// through small readers of their own.

import type { CodeEffect, Language } from './code';
import { literal, tokenise } from './codeTokens';
import { Invocation, staticOutput } from './invocation';
import { late } from '../late';
import { own } from '../own';

// The code reader (Python, JavaScript, Perl, Ruby, PHP, Vim script): most lines run no inline code, so it loads on
// first use (src/core/late.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codeReader = late((): typeof import('./code') => require('./code'));

export const SHELLS = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish'];
const SHELL_VALUE_OPTIONS = ['-o', '+o', '-O', '+O', '--rcfile', '--init-file'];


export const LANGUAGES: Record<string, Language> = {
  python: 'python', python2: 'python', python3: 'python', pypy: 'python', pypy3: 'python',
  'python3.8': 'python', 'python3.9': 'python', 'python3.10': 'python', 'python3.11': 'python', 'python3.12': 'python', 'python3.13': 'python', 'python3.14': 'python',
  node: 'js', nodejs: 'js', bun: 'js', deno: 'js', perl: 'perl', ruby: 'ruby', php: 'php',
};
export const INTERPRETERS = Object.keys(LANGUAGES);

/** Where an interpreter or shell takes its program text from. */
export type ScriptSource = { kind: 'stdin' } | { kind: 'file'; text: string } | { kind: 'code'; text: string; flag: string } | { kind: 'none' };

const INTERPRETER_OPTIONS: Record<string, { values: string[]; code: string[]; noScript?: string[] }> = {
  python: { values: ['-W', '-X', '--check-hash-based-pycs', '-c', '-m'], code: ['-c'], noScript: ['-m', '-V', '--version', '-h', '--help'] },
  node: { values: ['-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--input-type', '--env-file', '--title', '--inspect-port'], code: ['-e', '--eval', '-p', '--print'], noScript: ['-v', '--version', '-h', '--help', '-c', '--check', '--test'] },
  bun: { values: ['-e', '--eval', '-p', '--print', '-r', '--preload', '--cwd', '--config', '--env-file'], code: ['-e', '--eval', '-p', '--print'] },
  perl: { values: ['-e', '-E', '-I', '-M', '-m', '-x'], code: ['-e', '-E'], noScript: ['-v', '-V', '-c'] },
  ruby: { values: ['-e', '-r', '-I', '-C', '-E', '-F', '--encoding'], code: ['-e'], noScript: ['-v', '--version', '-c'] },
  php: { values: ['-r', '-f', '-d', '-c', '-z', '-B', '-R', '-F', '-E'], code: ['-r'], noScript: ['-v', '--version', '-l', '-m', '-i', '-S'] },
};

/** What program text a shell or interpreter runs: a -c/-e string, a script file, standard input, or nothing. */
export function scriptSource(inv: Invocation): ScriptSource {
  const p = inv.program;
  if (SHELLS.includes(p)) {
    let readsStdin = false;
    for (let i = 0; i < inv.args.length; i++) {
      const a = inv.args[i];
      if (SHELL_VALUE_OPTIONS.includes(a)) {
        i++;
      } else if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a) || a === '--command') {
        return inv.args[i + 1] === undefined ? { kind: 'none' } : { kind: 'code', text: inv.args[i + 1], flag: '-c' };
      } else if (/^-[A-Za-z]*s[A-Za-z]*$/.test(a) || a === '-' || a === '--') {
        readsStdin ||= a !== '--';
        if (a === '-') return { kind: 'stdin' };
      } else if (!a.startsWith('-') && !a.startsWith('+')) {
        return readsStdin ? { kind: 'stdin' } : { kind: 'file', text: a };
      }
    }
    return { kind: 'stdin' };
  }
  if (p === 'deno') {
    const pos = inv.parsed({ values: ['--ext', '-c', '--config', '--import-map', '--location', '--cert', '--env-file'] }).positionals;
    return pos[0] === 'eval' && pos[1] !== undefined ? { kind: 'code', text: pos[1], flag: 'eval' } : { kind: 'none' };
  }
  const lang = own(LANGUAGES, p);
  if (!lang) return { kind: 'none' };
  const spec = INTERPRETER_OPTIONS[lang === 'js' ? (p === 'bun' ? 'bun' : 'node') : lang];
  const a = inv.parsed({ values: spec.values, stopAtPositional: true });
  for (const flag of spec.code) {
    const code = a.values(flag);
    if (code.length) return { kind: 'code', text: code.join('\n'), flag };
  }
  if (p === 'bun') return { kind: 'none' };
  if (spec.noScript?.some((o) => a.has(o)) || (lang === 'php' && a.has('-f'))) return { kind: 'none' };
  const script = a.positionals[0];
  return script === undefined || script === '-' ? { kind: 'stdin' } : { kind: 'file', text: script };
}


export function interpreterCode(inv: Invocation): { code: string; flag: string } | null {
  const src = scriptSource(inv);
  if (src.kind === 'code') return { code: src.text, flag: src.flag };
  if (src.kind !== 'stdin') return null;
  const fed = inv.stdin ?? (inv.pipeFrom ? staticOutput(inv.pipeFrom) : undefined);
  return fed === undefined ? null : { code: fed, flag: '-' };
}


/** What a program's inline code would do, and the flag it came by (`-c`, `-e`, `-` for stdin). */
export interface InlineProgram {
  effects: CodeEffect[];
  flag: string;
}

export const TCL_SHELLS = ['tclsh', 'tclsh8.6', 'tclsh9.0', 'wish', 'jimsh', 'expect'];
export const VIM_EDITORS = ['vim', 'vi', 'nvim', 'ex', 'view', 'vimdiff', 'gvim', 'evim', 'nex'];
export const AWKS = ['awk', 'gawk', 'mawk', 'nawk'];
/** Every program whose inline code is read. */
export const INLINE_PROGRAMS = [...INTERPRETERS, ...TCL_SHELLS, ...VIM_EDITORS, ...AWKS];

const cache = new WeakMap<Invocation, InlineProgram | null>();

/** The inline program of an invocation and its effects, read once for every rule that asks; null when there is none. */
export function inlineProgram(inv: Invocation): InlineProgram | null {
  if (!cache.has(inv)) cache.set(inv, readInline(inv));
  return cache.get(inv)!;
}

function fedText(inv: Invocation): string | undefined {
  return inv.stdin ?? (inv.pipeFrom ? staticOutput(inv.pipeFrom) : undefined);
}

function readInline(inv: Invocation): InlineProgram | null {
  const p = inv.program;
  const lang = own(LANGUAGES, p);
  if (lang) {
    const src = interpreterCode(inv);
    if (!src) return null;
    const effects = codeReader().readCode(src.code, lang);
    if (p === 'perl') effects.push(...perlInPlace(inv, src.code));
    return { effects, flag: src.flag };
  }
  if (TCL_SHELLS.includes(p)) {
    const code = p === 'expect' ? inv.parsed({ values: ['-c', '-f'] }).values('-c').join('\n') || undefined : undefined;
    const text = code ?? (inv.args.some((a) => !a.startsWith('-')) ? undefined : fedText(inv));
    return text === undefined ? null : { effects: readTcl(text, 0), flag: code !== undefined ? '-c' : '-' };
  }
  if (VIM_EDITORS.includes(p)) return readVimInvocation(inv);
  if (AWKS.includes(p)) {
    const a = inv.parsed({ values: ['-F', '-v', '-f', '-e', '--source', '-i', '--include', '-l', '--load', '--file', '--assign', '--field-separator'], stopAtPositional: true });
    if (a.has('-f', '--file')) return null;
    const code = a.values('-e', '--source').join('\n') || a.positionals[0];
    return code === undefined ? null : { effects: readAwk(code), flag: 'program' };
  }
  return null;
}

/** `perl -pi -e '$_=""' f`, `perl -ni -e '' f`: the files are rewritten in place with nothing (no backup suffix). */
function perlInPlace(inv: Invocation, code: string): CodeEffect[] {
  let inPlace = false;
  let printsEachLine = false;
  let codeFlags = 0;
  const files: string[] = [];
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i];
    if (/^-[a-zA-Z]+$/.test(a) && !a.startsWith('--')) {
      if (/^-[a-zA-Z]*i$/.test(a)) inPlace = true;
      if (a.includes('p')) printsEachLine = true;
      if (/[eE]$/.test(a)) {
        codeFlags++;
        i++;
      }
    } else if (a === '--') continue;
    else if (!a.startsWith('-') && codeFlags) files.push(a);
  }
  if (!inPlace || !files.length) return [];
  const tokens = tokenise(code, 'perl');
  const assignsEmpty = tokens.some((t, k) => t.text === '$_' && tokens[k + 1]?.text === '=' && tokens[k + 2]?.text !== '=' && tokens[k + 2]?.kind === 'string' && tokens[k + 2].text === '' && (k + 3 >= tokens.length || tokens[k + 3].text === ';'));
  const undefines = tokens.some((t, k) => t.text === 'undef' && (tokens[k + 1]?.text === '$_' || (tokens[k + 1]?.text === '(' && tokens[k + 2]?.text === '$_')));
  const prints = tokens.some((t) => t.kind === 'name' && /^(print|printf|say|syswrite)$/.test(t.text));
  const empties = printsEachLine ? assignsEmpty || undefines : !prints;
  return empties ? files.map((path) => ({ kind: 'empties' as const, path })) : [];
}

/** One word of Tcl: its text and whether it holds a substitution (`$x`, `[cmd]`). */
type TclWord = { text: string; dynamic: boolean };

/** Splits Tcl into commands of words (braces quote, `[…]` nests, `;` and newlines end a command). */
function tclCommands(src: string, nested: string[]): TclWord[][] {
  const commands: TclWord[][] = [];
  let words: TclWord[] = [];
  let i = 0;
  const end = () => {
    if (words.length) commands.push(words);
    words = [];
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\n' || c === ';') {
      end();
      i++;
    } else if (/\s/.test(c) || (c === '\\' && src[i + 1] === '\n')) {
      i += c === '\\' ? 2 : 1;
    } else if (c === '#' && !words.length) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '{') {
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '\\') j++;
        else if (src[j] === '{') depth++;
        else if (src[j] === '}' && --depth === 0) break;
      }
      words.push({ text: src.slice(i + 1, j), dynamic: false });
      i = j + 1;
    } else {
      // A bare or quoted word: `$` and `[…]` make it dynamic; bracketed commands are read too.
      const quoted = c === '"';
      let j = quoted ? i + 1 : i;
      let text = '';
      let dynamic = false;
      while (j < src.length && (quoted ? src[j] !== '"' : !/[\s;]/.test(src[j]))) {
        if (src[j] === '\\' && j + 1 < src.length) {
          text += src[j + 1];
          j += 2;
        } else if (src[j] === '[') {
          let depth = 0;
          let k = j;
          for (; k < src.length; k++) {
            if (src[k] === '[') depth++;
            else if (src[k] === ']' && --depth === 0) break;
          }
          nested.push(src.slice(j + 1, k));
          dynamic = true;
          j = k + 1;
        } else {
          if (src[j] === '$') dynamic = true;
          text += src[j++];
        }
      }
      words.push({ text, dynamic });
      i = quoted ? j + 1 : j;
    }
  }
  end();
  return commands;
}

const MAX_TCL_DEPTH = 4;

/** Tcl's `file delete`, `file rename -force`, `open f w`, `exec`, and `eval` of what it cannot read. */
function readTcl(src: string, depth: number): CodeEffect[] {
  const nested: string[] = [];
  const out: CodeEffect[] = [];
  let writesData = false;
  for (const words of tclCommands(src, nested)) {
    const [cmd, ...rest] = words;
    if (cmd.dynamic) {
      out.push({ kind: 'opaque', why: 'a Tcl command named at run time' });
      continue;
    }
    const operands = (from: number) => {
      const ws = rest.slice(from);
      let k = 0;
      while (k < ws.length && ws[k].text.startsWith('-') && !ws[k].dynamic) if (ws[k++].text === '--') break;
      return { force: ws.slice(0, k).some((w) => w.text === '-force'), paths: ws.slice(k) };
    };
    const lit = (w: TclWord | undefined) => (w && !w.dynamic ? w.text : undefined);
    if (cmd.text === 'file' && rest[0]?.text === 'delete') {
      const { paths } = operands(1);
      out.push(...paths.map((w) => ({ kind: 'deletes' as const, path: lit(w) })));
    } else if (cmd.text === 'file' && rest[0]?.text === 'rename') {
      const { force, paths } = operands(1);
      if (force && paths.length >= 2) out.push({ kind: 'renames', from: lit(paths[0]), to: lit(paths[paths.length - 1]) });
    } else if (cmd.text === 'exec' || cmd.text === 'spawn') {
      const { paths } = operands(0);
      out.push({ kind: 'shell', command: paths.some((w) => w.dynamic) ? undefined : paths.map((w) => w.text).join(' ') });
    } else if (cmd.text === 'open' && rest.length >= 2 && /^w|TRUNC/.test(rest[1].text)) {
      out.push({ kind: 'empties', path: lit(rest[0]), opened: true });
    } else if (cmd.text === 'puts' && rest.length >= 2) {
      writesData = true;
    } else if (['eval', 'uplevel', 'subst', 'interp', 'namespace', 'apply', 'after', 'catch', 'if', 'while', 'for', 'foreach', 'proc', 'try'].includes(cmd.text)) {
      // Bodies in braces are code: read them; a body built at run time cannot be.
      for (const w of rest) {
        if (w.dynamic && (cmd.text === 'eval' || cmd.text === 'uplevel' || cmd.text === 'subst')) out.push({ kind: 'opaque', why: `Tcl ${cmd.text} of code built at run time` });
        else if (!w.dynamic && /[\s;]/.test(w.text) && depth < MAX_TCL_DEPTH) out.push(...readTcl(w.text, depth + 1));
      }
    }
  }
  if (depth < MAX_TCL_DEPTH) for (const n of nested) out.push(...readTcl(n, depth + 1));
  return writesData ? out.filter((e) => !(e.kind === 'empties' && e.opened)) : out;
}

/** Vim's own interfaces to other languages: `:py3 …`, `:perl …`, `:ruby …`. */
const VIM_LANGUAGES: Record<string, Language> = { py: 'python', py3: 'python', python: 'python', python3: 'python', pyx: 'python', pythonx: 'python', perl: 'perl', pe: 'perl', ruby: 'ruby', rub: 'ruby' };
const VIM_RANGE = /^(?:%|(?:\d+|\.|\$|'[a-z<>]|\/[^/]*\/|\?[^?]*\?)?(?:\s*[+-]\d*)*(?:\s*[,;]\s*(?:\d+|\.|\$|'[a-z<>]|\/[^/]*\/|\?[^?]*\?)(?:\s*[+-]\d*)*)?)\s*/;
const VIM_MODIFIERS = /^(?:(?:sil(?:ent)?!?|keepa(?:lt)?|keepj(?:umps)?|keepp(?:atterns)?|noa(?:utocmd)?|uns(?:ilent)?|lockm(?:arks)?|verb(?:ose)?|vert(?:ical)?|bo(?:tright)?|to(?:pleft)?|tab|hid(?:e)?|conf(?:irm)?|sandbox|redraw!?)\s+)+/;
const VIM_WRITES = /^(?:w|wr|wri|writ|write|wq|x|xi|xit|exi|exit|up|upd|upda|updat|update|wa|wall|wqa|wqall|xa|xall)!?(?:\s|$)/;
const VIM_DELETE = /^d(?:e|el|ele|elet|elete)?!?(?:\s|$)/;

/** What Ex commands do to the files being edited and to the rest of the machine. */
export function readVim(commands: readonly string[], files: readonly string[], depth = 0): CodeEffect[] {
  const out: CodeEffect[] = [];
  let emptiesBuffer = false;
  let writes = false;
  const pieces: string[] = [];
  for (const line of commands) {
    // `|` separates commands, except after `!` (the shell gets the rest) and inside :normal.
    let rest = line;
    while (rest.length) {
      const head = rest.replace(/^[\s:]+/, '').replace(VIM_MODIFIERS, '');
      const afterRange = head.replace(VIM_RANGE, '');
      if (/^(?:!|(?:r|re|rea|read|w|wr|write)\s*!|norm(?:al)?!?\s|g(?:lobal)?!?|v(?:global)?\s*\/)/.test(afterRange)) {
        pieces.push(head);
        break;
      }
      const bar = head.search(/(?<!\\)\|/);
      pieces.push(bar < 0 ? head : head.slice(0, bar));
      rest = bar < 0 ? '' : head.slice(bar + 1);
    }
  }
  for (const piece of pieces) {
    const range = VIM_RANGE.exec(piece)?.[0].trim() ?? '';
    const body = piece.slice(VIM_RANGE.exec(piece)?.[0].length ?? 0).trim();
    const whole = range === '%' || /^1\s*,\s*\$$/.test(range);
    let m: RegExpExecArray | null;
    if ((m = /^(?:(?:r|re|rea|read|w|wr|write)\s*)?!(.*)$/s.exec(body))) out.push({ kind: 'shell', command: m[1].trim() || undefined });
    else if (VIM_DELETE.test(body) && whole) emptiesBuffer = true;
    else if ((m = /^(?:g(?:lobal)?|v(?:global)?)!?\s*\/(\^|\$|\.\*|)\/\s*d(?:e|el|ele|elet|elete)?\s*$/.exec(body)) && body[0] === 'g') emptiesBuffer = true;
    else if (/^norm(?:al)?!?\s+.*(?:ggdG|gg"_dG|ggVGd|:%d)/.test(body)) emptiesBuffer = true;
    else if (VIM_WRITES.test(body)) writes = true;
    else if ((m = /^(\w+)\s+(.*)$/s.exec(body)) && own(VIM_LANGUAGES, m[1])) out.push(...codeReader().readCode(m[2], own(VIM_LANGUAGES, m[1])!));
    else if ((m = /^(?:lua|luado|luafile|pyf(?:ile)?|py3f(?:ile)?|perld(?:o)?|rubyd(?:o)?|so(?:urce)?|ru(?:ntime)?)\b/.exec(body))) out.push({ kind: 'opaque', why: `Vim :${m[0]} runs code the guard does not read` });
    else if ((m = /^exe(?:c|cu|cut|cute)?\s+(.*)$/s.exec(body))) {
      const toks = tokenise(m[1], 'vim');
      const text = literal(toks);
      if (text !== undefined && depth < 3) out.push(...readVim([text], files, depth + 1));
      else out.push({ kind: 'opaque', why: 'Vim :execute of a command built at run time' });
    } else if (/\(/.test(body)) out.push(...codeReader().readCode(body, 'vim'));
  }
  if (emptiesBuffer && writes) out.push(...(files.length ? files : [undefined]).map((path) => ({ kind: 'empties' as const, path })));
  return out;
}

function readVimInvocation(inv: Invocation): InlineProgram | null {
  const commands: string[] = [];
  const files: string[] = [];
  const values = new Set(['-u', '-U', '-i', '-T', '-w', '-W', '-t', '-q', '-r', '-S', '--servername', '--remote', '--startuptime', '--listen']);
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i];
    if (a === '--cmd' || a === '-c') {
      if (inv.args[i + 1] !== undefined) commands.push(inv.args[++i]);
    } else if (a.startsWith('+') && a.length > 1) commands.push(a.slice(1));
    else if (/^-[A-Za-z]*c$/.test(a) && !a.startsWith('--')) {
      if (inv.args[i + 1] !== undefined) commands.push(inv.args[++i]);
    } else if (values.has(a) || (/^-[A-Za-z]+$/.test(a) && values.has(`-${a[a.length - 1]}`))) i++;
    else if (a === '--') files.push(...inv.args.slice(i + 1)), (i = inv.args.length);
    else if (!a.startsWith('-')) files.push(a);
  }
  // Ex mode reads its commands from standard input: `ex -s f <<< '%d|x'`.
  const exMode = inv.program === 'ex' || inv.program === 'nex' || inv.args.some((a) => /^-[A-Za-z]*[eE][A-Za-z]*$/.test(a) && !a.startsWith('--'));
  const fed = exMode ? fedText(inv) : undefined;
  if (fed !== undefined) commands.push(...fed.split('\n'));
  if (!commands.length) return null;
  return { effects: readVim(commands, files), flag: fed !== undefined ? '-' : '-c' };
}

/** awk's `system(…)`, `print | "cmd"`, `"cmd" | getline`, and `printf "" > "f"` (a file opened and left empty). */
export function readAwk(src: string): CodeEffect[] {
  type T = { kind: 'name' | 'string' | 'punct' | 'other'; text: string };
  const toks: T[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const prev = toks[toks.length - 1];
    if (c === '\n' || c === ';') {
      toks.push({ kind: 'punct', text: ';' });
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '#') while (i < src.length && src[i] !== '\n') i++;
    else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) {
          text += src[j + 1] === 'n' ? '\n' : src[j + 1];
          j += 2;
        } else text += src[j++];
      }
      toks.push({ kind: 'string', text });
      i = j + 1;
    } else if (c === '/' && !(prev && (prev.kind === 'name' || prev.kind === 'other' || prev.text === ')' || prev.text === ']'))) {
      // A regular expression literal.
      let j = i + 1;
      while (j < src.length && src[j] !== '/' && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      toks.push({ kind: 'other', text: src.slice(i, j + 1) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /\w/.test(src[j])) j++;
      toks.push({ kind: 'name', text: src.slice(i, j) });
      i = j;
    } else if (/[\d$.]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w.]/.test(src[j])) j++;
      toks.push({ kind: 'other', text: src.slice(i, j) });
      i = j;
    } else {
      const two = src.slice(i, i + 2);
      const op = ['>>', '||', '&&', '==', '!=', '>=', '<=', '|&'].includes(two) ? two : c;
      toks.push({ kind: 'punct', text: op });
      i += op.length;
    }
  }
  const out: CodeEffect[] = [];
  const isStatementEnd = (t: T | undefined) => !t || (t.kind === 'punct' && (t.text === ';' || t.text === '}' || t.text === '{'));
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind === 'name' && t.text === 'system' && toks[k + 1]?.text === '(') {
      const arg = toks[k + 2];
      out.push({ kind: 'shell', command: arg?.kind === 'string' && toks[k + 3]?.text === ')' ? arg.text : undefined });
    } else if (t.kind === 'punct' && (t.text === '|' || t.text === '|&')) {
      const next = toks[k + 1];
      if (next?.kind === 'name' && next.text === 'getline') {
        const cmd = toks[k - 1];
        out.push({ kind: 'shell', command: cmd?.kind === 'string' && isStatementEnd(toks[k - 2]) ? cmd.text : undefined });
      } else out.push({ kind: 'shell', command: next?.kind === 'string' && isStatementEnd(toks[k + 2]) ? next.text : undefined });
    } else if (t.kind === 'name' && (t.text === 'print' || t.text === 'printf')) {
      // `print … > "file"`: the file is opened (emptied) once; it is emptied for good when what is printed is nothing.
      let e = k + 1;
      while (e < toks.length && !isStatementEnd(toks[e]) && toks[e].text !== '>' && toks[e].text !== '|') e++;
      const target = toks[e]?.text === '>' ? toks[e + 1] : undefined;
      if (target?.kind === 'string') {
        const printed = toks.slice(k + 1, e).filter((x) => x.text !== '(' && x.text !== ')');
        if (printed.every((x) => x.kind === 'string' && x.text === '') && (printed.length || t.text === 'printf')) out.push({ kind: 'empties', path: target.text });
      }
    }
  }
  return out;
}
