// PowerShell text -> commands, the way PowerShell reads it: statements (`;`, newlines, `&&`, `||`), pipelines,
// command and expression mode, `&` and `.` invocation, parameters (`-Name`, `-Name:value`), comma lists, splatting,
// quotes (typographic ones too), backtick escapes and line continuations, here-strings, `$(…)`, `@(…)`, `(…)`,
// script blocks and hashtables. Every command inside a block or subexpression is read too: it may run.
// What the commands do is decided by cmdlets.ts; this file only reads. Words (quotes, variables, here-strings,
// hashtables) are read by powershellWords.ts, statements and pipelines here.

import { DASHES, isOne, PsWordReader, SPACE } from './powershellWords';
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

const MAX_NESTING = 100;

class Parser extends PsWordReader {
  readonly hashtables = new Map<string, Map<string, Word | null>>();
  readonly arrays = new Map<string, Word[]>();
  private readonly containers: PsCommand[] = [];
  private nesting = 0;

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

  protected pipeline(stop: string | null): void {
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
}

/** Reads a PowerShell script. Never throws. */
export function parsePowerShell(src: string): ParsedPowerShell {
  const p = new Parser(src.replace(/^\ufeff/, ''));
  p.statements(null);
  return { commands: p.commands, hashtables: p.hashtables, arrays: p.arrays, errors: p.errors };
}
