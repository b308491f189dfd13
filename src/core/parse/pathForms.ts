// What a path written on a line may become once the shell expands it. Brace expansion gives several paths
// (`{.vscode,/tmp}/settings.json`); a glob (`.vs*/settings.json`, `settings.js[o]n`), an expansion the engine cannot
// resolve (`${d%x}`, `$1`, `~-`, `$(…)`, a variable the line does not set) or a zsh modifier (`$d:h`) stands for
// names only the shell knows. Such a path is read as a pattern, and a rule asks whether any file it protects fits it.

import { bracketRegExp } from './glob';
import type { LineVariables } from './lineVars';

/** A longer word is not expanded: one with braces, a glob or an expansion is taken to fit (fitsPattern). */
const MAX_WORD = 1024;
/** At most this many wildcards in a pattern (past it, the pattern fits any path): matching stays fast. */
const MAX_WILDCARDS = 8;
/** At most this many paths from one word's braces: past it, the rest of a group is read as "any name". */
const MAX_FORMS = 64;
/** Stands for text only the shell knows, which may hold `/`. */
const ANY = '\u0001';
/** Stands for the home folder. */
const HOME = '\u0003';
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
  if (!word.includes('{') || word.length > MAX_WORD) return [word];
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
      const close = word.slice(end, end + 256).search(/[\]$]/);
      if (close > 0 && word[end + close] === ']') end += close + 1;
    }
  }
  const mod = /^(?::(?:[hHtTrRelLuUaAcqQxXP&]|g?s)[^/:]*)*/.exec(word.slice(end));
  return end + (mod ? mod[0].length : 0);
}

/**
 * WORD with what only the shell knows marked: each expansion the line's own values do not stand for, and a leading
 * `~`, `~+`, `~-` or `~user`. Undefined when WORD has none of these and no glob: it names itself.
 */
function marked(word: string, vars: LineVariables | undefined, before?: number): string | undefined {
  let out = '';
  let dynamic = false;
  let i = 0;
  const tilde = /^~[\w+-]*/.exec(word);
  if (tilde) {
    // `~` is the home folder (a folder, not a path that could end anywhere); `~-`, `~+`, `~user` only the shell knows.
    out = tilde[0] === '~' ? HOME : ANY;
    i = tilde[0].length;
    dynamic = true;
  } else if (/^\$\{?HOME\}?(?=\/|$)/.test(word)) {
    out = HOME;
    i = word.indexOf('HOME') + (word[1] === '{' ? 5 : 4);
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
    if (/[*?[(<|^#]/.test(c) || (c === '~' && i > 0)) dynamic = true;
    out += c;
  }
  // A variable the line sets to values the engine reads is judged by those values (its variants), not as any name.
  if (vars?.stoodFor(word, before)) return undefined;
  return dynamic ? out : undefined;
}

/**
 * One name of a marked pattern as a regular expression, and whether it tells anything (holds a letter or digit the
 * shell does not choose). A glob's `*`, `?` or `[…]` at its start does not match a leading dot, as in bash and zsh
 * without dotglob/globdots (turning those on is held: shell.glob-dots). zsh's extended operators (`^x`, `x~y`, `x#`,
 * `(#a1)`) make it any name.
 */
function segmentRegExp(seg: string, dots = false): { src: string; tells: boolean } {
  if (seg === ANY) return { src: '.*', tells: false };
  if (/^\^|[~#]/.test(seg.replace(/\\./g, ''))) return { src: '[^/]*', tells: false };
  let src = /^[*?[]/.test(seg) && !dots ? '(?!\\.)' : '';
  let tells = false;
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === HOME) src += '.*';
    else if (c === ANY) src += src.endsWith('.*') ? '' : '.*';
    else if (c === ANY_NAME) src += src.endsWith('[^/]*') || src.endsWith('.*') ? '' : '[^/]*';
    else if (c === '\\' && i + 1 < seg.length) {
      src += escape(seg[++i]);
      tells ||= /[A-Za-z0-9]/.test(seg[i]);
    } else if (c === '*') src += src.endsWith('[^/]*') || src.endsWith('.*') ? '' : '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '[') {
      const bracket = bracketRegExp(seg, i);
      if (!bracket) src += '\\[';
      else {
        src += bracket.src;
        i = bracket.end;
      }
    } else if (c === '(' || c === '<' || (/[@!+]/.test(c) && seg[i + 1] === '(')) {
      // An extended glob's group (`@(a|b)`, `!(x)`, zsh's `(a|b)` and `<1-9>`): any name.
      const close = seg.indexOf(c === '<' ? '>' : ')', i);
      if (close > 0) i = close;
      src += '[^/]*';
    } else if (c === '|' || c === ')' || c === '>') src += '[^/]*';
    else {
      src += escape(c);
      tells ||= /[A-Za-z0-9]/.test(c);
    }
  }
  return { src, tells };
}

/**
 * Names of a marked pattern, from the first given, as a regular expression for a whole path (undefined when none of
 * them tells anything). `**` (globstar) is any number of folders that do not begin with a dot (nor VS Code's `User`
 * and `Machine` folders: `src/**` over a project does not reach the editor's own settings).
 */
function toRegExp(segs: readonly string[], dots = false): RegExp | undefined {
  let src = '';
  let tells = false;
  segs.forEach((seg, k) => {
    const last = k === segs.length - 1;
    // Where the folder above is not written (the first name of a pattern), a folder the glob does not name (`*`, `**`)
    // is not taken for VS Code's own (`*/*/*.json` is not Code/User/…; `~/.config/Code/*/settings.json` is).
    const unnamedFirst = k === 0 ? '(?!(?:Code|User|Machine|data|profiles)/)' : '';
    if (seg === '**' && !last) {
      src += dots ? '(?:[^/]+/)*' : `(?:(?!\\.)${unnamedFirst}[^/]+/)*`;
      return;
    }
    const r = segmentRegExp(seg, dots);
    const unnamed = !last && !r.tells && !/[\u0001\u0002]/.test(seg) ? unnamedFirst : '';
    src += unnamed + r.src + (last ? '' : '/');
    tells ||= r.tells;
  });
  // A pattern that names nothing fits every path it can reach: with dot names (zsh's `(D)`), the protected ones too.
  if (!tells && !dots) return undefined;
  // Many wildcards would make the match slow: such a pattern fits anything.
  if ((src.match(/\*/g)?.length ?? 0) > MAX_WILDCARDS) return /^/;
  try {
    return new RegExp(`^${src}$`, 'is');
  } catch {
    // A bracket expression the shell reads but a regular expression does not (`[z-a]`): it fits anything.
    return /^/;
  }
}

/** One path PATTERN names: each `*` as STAR, `?` as `x`, a bracket expression as its first character. */
function sample(pattern: string, star: string): string {
  return pattern
    .replace(/\[!?\^?\]?[^\]]*\]/g, (b) => (/^\[[!^]/.test(b) || /\[[:.=]/.test(b) ? 'x' : b[1]))
    .replace(/\*/g, star)
    .replace(/\?/g, 'x')
    .replace(/[\u0001\u0002]/g, 'x');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether WORD (in a command that came after BEFORE of the line's assignments), as the shell may expand it, can name
 * one of the paths in EXAMPLES (paths relative to wherever they
 * sit: `.vscode/settings.json`). The first example it fits, or undefined. What the shell knows inside the last name
 * stays inside it (`$name.json` is some .json file here, not `.vscode/settings.json`: a value could hold a `/`, but
 * then the word tells no more than `$out`). A word, or the part of it below some folder, that is nothing but what the
 * shell knows (`$out`, `$d/$f`, the `$f` of `build/$f`) fits every path and tells nothing: it is not matched.
 */
export function fitsPattern(word: string, vars: LineVariables | undefined, examples: readonly string[], before?: number): string | undefined {
  if (word.length > MAX_WORD) return /[{*?[$`~(]/.test(word) ? examples[0] : undefined;
  let pattern = marked(word, vars, before);
  if (pattern === undefined) return undefined;
  const last = pattern.lastIndexOf('/') + 1;
  if (pattern.slice(last) !== ANY) pattern = pattern.slice(0, last) + pattern.slice(last).replaceAll(ANY, ANY_NAME);
  // `a//b`, `a/./b` and a leading `./` name the same path as `a/b`.
  const segs = pattern.split('/').filter((seg, k) => seg !== '.' && (seg !== '' || k === 0));
  // The pattern may begin anywhere above the example (`/home/u/p/.v?code/settings.json`): try it from each folder down.
  // zsh's `(D)` qualifier (`**/*.json(D)`) lets this one glob match dot names.
  const dots = /\([^()]*D[^()]*\)$|\(#q/.test(pattern);
  const tails = segs.map((_, k) => toRegExp(segs.slice(k), dots)).filter((re): re is RegExp => re !== undefined);
  // A tail whose first name is written out (`User/setting?.json`) may also end a longer example (`Code/User/…`).
  const named0 = segs.map((_, k) => (k < segs.length - 1 && segmentRegExp(segs[k]).tells && !/[\u0001\u0002*?[(<]/.test(segs[k]) ? toRegExp(segs.slice(k)) : undefined)).filter((re): re is RegExp => re !== undefined);
  const suffixes = (e: string) => e.split('/').map((_, k, parts) => parts.slice(k).join('/'));
  // An example that ends in "any name" (`.github/hooks/\u0000`) is any file in its folder: the folders are compared.
  const folders = segs.length > 1 ? segs.slice(0, -1).map((_, k) => toRegExp(segs.slice(k, -1))).filter((re): re is RegExp => re !== undefined) : [];
  // An example with "any name" in it (`\u0000.code-workspace`, `.env.\u0000`) is matched the other way round, by a
  // path the pattern names (`my.code-worksp[a]ce` names `my.code-workspace`, `.env.p*` names `.env.p`).
  const named = [sample(segs.join('/'), ''), sample(segs.join('/'), 'x')];
  // An example's "any folder" (`Code/User/profiles/\u0000/settings.json`) may be any name the pattern writes out.
  // (Only where the pattern holds what only the shell knows: `$X/p/settings.json`, not `$HOME/p/settings.json`.)
  const written = pattern.includes(ANY) ? segs.filter((seg) => seg && !/[\u0001\u0002\u0003*?[({<|^~#]/.test(seg)) : [];
  const fits = (e: string) =>
    tails.some((re) => re.test(e) || (e.includes('\u0000/') && written.some((w) => re.test(e.replace('\u0000', w))))) ||
    suffixes(e).some((x) => named0.some((re) => re.test(x))) ||
    (e.endsWith('/\u0000') && folders.some((re) => re.test(e.slice(0, -2)))) ||
    (e.includes('\u0000') && new RegExp(`(^|/)${e.split('\u0000').map(escape).join('[^/]+')}$`, 'im').test(named[0] + '\n' + named[1]));
  return examples.find(fits);
}
