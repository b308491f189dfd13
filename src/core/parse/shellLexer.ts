// Shell text -> tokens (words, operators, redirections), the way bash splits it: quotes, escapes, $(…), backticks,
// ${…}, $'…', process substitution, heredoc bodies; the scripts inside substitutions are collected to be read too.

import { laterCode, qualifierCode } from './laterCode';
import type { Redirect, Word } from './shell';

const MAX_LENGTH_FOR_DETAIL = 120;

type Token =
  | { kind: 'word'; word: Word; start: number; end: number }
  | { kind: 'op'; op: string; start: number; end: number }
  | { kind: 'redir'; redirect: Redirect; start: number; end: number };

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  stripTabs: boolean;
  expand: boolean;
}

/** Words after which a `(` begins a subshell or a pattern list, not a glob (see Lexer.globGroupHere). */
const GROUP_BEFORE = new Set([']]', '))', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time', 'in', 'coproc', 'function', 'nocorrect', 'noglob', 'repeat', 'always']);
/** zsh's short loops: `for i (1 2 3) cmd`, `foreach`, `select`. */
const LOOPS = new Set(['for', 'foreach', 'select', 'repeat']);

const META = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '(', ')', '<', '>']);

export class Lexer {
  pos: number;
  readonly tokens: Token[] = [];
  readonly nested: string[] = [];
  readonly errors: string[] = [];
  private pending: PendingHeredoc[] = [];
  private expectHeredocDelimiter: Redirect | null = null;

  constructor(private readonly src: string, start = 0, private readonly stopAtParen = false) {
    this.pos = start;
  }

  /** Tokenises to the end (or to the `)` closing a $(…) when stopAtParen); returns the stop position. */
  run(): number {
    const src = this.src;
    let depth = 0;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
        continue;
      }
      if (c === '\\' && src[this.pos + 1] === '\n') {
        this.pos += 2;
        continue;
      }
      if (c === '#') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (c === '\n') {
        this.pushOp('\n', 1);
        this.readHeredocBodies();
        continue;
      }
      if ((c === '<' || c === '>') && src[this.pos + 1] === '(') {
        this.readWord();
        continue;
      }
      if (c === '(' && this.globGroupHere()) {
        this.readWord(true);
        continue;
      }
      const op = this.matchOperator();
      if (op) {
        if (op === '(') depth++;
        if (op === ')') {
          if (this.stopAtParen && depth === 0) return this.pos;
          depth--;
        }
        this.pushOp(op, op.length);
        continue;
      }
      const redir = this.matchRedirect();
      if (redir) continue;
      this.readWord();
    }
    if (this.stopAtParen) this.errors.push('unclosed $( … )');
    if (this.pending.length) this.readHeredocBodies();
    return this.pos;
  }

  private pushOp(op: string, len: number): void {
    this.tokens.push({ kind: 'op', op, start: this.pos, end: this.pos + len });
    this.pos += len;
  }

  private matchOperator(): string | null {
    const s = this.src.slice(this.pos, this.pos + 3);
    for (const op of [';;&', ';;', ';&', '&&', '||', '|&']) if (s.startsWith(op)) return op;
    const c = s[0];
    if (c === ';' || c === '|' || c === '(' || c === ')') return c;
    if (c === '&' && s[1] !== '>') return '&';
    return null;
  }

  private matchRedirect(): boolean {
    const src = this.src;
    let p = this.pos;
    let fd: string | undefined;
    // A word made only of digits right before < or > is a file descriptor (2>err).
    let q = p;
    while (q < src.length && src[q] >= '0' && src[q] <= '9') q++;
    if (q > p && (src[q] === '<' || src[q] === '>')) {
      fd = src.slice(p, q);
      p = q;
    }
    const s = src.slice(p, p + 3);
    const ops = ['<<<', '<<-', '&>>', '<<', '>>', '>|', '<>', '>&', '<&', '&>', '<', '>'];
    const op = ops.find((o) => s.startsWith(o));
    if (!op) return false;
    const start = this.pos;
    this.pos = p + op.length;
    const redirect: Redirect = { op, fd };
    this.tokens.push({ kind: 'redir', redirect, start, end: this.pos });
    if (op === '<<' || op === '<<-') this.expectHeredocDelimiter = redirect;
    return true;
  }

  /**
   * Whether a `(` here begins a word: after an argument or a redirection, where bash has a syntax error and zsh a glob
   * (`sed -i … (.vscode|x)/settings.json`, `> (#a1).vscodx/…` with extendedglob). Not a function's `f ()`, nor
   * after a word that may begin a subshell or a pattern list (`if (…)`, `case x in (a)`, zsh's `for i (1 2)`).
   */
  private globGroupHere(): boolean {
    const last = this.tokens[this.tokens.length - 1];
    if (!last || (last.kind !== 'word' && last.kind !== 'redir')) return false;
    if (/^\(\s*\)/.test(this.src.slice(this.pos, this.pos + 64))) return false;
    // A glob holds no blank: `time -p (rm -rf data)` and zsh's `if [[ -d d ]] (rm -rf d)` are subshells.
    for (let i = this.pos + 1, depth = 1; i < this.src.length && i < this.pos + 4096; i++) {
      const c = this.src[i];
      if (c === '\\') i++;
      else if (/\s/.test(c)) return false;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    if (last.kind === 'redir') return true;
    const before = this.tokens[this.tokens.length - 2];
    const word = last.word.raw;
    if (word === '-p' && before?.kind === 'word' && before.word.raw === 'time') return false;
    return !GROUP_BEFORE.has(word) && !(before?.kind === 'word' && LOOPS.has(before.word.raw));
  }

  private readWord(groupFirst = false): void {
    const src = this.src;
    const start = this.pos;
    let text = '';
    let dynamic = false;
    let quoted = false;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if ((c === '<' || c === '>') && src[this.pos + 1] === '(' && (this.pos === start || text !== '')) {
        // Process substitution: runs a script.
        const open = this.pos;
        this.pos += 2;
        const end = this.readNestedScript();
        text += src.slice(open, end);
        dynamic = true;
        continue;
      }
      if (c === '(' && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$/.test(text) && this.pos === start + text.length) {
        // An array assignment, `paths=(a b $PATH)`: the parenthesised list is the value, not a subshell.
        const list = this.readParenGroup('unclosed array assignment');
        text += list;
        this.nested.push(...scanExpansions(list));
        dynamic = true;
        continue;
      }
      if (c === '(' && (text !== '' || (groupFirst && this.pos === start)) && src[this.pos + 1] !== ')' && !quoted) {
        // A pattern group glued to a word: bash's extglob (`@(rm)`, `+(m)`) or zsh's alternation (`r(m|x)`, `(#i)`).
        // It is part of the word, whose value is only known when the shell matches it against files.
        text += this.readParenGroup('unclosed pattern group');
        dynamic = true;
        continue;
      }
      if (META.has(c)) break;
      if (c === '\\') {
        if (src[this.pos + 1] === '\n') {
          this.pos += 2;
          continue;
        }
        if (this.pos + 1 < src.length) text += src[this.pos + 1];
        quoted = true;
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        const close = src.indexOf("'", this.pos + 1);
        quoted = true;
        if (close < 0) {
          this.errors.push('unbalanced single quote');
          text += src.slice(this.pos + 1);
          this.pos = src.length;
          break;
        }
        text += src.slice(this.pos + 1, close);
        this.pos = close + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        this.pos++;
        const r = this.readDoubleQuoted();
        text += r.text;
        dynamic ||= r.dynamic;
        continue;
      }
      if (c === '$') {
        const r = this.readDollar(false);
        text += r.text;
        dynamic ||= r.dynamic;
        quoted ||= !!r.quoted;
        continue;
      }
      if (c === '`') {
        text += this.readBacktick();
        dynamic = true;
        continue;
      }
      if (c === '*' || c === '?' || (c === '[' && this.closesBracket())) dynamic = true;
      if (c === '{' && /^\{[^{}\s]*(,|\.\.)[^{}\s]*\}/.test(src.slice(this.pos, this.pos + 200))) dynamic = true;
      text += c;
      this.pos++;
    }
    const word: Word = { text, raw: src.slice(start, this.pos), dynamic, quoted };
    // Quotes keep `a[$(cmd)]` whole now, but the shell runs it when the value is read later (`echo $((y))`).
    // zsh runs a glob qualifier's code as it globs an unquoted word (`print -- *(e:cmd:)`).
    const later = quoted ? laterCode(text) : dynamic ? qualifierCode(text) : [];
    for (const code of later) if (!this.nested.includes(code)) this.nested.push(code);
    if (this.expectHeredocDelimiter) {
      this.pending.push({
        redirect: this.expectHeredocDelimiter,
        delimiter: text,
        stripTabs: this.expectHeredocDelimiter.op === '<<-',
        expand: !quoted,
      });
      this.expectHeredocDelimiter = null;
    }
    this.tokens.push({ kind: 'word', word, start, end: this.pos });
  }

  /** A `[` is a glob only when a `]` closes it within the same word (`[` alone is the test command). */
  /** A parenthesised group from the `(` at pos to its matching `)` (backslashes escape), as written; unclosed is an error. */
  private readParenGroup(unclosed: string): string {
    const src = this.src;
    const open = this.pos;
    let depth = 0;
    for (; this.pos < src.length; this.pos++) {
      if (src[this.pos] === '(') depth++;
      else if (src[this.pos] === ')' && --depth === 0) break;
      else if (src[this.pos] === '\\') this.pos++;
    }
    if (depth > 0) this.errors.push(unclosed);
    else this.pos++;
    return src.slice(open, this.pos);
  }

  private closesBracket(): boolean {
    for (let i = this.pos + 1; i < this.src.length && !META.has(this.src[i]); i++) if (this.src[i] === ']') return true;
    return false;
  }

  private readDoubleQuoted(): { text: string; dynamic: boolean } {
    const src = this.src;
    let text = '';
    let dynamic = false;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === '"') {
        this.pos++;
        return { text, dynamic };
      }
      if (c === '\\') {
        const n = src[this.pos + 1];
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          text += n;
          this.pos += 2;
          continue;
        }
        text += c;
        this.pos++;
        continue;
      }
      if (c === '$') {
        const r = this.readDollar(true);
        text += r.text;
        dynamic ||= r.dynamic;
        continue;
      }
      if (c === '`') {
        text += this.readBacktick();
        dynamic = true;
        continue;
      }
      text += c;
      this.pos++;
    }
    this.errors.push('unbalanced double quote');
    return { text, dynamic };
  }

  readDollar(inDouble: boolean): { text: string; dynamic: boolean; quoted?: boolean } {
    const src = this.src;
    const start = this.pos;
    const n = src[this.pos + 1];
    if (n === "'" && !inDouble) {
      this.pos += 2;
      return { text: this.readAnsiC(), dynamic: false, quoted: true };
    }
    if (n === '"' && !inDouble) {
      this.pos += 2;
      const r = this.readDoubleQuoted();
      return { ...r, quoted: true };
    }
    if (n === '(' && src[this.pos + 2] === '(') {
      // Arithmetic: its value is not known, and the substitutions in it run (`$(( $(cmd) ))`, `` $(( `cmd` )) ``).
      this.pos += 3;
      let depth = 2;
      while (this.pos < src.length && depth > 0) {
        const c = src[this.pos];
        if (c === '$') {
          this.readDollar(true);
          continue;
        }
        if (c === '`') {
          this.readBacktick();
          continue;
        }
        if (c === '\\') this.pos++;
        else if (c === '(') depth++;
        else if (c === ')') depth--;
        this.pos++;
      }
      if (depth > 0) this.errors.push('unclosed $(( … ))');
      return { text: src.slice(start, this.pos), dynamic: true };
    }
    if (n === '(') {
      this.pos += 2;
      this.readNestedScript();
      return { text: src.slice(start, this.pos), dynamic: true };
    }
    if (n === '{') {
      this.pos += 2;
      let depth = 1;
      while (this.pos < src.length && depth > 0) {
        const c = src[this.pos];
        if (c === '\\') {
          this.pos += 2;
          continue;
        }
        if (c === '$' && (src[this.pos + 1] === '(' || src[this.pos + 1] === '{')) {
          if (src[this.pos + 1] === '{') {
            depth++;
            this.pos += 2;
          } else this.readDollar(true);
          continue;
        }
        if (c === '`') {
          this.readBacktick();
          continue;
        }
        if (c === "'" && !inDouble) {
          const close = src.indexOf("'", this.pos + 1);
          this.pos = close < 0 ? src.length : close + 1;
          continue;
        }
        if (c === '}') depth--;
        this.pos++;
      }
      if (depth > 0) this.errors.push('unclosed ${ … }');
      const text = src.slice(start, this.pos);
      // bash's `${y@P}` and zsh's `${(e)y}`, `${(%)y}`, `${~y}` run what a value holds (`$(cmd)`, `*(e:cmd:)`),
      // which the line may not show (a command's output, an earlier line's value).
      if (/\$\{(?:\([^)]{0,40}[e%][^)]{0,40}\)|~)|@P\}/.test(text)) this.errors.push(`${text.slice(0, 40)} runs code a value holds`);
      return { text, dynamic: true };
    }
    // zsh's `$~y` globs y's value (and runs a qualifier's code in it).
    if (n === '~') this.errors.push(`${src.slice(this.pos, this.pos + 40)} runs code a value holds`);
    const m = /^\$~?([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(src.slice(this.pos, this.pos + 256));
    if (m) {
      this.pos += m[0].length;
      return { text: m[0], dynamic: true };
    }
    this.pos++;
    return { text: '$', dynamic: false };
  }

  /** $'…' with C escapes: $'\x72m' is `rm`. */
  private readAnsiC(): string {
    const src = this.src;
    let text = '';
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === "'") {
        this.pos++;
        return text;
      }
      if (c !== '\\') {
        text += c;
        this.pos++;
        continue;
      }
      const n = src[this.pos + 1] ?? '';
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
      if (n in simple) {
        text += simple[n];
        this.pos += 2;
        continue;
      }
      let m: RegExpExecArray | null;
      const rest = src.slice(this.pos + 1, this.pos + 10);
      if ((m = /^x([0-9a-fA-F]{1,2})/.exec(rest))) text += String.fromCharCode(parseInt(m[1], 16));
      else if ((m = /^u([0-9a-fA-F]{1,4})/.exec(rest))) text += String.fromCharCode(parseInt(m[1], 16));
      else if ((m = /^U([0-9a-fA-F]{1,8})/.exec(rest))) text += String.fromCodePoint(Math.min(parseInt(m[1], 16), 0x10ffff));
      else if ((m = /^([0-7]{1,3})/.exec(rest))) text += String.fromCharCode(parseInt(m[1], 8) & 0xff);
      else if ((m = /^c(.)/.exec(rest))) text += String.fromCharCode(m[1].charCodeAt(0) & 0x1f);
      else m = null;
      if (m) this.pos += 1 + m[0].length;
      else {
        text += '\\' + n;
        this.pos += 2;
      }
    }
    this.errors.push("unbalanced $' quote");
    return text;
  }

  readBacktick(): string {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    let inner = '';
    while (this.pos < src.length && src[this.pos] !== '`') {
      if (src[this.pos] === '\\' && '`$\\'.includes(src[this.pos + 1] ?? '')) {
        inner += src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      inner += src[this.pos++];
    }
    if (this.pos >= src.length) this.errors.push('unbalanced backtick');
    else this.pos++;
    this.nested.push(inner);
    return src.slice(start, this.pos);
  }

  /** Reads a script up to its closing `)`, starting just after the opening; returns the position after `)`. */
  private readNestedScript(): number {
    const inner = new Lexer(this.src, this.pos, true);
    const end = inner.run();
    this.nested.push(this.src.slice(this.pos, end));
    this.nested.push(...inner.nested);
    this.errors.push(...inner.errors);
    this.pos = end < this.src.length ? end + 1 : end;
    return this.pos;
  }

  private readHeredocBodies(): void {
    const src = this.src;
    for (const h of this.pending) {
      const lines: string[] = [];
      let closed = false;
      while (this.pos < src.length) {
        let nl = src.indexOf('\n', this.pos);
        if (nl < 0) nl = src.length;
        let line = src.slice(this.pos, nl);
        this.pos = Math.min(nl + 1, src.length);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === h.delimiter) {
          closed = true;
          break;
        }
        lines.push(line);
      }
      h.redirect.body = lines.join('\n');
      if (!closed && h.delimiter !== '') this.errors.push(`heredoc not closed by ${truncate(h.delimiter)}`);
      if (h.expand) this.nested.push(...scanExpansions(h.redirect.body));
      else this.nested.push(...laterCode(h.redirect.body));
    }
    this.pending = [];
  }
}

/** Finds the scripts inside $(…) and `…` of text that expands like a heredoc body. */
export function scanExpansions(text: string): string[] {
  if (!text.includes('$(') && !text.includes('`')) return [];
  const found: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if ((c === '$' && text[i + 1] === '(') || c === '`') {
      const lx = new Lexer(text, i);
      if (c === '`') lx.readBacktick();
      else lx.readDollar(true);
      found.push(...lx.nested);
      i = Math.max(lx.pos, i + 1);
      continue;
    }
    i++;
  }
  return found;
}

function truncate(s: string): string {
  return s.length > MAX_LENGTH_FOR_DETAIL ? s.slice(0, MAX_LENGTH_FOR_DETAIL) + '…' : s;
}
