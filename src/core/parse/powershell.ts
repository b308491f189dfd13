// PowerShell text -> commands, the way PowerShell reads it: statements (`;`, newlines, `&&`, `||`), pipelines,
// command and expression mode, `&` and `.` invocation, parameters (`-Name`, `-Name:value`), comma lists, splatting,
// quotes (typographic ones too), backtick escapes and line continuations, here-strings, `$(…)`, `@(…)`, `(…)`,
// script blocks and hashtables. Every command inside a block or subexpression is read too: it may run.
// What the commands do is decided by cmdlets.ts; this file only reads.

import type { Redirect, Word } from './shell';

export interface PsArg {
  /** `-Name` as written without the dash (`Rec`, `fo`, `-force` for a `--force`); absent for a value. */
  param?: string;
  /** The value words: a positional (or a comma list `a, b`), or the value attached to `-Name:value`. */
  words: Word[];
  /** `-Name:value`: the value belongs to the parameter, even a switch's (`-Recurse:$false`). */
  attached?: boolean;
  /** `@name`: arguments splatted from a variable. */
  splat?: string;
  raw: string;
}

export interface PsCommand {
  kind: 'command' | 'expression';
  /** The command name (commands only): a word that may be dynamic (`& $tool`). */
  name?: Word;
  /** `&` (call) or `.` (dot-source) before the name. */
  call?: '&' | '.';
  args: PsArg[];
  redirects: Redirect[];
  /** The element's own source text. */
  text: string;
  /** The element before this one in a pipeline. */
  pipeFrom?: PsCommand;
  /** The command whose script block, parentheses or subexpression hold this one (`ForEach-Object { … }`). */
  container?: PsCommand;
  /** `$name = …`: the variable this element's output is assigned to (`env:PATH` for `$env:PATH = …`). */
  assignedTo?: string;
  /** Arguments after `--%`, passed to a native program as written. */
  verbatim?: string;
}

export interface ParsedPowerShell {
  commands: PsCommand[];
  /** `$name = @{ Key = 'value' }` seen in the script: what `@name` splats. Values are null when not static. */
  hashtables: Map<string, Map<string, Word | null>>;
  /** `$name = 'a', 'b'` or `@('a', 'b')`: what `@name` splats into a native command. */
  arrays: Map<string, Word[]>;
  errors: string[];
}

const SPACE = /[ \t\r\f\v\u00a0\u2000-\u200b\u3000\ufeff]/;
const SINGLE_QUOTES = '\'\u2018\u2019\u201a\u201b';
const DOUBLE_QUOTES = '"\u201c\u201d\u201e';
const DASHES = '-\u2013\u2014\u2015';
const MAX_NESTING = 100;
const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const STATIC_VARIABLES = /^\$(true|false|null)$/i;

/** Whether c is one of the characters in set (never true for the end of the text). */
function isOne(set: string, c: string | undefined): boolean {
  return c !== undefined && c !== '' && set.includes(c);
}

class Parser {
  pos = 0;
  readonly commands: PsCommand[] = [];
  readonly errors: string[] = [];
  readonly hashtables = new Map<string, Map<string, Word | null>>();
  readonly arrays = new Map<string, Word[]>();
  private readonly containers: PsCommand[] = [];
  private nesting = 0;

  constructor(private readonly src: string) {}

  error(e: string): void {
    if (!this.errors.includes(e)) this.errors.push(e);
  }

  /** Statements up to `stop` (consumed) or the end. */
  statements(stop: string | null): void {
    if (++this.nesting > MAX_NESTING) {
      this.error('nested too deeply');
      this.pos = this.src.length;
      return;
    }
    try {
      for (;;) {
        this.skip(true);
        if (this.pos >= this.src.length) {
          if (stop) this.error(`unclosed ${stop === ')' ? '(' : '{'}`);
          return;
        }
        const c = this.src[this.pos];
        if (stop && c === stop) {
          this.pos++;
          return;
        }
        if (c === ')' || c === '}') {
          this.error(`unexpected ${c}`);
          this.pos++;
          continue;
        }
        if (this.src.startsWith('&&', this.pos) || this.src.startsWith('||', this.pos)) {
          this.pos += 2;
          continue;
        }
        const before = this.pos;
        this.pipeline(stop);
        if (this.pos === before) {
          this.error(`unexpected ${JSON.stringify(c)}`);
          this.pos++;
        }
      }
    } finally {
      this.nesting--;
    }
  }

  /** Skips blanks, line continuations and comments; with `lines`, also newlines and `;`. */
  private skip(lines: boolean): void {
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

  private atTerminator(): boolean {
    const s = this.src;
    if (this.pos >= s.length) return true;
    const c = s[this.pos];
    return c === '\n' || c === ';' || c === '|' || c === ')' || c === '}' || (c === '&' && !this.isCallOperator());
  }

  private isCallOperator(): boolean {
    const next = this.src[this.pos + 1];
    return next !== undefined && next !== '&' && !/[\s;|)}]/.test(next);
  }

  private pipeline(stop: string | null): void {
    let prev: PsCommand | undefined;
    for (;;) {
      const el = this.element(stop);
      if (el) {
        if (prev) el.pipeFrom = prev;
        prev = el;
      } else if (prev) this.error('an empty pipe element');
      this.skip(false);
      const s = this.src;
      if (s[this.pos] === '|' && s[this.pos + 1] !== '|') {
        this.pos++;
        // A pipe may end a line: the pipeline goes on on the next.
        while (this.pos < s.length && (SPACE.test(s[this.pos]) || s[this.pos] === '\n')) this.pos++;
        this.skip(false);
        continue;
      }
      // `cmd &` runs in the background (PowerShell 6+).
      if (s[this.pos] === '&' && s[this.pos + 1] !== '&') this.pos++;
      return;
    }
  }

  private element(stop: string | null): PsCommand | undefined {
    this.skip(false);
    const s = this.src;
    const start = this.pos;
    if (this.pos >= s.length || /[\n;|)}]/.test(s[this.pos])) return undefined;
    const c = s[this.pos];
    if ((c === '&' || c === '.') && this.pos + 1 < s.length && /[\s'"$({@\u2018\u2019\u201c\u201d]/.test(s[this.pos + 1])) {
      this.pos++;
      this.skip(false);
      const name = this.word(true).word;
      return this.command(start, name, c as '&' | '.');
    }
    if (c === '&') {
      this.error('a stray &');
      this.pos++;
      return undefined;
    }
    const assign = /^(?:\[[^\]\n]*\]\s*)*\$(\{[^}\n]*\}|[A-Za-z_][\w]*(?::[\w()]+)?)((?:\.\w+|\[[^\]\n]*\])*)\s*(\?\?=|[-+*/%]?=)(?!=)/.exec(s.slice(this.pos, this.pos + 300));
    if (assign) {
      this.pos += assign[0].length;
      this.skip(false);
      const variable = assign[1].replace(/^\{|\}$/g, '') + assign[2];
      const valueStart = this.pos;
      const rhs = this.element(stop);
      if (!rhs) {
        this.error(`nothing assigned to $${variable}`);
        return undefined;
      }
      rhs.assignedTo = variable;
      // `$p = …` only counts when it is the whole value: a static hashtable or list.
      if (!rhs.pipeFrom && rhs.kind === 'expression' && assign[2] === '' && assign[3] === '=') this.remember(variable.toLowerCase(), s.slice(valueStart, this.pos), rhs);
      return rhs;
    }
    if (this.isCommandStart()) return this.command(start, this.word(true).word);
    return this.expression(start);
  }

  /** A statement starting with a bare word is a command; one starting with a value is an expression. */
  private isCommandStart(): boolean {
    const s = this.src;
    const c = s[this.pos];
    if (/[0-9]/.test(c)) return !/^\d+(\.\d+)?([kmgtp]b)?(\s|$|[;|)}.,+\-*/])/i.test(s.slice(this.pos, this.pos + 40));
    if (isOne(DASHES, c)) return false;
    return !/['"$(@[!,+\u2018\u2019\u201a\u201b\u201c\u201d\u201e]/.test(c);
  }

  private remember(variable: string, text: string, rhs: PsCommand): void {
    const t = text.trim();
    if (/^@\{/.test(t) && rhs.args.length === 1) {
      const table = this.lastHashtable;
      if (table) this.hashtables.set(variable, table);
    } else if (rhs.args.length && rhs.args.every((a) => !a.param && a.words.every((w) => !w.dynamic))) {
      const words = rhs.args.flatMap((a) => a.words);
      if (words.length) this.arrays.set(variable, words);
    }
  }

  private lastHashtable: Map<string, Word | null> | undefined;

  private command(start: number, name: Word, call?: '&' | '.'): PsCommand {
    const cmd: PsCommand = { kind: 'command', name, call, args: [], redirects: [], text: '', container: this.containers[this.containers.length - 1] };
    this.arguments(cmd);
    cmd.text = this.src.slice(start, this.pos).trim();
    this.commands.push(cmd);
    return cmd;
  }

  private expression(start: number): PsCommand {
    const el: PsCommand = { kind: 'expression', args: [], redirects: [], text: '', container: this.containers[this.containers.length - 1] };
    this.arguments(el);
    el.text = this.src.slice(start, this.pos).trim();
    this.commands.push(el);
    return el;
  }

  private arguments(cmd: PsCommand): void {
    const s = this.src;
    this.containers.push(cmd);
    try {
      for (;;) {
        this.skip(false);
        if (this.atTerminator()) return;
        const start = this.pos;
        if (this.redirect(cmd)) continue;
        if (s.startsWith('--%', this.pos) && (this.pos + 3 >= s.length || /\s/.test(s[this.pos + 3]))) {
          let end = s.indexOf('\n', this.pos);
          if (end < 0) end = s.length;
          cmd.verbatim = s.slice(this.pos + 3, end).trim();
          for (const w of cmd.verbatim.split(/\s+/).filter(Boolean)) cmd.args.push({ words: [{ text: w, raw: w, dynamic: /%[^%]+%/.test(w), quoted: false }], raw: w });
          this.pos = end;
          return;
        }
        if (s[this.pos] === '@' && /[A-Za-z_?]/.test(s[this.pos + 1] ?? '')) {
          this.pos++;
          const m = /^[\w?:]+/.exec(s.slice(this.pos, this.pos + 200))!;
          this.pos += m[0].length;
          cmd.args.push({ splat: m[0], words: [], raw: s.slice(start, this.pos) });
          continue;
        }
        const { word, param } = this.word(false);
        if (this.pos === start) {
          this.error(`unexpected ${JSON.stringify(s[this.pos])}`);
          this.pos++;
          continue;
        }
        if (param !== undefined) {
          const arg: PsArg = { param: param.name, words: param.value ? [param.value] : [], raw: s.slice(start, this.pos) };
          if (param.value) {
            arg.attached = true;
            this.list(arg.words);
          }
          cmd.args.push(arg);
          continue;
        }
        const words = [word];
        this.list(words);
        cmd.args.push({ words, raw: s.slice(start, this.pos) });
      }
    } finally {
      this.containers.pop();
    }
  }

  /** `a, b, c`: the rest of a comma list after its first word. */
  private list(words: Word[]): void {
    const s = this.src;
    for (;;) {
      const save = this.pos;
      this.skip(false);
      if (s[this.pos] !== ',') {
        this.pos = save;
        return;
      }
      this.pos++;
      while (this.pos < s.length && (SPACE.test(s[this.pos]) || s[this.pos] === '\n')) this.pos++;
      this.skip(false);
      if (this.atTerminator()) {
        this.error('a comma with nothing after it');
        return;
      }
      words.push(this.word(false).word);
    }
  }

  private redirect(cmd: PsCommand): boolean {
    const s = this.src;
    const m = /^([1-6*])?(>>|>)(&[12])?/.exec(s.slice(this.pos, this.pos + 5));
    if (!m) {
      if (s[this.pos] === '<' && s[this.pos + 1] !== '#') {
        this.error('the < operator is reserved in PowerShell');
        this.pos++;
        return true;
      }
      return false;
    }
    this.pos += m[0].length;
    const r: Redirect = { op: m[2], ...(m[1] ? { fd: m[1] } : {}) };
    if (m[3]) r.target = { text: m[3], raw: m[3], dynamic: false, quoted: false };
    else {
      this.skip(false);
      if (this.atTerminator()) this.error(`${m[0]} without a file`);
      else r.target = this.word(false).word;
    }
    cmd.redirects.push(r);
    return true;
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

/** Reads a PowerShell script. Never throws. */
export function parsePowerShell(src: string): ParsedPowerShell {
  const p = new Parser(src.replace(/^\ufeff/, ''));
  p.statements(null);
  return { commands: p.commands, hashtables: p.hashtables, arrays: p.arrays, errors: p.errors };
}
