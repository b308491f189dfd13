// What a line's own text sets its variables to: the literal values it assigns (`d=.vscode`, `export d=.claude`,
// `for d in a b`, `b=r; b+=m`), wherever on the line, so a later word that names one (`cp x "$d/settings.json"`,
// `cd $d`, `$b -rf data`) is also judged as what it may hold. These are candidates, evidence of what may run or be
// written, never proof that nothing else will: an assignment may not run (`false && d=x`), a loop may run a later one
// first, `read d` or `printf -v d` set it unseen, and a variable the line does not set comes from the shell. So the
// word as written is judged too, always.

import { basename, COMMAND_ASSIGNMENT } from './commandWords';
import { laterCode } from './laterCode';

/** Programs whose `NAME=value` arguments set variables in the shell (`export d=.claude`). */
const DECLARES = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'integer', 'float', 'private']);
/** Programs that set the variables they name to text the line does not show (`read d`, `mapfile d`). */
const READS_INTO = new Set(['read', 'mapfile', 'readarray', 'getopts', 'vared', 'sysread', 'zparseopts', 'zstyle', 'zstat']);
/** At most this many values per name, and variants per word: a line cannot make the engine's work explode. */
const MAX_VALUES = 16;
/** `$name`, `${name}`, `${name[i]}`, `${name:-word}`, `${name-word}`, `${name:=word}`, `${name=word}` (word without `$`, `}`). */
const REFERENCE = /\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)(?:\[[^\]$`]*\])?(?:(:?[-=])([^}$`]*))?\})/g;

export class LineVariables {
  private readonly values = new Map<string, string[]>();
  /** Names also set to text the line does not show: their values here are some of what they may hold, not all. */
  private readonly unseen = new Set<string>();
  /** How many assignments the line has made so far (a command's place among them: see `stoodFor`). */
  seq = 0;
  /** When each name was first given a value, in `seq`. */
  private readonly firstSet = new Map<string, number>();
  /** Code the values the line builds hold, which the shell may run when a value is read (see laterCode). */
  readonly code: string[] = [];
  /**
   * Names set to a command's output (`f=$(ls -d .v?code/settings.*)`, `for f in \`find …\``): the words of that command,
   * and whether it lists a whole tree (find, fd, locate, `ls -R`, `grep -r`, `git ls-files`), so a name it gives may
   * be anywhere below.
   */
  private readonly output = new Map<string, { words: string[]; anywhere: boolean }>();

  /** `name=value` or `name+=value` as a word (`dynamic`: the value has expansions, which are resolved when they can be). */
  assignWord(text: string, dynamic: boolean): void {
    const m = COMMAND_ASSIGNMENT.exec(text);
    if (!m) return;
    const [, name, append, raw] = m;
    this.seq++;
    // An array's elements (`f=(.vs*/settings.json x)`) are each a value it may give (`$f`, `${f[0]}`, `${f[@]}`).
    if (raw.startsWith('(')) {
      const elements = raw.replace(/^\(|\)$/g, '').split(/\s+/).map((e) => e.replace(/^\[[^\]]*\]=/, ''));
      // An element the text does not give whole (a substitution, a quote, braces) makes what the array holds unknown.
      if (elements.some((e) => /[`$'"{\\]/.test(e))) this.unseen.add(name);
      for (const e of elements) if (e && !/`|\$\(/.test(e)) this.add(name, e, append === '+');
      return;
    }
    // An element (`d[0]=x`) or a value the text cannot give (`d=$(pwd)/x`) adds nothing.
    if (text.slice(name.length).startsWith('[')) return;
    const resolved = dynamic ? this.variants(raw) : [];
    // A value put together from the line's quoted pieces (`p='$(cmd)'; y="a[$p]"`, `y=a[; y+='$(cmd)]'`) may hold
    // code the shell runs when it is read later.
    for (const v of dynamic && resolved.length ? resolved : [raw]) {
      for (const whole of append ? [v, ...this.of(name).map((o) => o + v)] : [v]) {
        for (const code of laterCode(whole)) if (!this.code.includes(code) && this.code.length < MAX_VALUES) this.code.push(code);
      }
    }
    // Of a value with expansions, what the text gives: the line's own variables put in, other variables as written
    // (`g=$AGENT_GUARD_DIR` names the guard's folder); not a command's output.
    const given = dynamic ? (resolved.length ? resolved : [raw]) : [raw];
    const values = dynamic ? given.filter((v) => !/`|\$\((?!\()/.test(v)) : given;
    // A command's output (`y=$(cat f)`, also after `y=1`) is a value the line does not show.
    if (values.length < given.length) {
      this.unseen.add(name);
      this.addOutput(name, raw);
    }
    for (const v of values) this.add(name, v, append === '+');
  }

  /** The assignments among a command's words: `export d=.claude`, `declare -x d=.vscode`. */
  assignArguments(program: string, words: readonly { text: string; dynamic: boolean }[]): void {
    const flags = words.filter((w) => /^[-+]/.test(w.text)).map((w) => w.text);
    // `read d`, `printf -v d …`, `declare -n d=x` (d then names x, whose value the line may not show).
    const nameOf = (t: string) => /^[A-Za-z_]\w*/.exec(t)?.[0];
    if (READS_INTO.has(program)) for (const w of words) this.unseen.add(nameOf(w.text) ?? '');
    if (program === 'printf' || program === 'print') words.forEach((w, i) => /^-\w*v$/.test(w.text) && this.unseen.add(nameOf(words[i + 1]?.text ?? '') ?? ''));
    if (DECLARES.has(program) && flags.some((f) => /^-\w*n/.test(f))) for (const w of words) this.unseen.add(nameOf(w.text) ?? '');
    if (!DECLARES.has(program)) return;
    for (const w of words) if (!w.text.startsWith('-') && !w.text.startsWith('+')) this.assignWord(w.text, w.dynamic);
  }

  private add(name: string, value: string, append: boolean): void {
    if (!this.firstSet.has(name)) this.firstSet.set(name, this.seq);
    const now = this.values.get(name) ?? [];
    // `b+=m` adds to each value b may hold (and to nothing: b may have been empty).
    const next = append ? [value, ...now.map((v) => v + value)] : [value];
    for (const v of next) if (!now.includes(v) && now.length < MAX_VALUES) now.push(v);
    this.values.set(name, now);
  }

  /**
   * Whether the line's values stand for every expansion in WORD: each is `$d`, `${d}`, `${d:-w}`… of a variable the
   * line sets (and sets only to text it shows) before BEFORE (its `seq` when the word's command came), not `${d%x}`,
   * zsh's `$d:h` or `$d[1,7]`, `$1`, or a substitution.
   */
  stoodFor(word: string, before = Infinity): boolean {
    let some = false;
    const rest = word.replace(REFERENCE, (m: string, a: string | undefined, b: string | undefined, _o: unknown, _w: unknown, at: number) => {
      const name = (a ?? b) as string;
      const after = word[at + m.length];
      // Set after the word on the line (`echo > $d/x; d=src`): the value it had before is the shell's.
      if (!this.of(name).length || this.unseen.has(name) || after === '[' || after === ':' || (this.firstSet.get(name) ?? Infinity) > before) return m;
      some = true;
      return '';
    });
    return some && !/[$`]/.test(rest);
  }

  private addOutput(name: string, value: string): void {
    const found = substitutionWords(value);
    if (!found.words.length) return;
    const now = this.output.get(name) ?? { words: [], anywhere: false };
    for (const w of found.words) if (!now.words.includes(w) && now.words.length < MAX_VALUES) now.words.push(w);
    now.anywhere ||= found.anywhere;
    this.output.set(name, now);
  }

  /**
   * WORD with a reference to a name the line sets to a command's output replaced by each word of that command (and,
   * for a command that lists a tree, by that word anywhere below: `$PWD/w`): what the output may be, when the command
   * names it (`f=$(ls -d .v?code/settings.*); … > $f` writes `.v?code/settings.*`). Evidence, not proof: a command names what it reads
   * as often as what it prints. Empty when WORD names no such name.
   */
  outputVariants(word: string): string[] {
    if (!this.output.size || !word.includes('$')) return [];
    const out: string[] = [];
    for (const m of word.matchAll(REFERENCE)) {
      const found = this.output.get(m[1] ?? m[2]);
      if (!found) continue;
      const before = word.slice(0, m.index);
      const after = word.slice(m.index + m[0].length);
      for (const w of found.words) {
        for (const v of found.anywhere && !w.startsWith('/') ? [w, `$PWD/${w}`] : [w]) if (out.length < MAX_VALUES * 2) out.push(before + v + after);
      }
    }
    return [...new Set(out)];
  }

  /** Whether the line also sets NAME to text it does not show (`read NAME`, `printf -v NAME`). */
  setUnseen(name: string): boolean {
    return this.unseen.has(name);
  }

  /** The values the line gives a name, anywhere on it (empty when it gives none). */
  of(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }

  /**
   * A word with each reference to a variable the line sets replaced by each value it may hold (and `${d:-word}` by
   * its word too): `$d/settings.json` with d=.vscode is `.vscode/settings.json`. Only the variants that differ from
   * the word; empty when it names none of them.
   */
  variants(word: string): string[] {
    if (!word.includes('$')) return [];
    let out = [''];
    let last = 0;
    let changed = false;
    for (const m of word.matchAll(REFERENCE)) {
      const name = m[1] ?? m[2];
      const values: string[] = [...this.of(name)];
      if (m[4] !== undefined && !values.includes(m[4])) values.push(m[4]);
      const before = word.slice(last, m.index);
      last = m.index + m[0].length;
      if (!values.length) {
        out = out.map((o) => o + before + m[0]);
        continue;
      }
      changed = true;
      const next: string[] = [];
      for (const o of out) for (const v of values) if (next.length < MAX_VALUES) next.push(o + before + v);
      out = next;
    }
    if (!changed) return [];
    return [...new Set(out.map((o) => o + word.slice(last)))].filter((v) => v !== word);
  }
}

/** Commands whose output names files anywhere below where they start. */
const LISTS_A_TREE = /(^|[\s;|&(])(find|fd|fdfind|locate|plocate|mlocate|rg|ag|tree|git\s+ls-files|ls\s+-\w*R|grep\s+-\w*[rR])(?=\s|$)/;

/**
 * The words of the commands in VALUE's substitutions (`$(…)`, backquotes), quotes and backslashes taken off, options
 * and operators left out; at most MAX_VALUES, each scan bounded by the value's length.
 */
function substitutionWords(value: string): { words: string[]; anywhere: boolean } {
  const words: string[] = [];
  let anywhere = false;
  for (let i = 0; i < value.length && words.length < MAX_VALUES; i++) {
    const backquote = value[i] === '`';
    if (!backquote && !(value[i] === '$' && value[i + 1] === '(' && value[i + 2] !== '(')) continue;
    let j = backquote ? i + 1 : i + 2;
    let depth = 1;
    for (; j < value.length; j++) {
      const c = value[j];
      if (c === '\\') j++;
      else if (backquote ? c === '`' : c === ')' && --depth === 0) break;
      else if (!backquote && c === '(') depth++;
    }
    const inner = value.slice(backquote ? i + 1 : i + 2, j);
    anywhere ||= LISTS_A_TREE.test(inner);
    for (const w of inner.split(/[\s;|&<>()]+/)) {
      const bare = w.replace(/\\(.)/g, '$1').replace(/['"]/g, '');
      if (bare && !bare.startsWith('-') && !words.includes(bare) && words.length < MAX_VALUES) words.push(bare);
    }
    i = j;
  }
  return { words, anywhere };
}

/**
 * Text with a branch, loop, function, group, pipe, background job or substitution: its commands may run in another
 * order, or not at all. A redirection (`> out`, `2>&1`) changes neither.
 */
const BRANCHES = /[|(){}`\\]|(?<![<>])&(?!>)|(^|[\s;])(if|then|else|elif|fi|while|until|for|select|case|esac|function|do|done|coproc|time|!)(?=[\s;]|$)/;

/** Whether LINE names NAME other than as `$NAME` or in a `NAME=`/`NAME+=` assignment: `read NAME`, `printf -v NAME`. */
function namedElsewhere(line: string, name: string): boolean {
  for (const m of line.matchAll(new RegExp(`(^|[^\\w])${name}(?![\\w])`, 'g'))) {
    const at = m.index + m[1].length;
    if (m[1] === '$') continue;
    if (/^\+?=/.test(line.slice(at + name.length)) && (at === 0 || /[\s;]/.test(line[at - 1]))) continue;
    return true;
  }
  return false;
}

/**
 * The words a value run as an unquoted `$X` may split into: whole (quoted, or nothing to split), at blanks (the
 * default IFS), and at each other character it holds, which an IFS set on an earlier line may split at
 * (`IFS=_; X=rm_-rf_data; $X`); at a letter or digit only when that leaves a guarded program first
 * (`IFS=Q; X=rmQ-rfQdata; $X`), not every name inside a word (`rsync` is not `r`). At most 32.
 */
export function valueWords(value: string, isGuarded: (program: string) => boolean): string[][] {
  const out = new Map<string, string[]>([[value, [value]]]);
  const seps = [/[ \t\n]+/, ...new Set(value.replace(/[ \t\n]/g, ''))];
  for (const sep of seps) {
    const words = value.split(sep).filter((w) => w !== '');
    if (typeof sep === 'string' && /[A-Za-z0-9]/.test(sep) && !(words.length && isGuarded(basename(words[0])))) continue;
    if (words.length && out.size < 32) out.set(words.join('\u0000'), words);
  }
  return [...out.values()];
}

/**
 * A line with no branch, loop, function, group, pipe or substitution, while only plain assignments have run: what each
 * name certainly holds (`X=/bin/rm; $X -rf data` runs rm and nothing else). Past any command (which may be a function
 * that sets any variable) the caller drops it.
 */
export class StraightRun {
  private readonly values = new Map<string, string>();

  private constructor(private readonly line: string) {}

  static of(line: string): StraightRun | undefined {
    return BRANCHES.test(line) ? undefined : new StraightRun(line);
  }

  /** A command's assignments (a command with words ends the run: the caller drops it after). */
  assign(words: readonly { text: string; dynamic: boolean }[]): void {
    for (const w of words) {
      const m = COMMAND_ASSIGNMENT.exec(w.text);
      if (!m) continue;
      const [, name, append, value] = m;
      const known = !w.dynamic && !value.startsWith('(') && !w.text.slice(name.length).startsWith('[');
      const before = this.values.get(name);
      if (known && (!append || before !== undefined)) this.values.set(name, (append ? before : '') + value);
      else this.values.delete(name);
    }
  }

  /** The value NAME certainly holds, when X is named nowhere else on the line (`read X`, `printf -v X`, `X[0]=`). */
  certain(name: string): string | undefined {
    const v = this.values.get(name);
    return v && !namedElsewhere(this.line, name) ? v : undefined;
  }
}
