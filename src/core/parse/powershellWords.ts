// PowerShell text at the level of words: blanks and comments, parameters (`-Name`, `-Name:value`), quotes (typographic
// ones too), backtick escapes, here-strings, variables, `$(…)`, `@(…)`, `(…)` and script blocks inside a word, and
// hashtables. The Parser in powershell.ts builds statements and pipelines on top; what a word holds that runs is
// read as statements through it.

import type { PsCommand } from './powershell';
import type { Word } from './shell';

export const SPACE = /[ \t\r\f\v\u00a0\u2000-\u200b\u3000\ufeff]/;
const SINGLE_QUOTES = '\'\u2018\u2019\u201a\u201b';
const DOUBLE_QUOTES = '"\u201c\u201d\u201e';
export const DASHES = '-\u2013\u2014\u2015';
const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const STATIC_VARIABLES = /^\$(true|false|null)$/i;

/** Whether c is one of the characters in set (never true for the end of the text). */
export function isOne(set: string, c: string | undefined): boolean {
  return c !== undefined && c !== '' && set.includes(c);
}

/** Reads words from the text at `pos`; the statements and pipelines they hold are the subclass's to read. */
export abstract class PsWordReader {
  pos = 0;
  readonly commands: PsCommand[] = [];
  readonly errors: string[] = [];
  /** The hashtable the last `@{…}` word held, for `$x = @{…}`. */
  protected lastHashtable: Map<string, Word | null> | undefined;

  constructor(protected readonly src: string) {}

  error(e: string): void {
    if (!this.errors.includes(e)) this.errors.push(e);
  }

  /** Statements up to `stop` (consumed) or the end. */
  abstract statements(stop: string | null): void;

  /** One pipeline, up to a statement's end or `stop` (not consumed). */
  protected abstract pipeline(stop: string | null): void;

  /** Skips blanks, line continuations and comments; with `lines`, also newlines and `;`. */
  protected skip(lines: boolean): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (SPACE.test(c)) this.pos++;
      else if (c === '`' && (s[this.pos + 1] === '\n' || (s[this.pos + 1] === '\r' && s[this.pos + 2] === '\n'))) this.pos += s[this.pos + 1] === '\r' ? 3 : 2;
      else if (c === '<' && s[this.pos + 1] === '#') {
        const end = s.indexOf('#>', this.pos + 2);
        if (end < 0) {
          this.error('unclosed <# comment');
          this.pos = s.length;
        } else this.pos = end + 2;
      } else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (lines && (c === '\n' || c === ';')) this.pos++;
      else break;
    }
  }

  /**
   * One argument: its text after quote and escape removal, with expansions kept as written and marked dynamic.
   * `-Name` (unquoted, a dash then a letter) is a parameter, `-Name:value` one with its value attached.
   */
  word(isName: boolean): { word: Word; param?: { name: string; value?: Word } } {
    const s = this.src;
    const start = this.pos;
    if (!isName && isOne(DASHES, s[this.pos]) && /[A-Za-z_?\-\u2013\u2014\u2015]/.test(s[this.pos + 1] ?? '')) {
      let end = this.pos + 1;
      while (end < s.length && !/[\s;|&,)}(:{'"<>]/.test(s[end]) && !SPACE.test(s[end])) end++;
      const name = s.slice(this.pos + 1, end).replace(/^[\u2013\u2014\u2015]/, '-');
      this.pos = end;
      if (s[end] === ':' && end + 1 < s.length && !/[\s;|)}]/.test(s[end + 1])) {
        this.pos = end + 1;
        const value = this.word(false).word;
        return { word: { text: s.slice(start, this.pos), raw: s.slice(start, this.pos), dynamic: value.dynamic, quoted: value.quoted }, param: { name, value } };
      }
      if (s[end] === ':') this.pos = end + 1;
      const text = s.slice(start, end);
      return { word: { text, raw: text, dynamic: false, quoted: false }, param: { name } };
    }
    let text = '';
    let dynamic = false;
    let quoted = false;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (SPACE.test(c) || c === '\n' || c === ';' || c === '|' || c === ')' || c === '}' || c === ',') break;
      if (c === '&' || c === '>' || c === '<') break;
      if (isOne(SINGLE_QUOTES, c)) {
        quoted = true;
        text += this.singleQuoted();
      } else if (isOne(DOUBLE_QUOTES, c)) {
        quoted = true;
        const r = this.doubleQuoted();
        text += r.text;
        dynamic ||= r.dynamic;
      } else if (c === '@' && (isOne(SINGLE_QUOTES, s[this.pos + 1]) || isOne(DOUBLE_QUOTES, s[this.pos + 1])) && /^@.[ \t]*\r?\n/.test(s.slice(this.pos, this.pos + 40))) {
        quoted = true;
        const r = this.hereString();
        text += r.text;
        dynamic ||= r.dynamic;
      } else if (c === '`') {
        const n = s[this.pos + 1];
        if (n === undefined) {
          this.pos++;
          break;
        }
        if (n === '\n' || (n === '\r' && s[this.pos + 2] === '\n')) break;
        text += ESCAPES[n] ?? n;
        quoted = true;
        this.pos += 2;
      } else if (c === '$' || (c === '@' && s[this.pos + 1] === '(')) {
        const r = this.variable();
        text += r.text;
        dynamic ||= r.dynamic;
      } else if (c === '@' && s[this.pos + 1] === '{') {
        const from = this.pos;
        this.pos += 2;
        this.lastHashtable = this.hashtable();
        text += s.slice(from, this.pos);
        dynamic = true;
      } else if (c === '(') {
        const from = this.pos;
        this.pos++;
        this.statements(')');
        text += s.slice(from, this.pos);
        dynamic = true;
      } else if (c === '{') {
        const from = this.pos;
        this.pos++;
        this.statements('}');
        text += s.slice(from, this.pos);
      } else {
        text += c;
        this.pos++;
      }
    }
    return { word: { text, raw: s.slice(start, this.pos), dynamic, quoted } };
  }

  private singleQuoted(): string {
    const s = this.src;
    let text = '';
    this.pos++;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (isOne(SINGLE_QUOTES, c)) {
        if (isOne(SINGLE_QUOTES, s[this.pos + 1])) {
          text += "'";
          this.pos += 2;
          continue;
        }
        this.pos++;
        return text;
      }
      text += c;
      this.pos++;
    }
    this.error('unclosed quote');
    return text;
  }

  private doubleQuoted(): { text: string; dynamic: boolean } {
    const s = this.src;
    this.pos++;
    const r = this.expandable((i) => {
      if (!isOne(DOUBLE_QUOTES, s[i])) return 0;
      return isOne(DOUBLE_QUOTES, s[i + 1]) ? -1 : 1;
    });
    if (!r.closed) this.error('unclosed quote');
    return r;
  }

  private hereString(): { text: string; dynamic: boolean } {
    const s = this.src;
    const quote = s[this.pos + 1];
    const single = isOne(SINGLE_QUOTES, quote);
    this.pos = s.indexOf('\n', this.pos) + 1;
    const closes = (i: number) => (s[i] === '\n' || (s[i] === '\r' && s[i + 1] === '\n')) && new RegExp(`^\\r?\\n[ \\t]*[${single ? SINGLE_QUOTES : DOUBLE_QUOTES}]@`).test(s.slice(i, i + 40));
    if (single) {
      let end = this.pos;
      while (end < s.length && !closes(end)) end++;
      const text = s.slice(this.pos, end);
      if (end >= s.length) this.error('unclosed here-string');
      this.pos = end >= s.length ? s.length : s.indexOf('@', end) + 1;
      return { text, dynamic: false };
    }
    const r = this.expandable((i) => (closes(i) ? 1 : 0));
    if (!r.closed) this.error('unclosed here-string');
    else this.pos = s.indexOf('@', this.pos) + 1;
    return r;
  }

  /**
   * The body of a double-quoted string or here-string: backtick escapes, `$name` and `$(…)` (read as commands).
   * `end(i)`: 1 when the string ends at i (that character consumed), -1 for an escaped quote (`""`), else 0.
   */
  private expandable(end: (i: number) => number): { text: string; dynamic: boolean; closed: boolean } {
    const s = this.src;
    let text = '';
    let dynamic = false;
    while (this.pos < s.length) {
      const e = end(this.pos);
      if (e === 1) {
        this.pos++;
        return { text, dynamic, closed: true };
      }
      if (e === -1) {
        text += '"';
        this.pos += 2;
        continue;
      }
      const c = s[this.pos];
      if (c === '`' && this.pos + 1 < s.length) {
        const n = s[this.pos + 1];
        if (n === 'u' && s[this.pos + 2] === '{') {
          const close = s.indexOf('}', this.pos);
          const code = parseInt(s.slice(this.pos + 3, close), 16);
          text += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
          this.pos = close < 0 ? s.length : close + 1;
          continue;
        }
        text += ESCAPES[n] ?? n;
        this.pos += 2;
        continue;
      }
      if (c === '$' && /[\w{(:?$^]/.test(s[this.pos + 1] ?? '')) {
        const r = this.variable(true);
        text += r.text;
        dynamic ||= r.dynamic;
        continue;
      }
      text += c;
      this.pos++;
    }
    return { text, dynamic, closed: false };
  }

  /** `$name`, `${name}`, `$env:NAME`, `$(…)`, `@(…)`: kept as written; dynamic unless `$true`, `$false`, `$null`. */
  private variable(inString = false): { text: string; dynamic: boolean } {
    const s = this.src;
    const start = this.pos;
    if (s[this.pos + 1] === '(') {
      this.pos += 2;
      this.statements(')');
      return { text: s.slice(start, this.pos), dynamic: true };
    }
    if (s[this.pos + 1] === '{') {
      const close = s.indexOf('}', this.pos);
      this.pos = close < 0 ? s.length : close + 1;
      if (close < 0) this.error('unclosed ${');
      return { text: s.slice(start, this.pos), dynamic: true };
    }
    const m = /^\$(?:[\w]+:)?[\w]*|^\$[?$^]/.exec(s.slice(this.pos, this.pos + 200));
    this.pos += Math.max(1, m ? m[0].length : 1);
    const name = s.slice(start, this.pos);
    if (name === '$') return { text: '$', dynamic: false };
    // In a string `$x.Name` is `$x` then `.Name`; in an argument the property is part of the value.
    if (!inString) {
      while (this.pos < s.length && /[\w.[\]]/.test(s[this.pos]) && !(s[this.pos] === '.' && s[this.pos + 1] === '.')) this.pos++;
    }
    return { text: s.slice(start, this.pos), dynamic: !STATIC_VARIABLES.test(name) };
  }

  /** `@{ Key = value; … }` after the `@{`: the keys and their static values; values that are commands are read too. */
  private hashtable(): Map<string, Word | null> {
    const s = this.src;
    const table = new Map<string, Word | null>();
    for (;;) {
      this.skip(true);
      if (this.pos >= s.length) {
        this.error('unclosed @{');
        return table;
      }
      if (s[this.pos] === '}') {
        this.pos++;
        return table;
      }
      // `Key='v'` written with no blank: the bare key ends at its `=`.
      const bare = /^([A-Za-z_][\w-]*)\s*=/.exec(s.slice(this.pos, this.pos + 200));
      const key = bare ? { text: bare[1] } : this.word(true).word;
      if (bare) this.pos += bare[1].length;
      this.skip(false);
      if (s[this.pos] !== '=') {
        this.error('a hashtable entry without =');
        while (this.pos < s.length && !/[;\n}]/.test(s[this.pos])) this.pos++;
        continue;
      }
      this.pos++;
      this.skip(false);
      const before = this.commands.length;
      const from = this.pos;
      this.pipeline('}');
      const added = this.commands.slice(before);
      const only = added.length === 1 ? added[0] : undefined;
      const value = only && only.kind === 'expression' && only.args.length === 1 && only.args[0].words.length === 1 && !only.redirects.length ? only.args[0].words[0] : null;
      table.set(key.text.toLowerCase(), value);
      if (this.pos === from) this.pos++;
    }
  }
}
