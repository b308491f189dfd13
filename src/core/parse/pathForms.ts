// What a path written on a line may become once the shell expands it. Brace expansion gives several paths
// (`{.vscode,/tmp}/settings.json`); a glob (`.vs*/settings.json`, `settings.js[o]n`), an expansion the engine cannot
// resolve (`${d%x}`, `$1`, `~-`, `$(…)`, a variable the line does not set) or a zsh modifier (`$d:h`) stands for
// names only the shell knows. Such a path is read as a pattern, and a rule asks whether any file it protects fits it.

import type { LineVariables } from './lineVars';

/** At most this many paths from one word's braces: past it, the rest of a group is read as "any name". */
const MAX_FORMS = 64;
/** Stands for text only the shell knows, which may hold `/`. */
const ANY = '\u0001';
/** Stands for text only the shell knows within one name (`$name.json`: some file ending in .json, in this folder). */
const ANY_NAME = '\u0002';

interface Group {
  start: number;
  end: number;
  alternatives: string[];
}

/** The index just past the `}` closing the brace at `open` (skipping nested braces and escapes), or -1. */
function closing(word: string, open: number): number {
  let depth = 0;
  for (let i = open; i < word.length; i++) {
    const c = word[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** `{a..e}`, `{1..10..2}`, `{z..a}`: the words of a sequence expression, or undefined when it is not one. */
function sequence(body: string): string[] | undefined {
  const m = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!m) return undefined;
  const numeric = /\d/.test(m[1]);
  if (numeric !== /\d/.test(m[2])) return undefined;
  const from = numeric ? Number(m[1]) : m[1].charCodeAt(0);
  const to = numeric ? Number(m[2]) : m[2].charCodeAt(0);
  const step = Math.max(1, Math.abs(Number(m[3] ?? 1)));
  const count = Math.floor(Math.abs(to - from) / step) + 1;
  if (count > MAX_FORMS) return [ANY];
  const out: string[] = [];
  for (let k = 0, v = from; k < count; k++, v += to >= from ? step : -step) out.push(numeric ? String(v) : String.fromCharCode(v));
  return out;
}

/** The first brace group the shell expands (`{a,b}`, `{a..c}`; not `${…}`, not `{}` or `{x}`). */
function firstGroup(word: string): Group | undefined {
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== '{') continue;
    const end = closing(word, i);
    if (end < 0) return undefined;
    if (word[i - 1] === '$') {
      i = end - 1;
      continue;
    }
    const body = word.slice(i + 1, end - 1);
    const parts: string[] = [];
    let depth = 0;
    let from = 0;
    for (let j = 0; j < body.length; j++) {
      if (body[j] === '\\') j++;
      else if (body[j] === '{') depth++;
      else if (body[j] === '}') depth--;
      else if (body[j] === ',' && depth === 0) {
        parts.push(body.slice(from, j));
        from = j + 1;
      }
    }
    if (parts.length) return { start: i, end, alternatives: [...parts, body.slice(from)] };
    const seq = sequence(body);
    if (seq) return { start: i, end, alternatives: seq };
  }
  return undefined;
}

/**
 * The words brace expansion makes of WORD (`{.vscode,/tmp}/settings.json` is `.vscode/settings.json` and
 * `/tmp/settings.json`), WORD itself when it has no group. Past MAX_FORMS a group stands for any text.
 */
export function braceForms(word: string): string[] {
  if (!word.includes('{')) return [word];
  const out: string[] = [];
  const todo = [word];
  while (todo.length) {
    const w = todo.pop() as string;
    const g = firstGroup(w);
    if (!g) {
      out.push(w);
      continue;
    }
    const alternatives = out.length + todo.length + g.alternatives.length > MAX_FORMS ? [ANY] : g.alternatives;
    for (const alt of alternatives.reverse()) todo.push(w.slice(0, g.start) + alt + w.slice(g.end));
  }
  return [...new Set(out)];
}

/** `$(…)`, `` `…` ``, `${…}`, `$name` or `$1`/`$@`… with any zsh modifiers after it (`$d:h`), from `at`; its end. */
function expansionEnd(word: string, at: number): number {
  if (word[at] === '`') {
    const end = word.indexOf('`', at + 1);
    return end < 0 ? word.length : end + 1;
  }
  const open = word[at + 1];
  let end: number;
  if (open === '(' || open === '{' || open === '[') {
    const close = open === '(' ? ')' : open === '{' ? '}' : ']';
    let depth = 0;
    end = word.length;
    for (let i = at + 1; i < word.length; i++) {
      if (word[i] === open) depth++;
      else if (word[i] === close && --depth === 0) {
        end = i + 1;
        break;
      }
    }
  } else {
    const m = /^(?:[A-Za-z_]\w*|[0-9@*#?$!_-])/.exec(word.slice(at + 1));
    if (!m) return at + 1;
    end = at + 1 + m[0].length;
    // zsh reads `$d[1,7]` as part of d's value.
    if (word[end] === '[') {
      const close = word.indexOf(']', end);
      if (close > 0) end = close + 1;
    }
  }
  const mod = /^(?::(?:[hHtTrRelLuUaAcqQxXP&]|g?s)[^/:]*)*/.exec(word.slice(end));
  return end + (mod ? mod[0].length : 0);
}

/**
 * WORD with what only the shell knows marked: each expansion the line's own values do not stand for, and a leading
 * `~`, `~+`, `~-` or `~user`. Undefined when WORD has none of these and no glob: it names itself.
 */
function marked(word: string, vars: LineVariables | undefined): string | undefined {
  let out = '';
  let dynamic = false;
  let i = 0;
  const tilde = /^~[\w+-]*/.exec(word);
  if (tilde) {
    out = ANY;
    i = tilde[0].length;
    dynamic = true;
  }
  for (; i < word.length; i++) {
    const c = word[i];
    if (c === '\\' && i + 1 < word.length) {
      out += c + word[++i];
      continue;
    }
    if (c === '$' || c === '`') {
      const end = expansionEnd(word, i);
      if (end === i + 1 && c === '$') {
        out += '\\$';
        continue;
      }
      out += ANY;
      i = end - 1;
      dynamic = true;
      continue;
    }
    if (/[*?[(<|]/.test(c)) dynamic = true;
    out += c;
  }
  // A variable the line sets to values the engine reads is judged by those values (its variants), not as any name.
  if (vars?.stoodFor(word)) return undefined;
  return dynamic ? out : undefined;
}

/** A marked word as a regular expression for a whole path (a glob's `*` within one name, a marked part across names). */
function toRegExp(pattern: string): RegExp {
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === ANY) src += '.*';
    else if (c === ANY_NAME) src += '[^/]*';
    else if (c === '\\' && i + 1 < pattern.length) src += escape(pattern[++i]);
    else if (c === '*') {
      // `**/` (globstar, zsh) crosses folders.
      if (pattern[i + 1] === '*') {
        src += '.*';
        i++;
      } else src += '[^/]*';
    } else if (c === '?') src += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) src += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^[!^]/, '^').replace(/\\/g, '\\\\');
        src += `[${body}]`;
        i = end;
      }
      // Extended globs (`@(a|b)`, `+(…)`, zsh `(a|b)`, `<1-9>`, `^x`, `x~y`): any name.
    } else if (c === '(' || c === '<' || (/[@!+]/.test(c) && pattern[i + 1] === '(')) {
      // An extended glob's group (`@(a|b)`, `!(x)`, zsh's `(a|b)` and `<1-9>`): any name.
      const close = pattern.indexOf(c === '<' ? '>' : ')', i);
      if (close > 0) i = close;
      src += '[^/]*';
    } else if (c === '|' || c === ')' || c === '>') src += '[^/]*';
    else src += escape(c);
  }
  return new RegExp(`^${src}$`, 'is');
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether WORD, as the shell may expand it, can name one of the paths in EXAMPLES (paths relative to wherever they
 * sit: `.vscode/settings.json`). The first example it fits, or undefined. What the shell knows inside the last name
 * stays inside it (`$name.json` is some .json file here, not `.vscode/settings.json`: a value could hold a `/`, but
 * then the word tells no more than `$out`). A word, or the part of it below some folder, that is nothing but what the
 * shell knows (`$out`, `$d/$f`, the `$f` of `build/$f`) fits every path and tells nothing: it is not matched.
 */
export function fitsPattern(word: string, vars: LineVariables | undefined, examples: readonly string[]): string | undefined {
  let pattern = marked(word, vars);
  if (pattern === undefined) return undefined;
  const last = pattern.lastIndexOf('/') + 1;
  if (pattern.slice(last) !== ANY) pattern = pattern.slice(0, last) + pattern.slice(last).replaceAll(ANY, ANY_NAME);
  // The pattern may begin anywhere above the example (`/home/u/p/.v?code/settings.json`): try it from each folder down.
  const tails = [0, ...[...pattern.matchAll(/\//g)].map((m) => m.index + 1)]
    .map((at) => pattern.slice(at))
    .filter((tail) => /[^\u0001\u0002/.*?]/.test(tail.replace(/\[[^\]]*\]|[@!+*?]?\([^)]*\)|<[^>]*>/g, '')))
    .map(toRegExp);
  return examples.find((e) => tails.some((re) => re.test(e)));
}
