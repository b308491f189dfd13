// Where a line reads a variable's value as arithmetic or as a name. bash evaluates such a value again, and runs the
// substitution in a subscript it holds (`y='a[$(cmd)]'; echo $((y))` runs cmd; zsh too once the array is set), so a
// value the line does not show (read from a file, a command's output, an earlier line) may run anything there.

export interface ValueRead {
  name: string;
  /** Index in the text where the read is. */
  at: number;
  /** `name`: the value names a variable (`${!y}`, `test -v "$y"`), which bash reads with its subscript; otherwise arithmetic. */
  kind?: 'name';
}

/** The longest `$(( … ))`, `${ … }` or subscript read for names. */
const MAX_GROUP = 4096;
/** Stands for the reads past the caps. */
export const TOO_MANY = '…';
/** The most groups and reads looked at on one line. */
const MAX_GROUPS = 256;

/** Shell variables that always hold a number. */
const NUMERIC = new Set(['RANDOM', 'SECONDS', 'LINENO', 'BASHPID', 'PPID', 'UID', 'EUID', 'EPOCHSECONDS', 'SRANDOM', 'HISTCMD', 'OPTIND', 'SHLVL', 'COLUMNS', 'LINES', 'BASH_SUBSHELL', 'EPOCHREALTIME']);

/** The index just past the bracket closing the one at `open` (`(`/`)`, `[`/`]`, `{`/`}`), or the text's end. */
function closing(text: string, open: number): number {
  const o = text[open];
  const c = o === '(' ? ')' : o === '[' ? ']' : '}';
  let depth = 0;
  // A group longer than this is read to its end unclosed (so a line of unclosed groups costs linear time).
  const stop = Math.min(text.length, open + MAX_GROUP);
  for (let i = open; i < stop; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === "'" && o !== '[') {
      const q = text.indexOf("'", i + 1);
      if (q > 0) i = q;
    } else if (text[i] === o) depth++;
    else if (text[i] === c && --depth === 0) return i + 1;
  }
  return stop;
}

/** The names an arithmetic expression reads (`y`, `$y`, `${y}`), not those inside a command substitution or quotes. */
function namesIn(expr: string, offset: number, out: ValueRead[]): void {
  let text = '';
  for (let i = 0; i < expr.length; i++) {
    // A command substitution inside is a script of its own (judged as one), not names.
    if (expr[i] === '$' && expr[i + 1] === '(' && expr[i + 2] !== '(') {
      const end = closing(expr, i + 1);
      text += ' '.repeat(end - i);
      i = end - 1;
    } else if (expr[i] === '`') {
      const end = expr.indexOf('`', i + 1);
      const stop = end < 0 ? expr.length : end + 1;
      text += ' '.repeat(stop - i);
      i = stop - 1;
    } else text += expr[i];
  }
  for (const m of text.matchAll(/(?<![\w#])([A-Za-z_]\w*)/g)) {
    // `i=0` sets i; `i==0` and `i+=1` read it.
    if (/^\s*=(?!=)/.test(text.slice(m.index + m[0].length))) continue;
    // `0x1f`, `16#ff`: digits, not names.
    if (/[0-9]$/.test(text.slice(0, m.index))) continue;
    if (!NUMERIC.has(m[1])) out.push({ name: m[1], at: offset + m.index });
  }
}

/** Names set to a number inside arithmetic (`((i=0; …))`, `$((n = 5))`): with their place. At most MAX_GROUPS. */
export function arithmeticAssignments(text: string): ValueRead[] {
  const out: ValueRead[] = [];
  for (const m of text.matchAll(/\(\(([^)]{0,4096})/g)) {
    for (const a of m[1].matchAll(/(?<![\w$])([A-Za-z_]\w*)\s*=\s*-?\d+\b(?!\s*\[)/g)) {
      if (out.length >= MAX_GROUPS) return out;
      out.push({ name: a[1], at: m.index + 2 + a.index });
    }
  }
  return out;
}

/**
 * The places TEXT (a line as written) reads a variable's value as arithmetic or as a name: `$(( … ))`, `(( … ))`,
 * `$[ … ]`, `let`, `[[ a -eq b ]]`, `[[ -v y ]]`/`test -v`, `declare -i`/`integer`, a subscript `a[y]` or `${a[y]}`,
 * a substring's offset and length `${s:y:n}`, an indirection `${!y}` and zsh's `${(P)y}`.
 */
export function valueReads(text: string): ValueRead[] {
  const out: ValueRead[] = [];
  // An associative array's subscript is a string, not arithmetic (`declare -A m; m[$k]=1`, bash's BASH_ALIASES).
  const assoc = new Set(['BASH_ALIASES', 'BASH_CMDS', 'BASH_VERSINFO']);
  for (const m of text.slice(0, 65536).matchAll(/(?:declare|typeset|local)\s+-\w*A\w*\s+([A-Za-z_]\w*)/g)) assoc.add(m[1]);
  // At most this many groups are read (each at most MAX_GROUP long): a line cannot make this quadratic.
  let groups = 0;
  let inDouble = false;
  for (let i = 0; i < text.length && groups < MAX_GROUPS && out.length < MAX_GROUPS; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') inDouble = !inDouble;
    if (c === "'" && !inDouble) {
      // Single quotes: nothing is read now (laterCode judges what they may run later).
      const q = text.indexOf("'", i + 1);
      if (q < 0) break;
      i = q;
      continue;
    }
    // A comment, to the end of its line.
    if (c === '#' && !inDouble && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
      continue;
    }
    if (c === '(' && text[i + 1] === '(') {
      groups++;
      const end = closing(text, i);
      namesIn(text.slice(i + 2, end - 2), i + 2, out);
      continue;
    }
    if (c === '$' && text[i + 1] === '[') {
      groups++;
      const end = closing(text, i + 1);
      namesIn(text.slice(i + 2, end - 1), i + 2, out);
      i = end - 1;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      groups++;
      const end = closing(text, i + 1);
      const body = text.slice(i + 2, end - 1);
      // `${!y}` (not `${!prefix*}`, `${!a[@]}`), zsh's `${(P)y}`: the value names the variable read.
      const indirect = /^(?:!|\([^)]{0,40}P[^)]{0,40}\))([A-Za-z_]\w*)$/.exec(body);
      if (indirect) out.push({ name: indirect[1], at: i, kind: 'name' });
      // `${a[y]}`, `${#a[y]}`: the subscript.
      const sub = /^#?([A-Za-z_]\w*)\[([^\]]*)\]/.exec(body);
      if (sub && !/^[@*]$/.test(sub[2]) && !assoc.has(sub[1])) namesIn(sub[2], i, out);
      // `${s:y}`, `${s:0:y}`, `${@:y}` (not `${s:-w}`, `${s:=w}`, `${s:+w}`, `${s:?w}`).
      const off = /^[#]?(?:[A-Za-z_]\w*(?:\[[^\]]*\])?|[@*]|\d+):(?![-=+?])(.*)$/s.exec(body);
      if (off) namesIn(off[1].replace(/^\(|\)$/g, ''), i, out);
      continue;
    }
    const at = i === 0 || /[\s;&|(]/.test(text[i - 1]);
    if (!at) continue;
    const rest = text.slice(i, i + 400);
    // `a[y]=1`, `a[$y]+=x`: the subscript of an indexed array.
    const assigned = /^([A-Za-z_]\w*)\[([^\]]*)\]\+?=/.exec(rest);
    if (assigned && !assoc.has(assigned[1])) namesIn(assigned[2], i, out);
    // `let y`, `let "z=y"`: each word.
    const letWords = /^let\s+([^;&|\n]*)/.exec(rest);
    if (letWords) namesIn(letWords[1].replace(/["']/g, ' '), i + 4, out);
    // `declare -i z=y`, `typeset -i`, `local -i`, `integer z=y`: each value.
    const integer = /^(?:(?:declare|typeset|local|export|readonly)\s+-\w*i\w*|integer|float)\s+([^;&|\n]*)/.exec(rest);
    if (integer) for (const v of integer[1].matchAll(/[A-Za-z_]\w*=([^\s]*)/g)) namesIn(v[1].replace(/["']/g, ' '), i, out);
    // `[[ a -eq b ]]`, `[[ -v y ]]`, `test -v y`, `[ -v y ]`.
    const cond = /^\[\[\s([^\n]*?)\]\]/.exec(rest);
    if (cond) {
      for (const m of cond[1].matchAll(/(\S+)\s+-(?:eq|ne|lt|le|gt|ge)\s+(\S+)/g)) namesIn(`${m[1]} ${m[2]}`.replace(/["']/g, ' '), i, out);
      for (const m of cond[1].matchAll(/-v\s+(\S+)/g)) namesOf(m[1], i, out);
    }
    const testV = /^(?:test|\[)\s+-v\s+(\S+)/.exec(rest);
    if (testV) namesOf(testV[1], i, out);
  }
  // Past the caps the rest is not read: a stand-in no value can make safe.
  if (groups >= MAX_GROUPS || out.length >= MAX_GROUPS) out.push({ name: TOO_MANY, at: -1 });
  return out;
}

/** A word naming a variable (`"$y"`, `a[y]`): what it reads, as `-v` does. */
function namesOf(word: string, at: number, out: ValueRead[]): void {
  const w = word.replace(/["']/g, '');
  const ref = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(w);
  if (ref) out.push({ name: ref[1], at, kind: 'name' });
  const sub = /^[A-Za-z_]\w*\[([^\]]*)\]$/.exec(w);
  if (sub) namesIn(sub[1], at, out);
}

/** What the line's variables are known to hold: LineVariables' view, without importing it here. */
interface KnownValues {
  of(name: string): readonly string[];
  setUnseen(name: string): boolean;
}

/**
 * The names LINE reads as arithmetic or as a name whose value it does not show as a number set before the read
 * (`n=5; echo $((n+1))` and `for ((i=0; i<3; i++))` show theirs; `echo $((y))`, `read y < f; let y`,
 * `s=$(date +%s); echo $((s+1))` do not). Each name once; TOO_MANY when the line has more than are read.
 */
export function valueReadsUnshown(line: string, vars: KnownValues): string[] {
  const reads = valueReads(line);
  if (!reads.length) return [];
  // Where each name is first set: `name=`, `name+=`, `for name in`, or a number inside arithmetic. One pass.
  const firstSet = new Map<string, number>();
  for (const m of line.matchAll(/(^|[\s;&|(])(?:([A-Za-z_]\w*)\+?=|for\s+([A-Za-z_]\w*)\s+in\s)/g)) {
    const name = (m[2] ?? m[3]) as string;
    if (!firstSet.has(name)) firstSet.set(name, m.index);
  }
  const inArith = new Set<string>();
  for (const a of arithmeticAssignments(line)) {
    inArith.add(a.name);
    if (a.at < (firstSet.get(a.name) ?? Infinity)) firstSet.set(a.name, a.at);
  }
  const out: string[] = [];
  for (const { name, at, kind } of reads) {
    if (out.includes(name) || out.length >= 8) continue;
    const values = vars.of(name);
    // Arithmetic reads a value as an expression (a name in it is read in turn): only a number (or what `$(( … ))`
    // made, whose own reads are checked where it is) is safe. A name read runs nothing unless the value holds a
    // substitution.
    const safe = (v: string) => (kind === 'name' ? !/[$`]/.test(v) : /^[-+]?\d+$/.test(v.trim()) || /^\$\(\([^`]*\)\)$/.test(v.trim()));
    const shown = !vars.setUnseen(name) && values.every(safe) && (values.length > 0 || inArith.has(name));
    if (!(shown && (firstSet.get(name) ?? Infinity) < at)) out.push(name);
  }
  return out;
}
