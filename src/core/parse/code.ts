// Inline interpreter code (python -c, node -e, perl -e, ruby -e, php -r) -> what it would do to files, databases,
// servers and the shell. Tokenised, never run; calls are matched by their last name and the chain they are made on.
// Code that builds names or decodes code at run time is reported as opaque: the gate cannot read it.

import { sqlEffects } from '../sql/statements';
import { Aliases, importAliases } from './codeAliases';
import { Language, literal, Token, tokenise } from './codeTokens';

export type { Language } from './codeTokens';

/** What one call in the code does, as far as its literals show; paths and commands are undefined when built at run time. */
export type CodeEffect =
  | { kind: 'deletes'; path?: string }
  | { kind: 'shell'; command?: string }
  /** Opened for writing, truncated, or written with nothing: what the file held is lost. */
  | { kind: 'empties'; path?: string; opened?: true }
  /** Renamed or moved onto `to`: a file already there is replaced. */
  | { kind: 'renames'; from?: string; to?: string }
  /** SQL handed to a database driver. */
  | { kind: 'sql'; sql?: string }
  | { kind: 'http-delete'; url?: string }
  /** Code or names only known at run time (exec of decoded text, computed module members). */
  | { kind: 'opaque'; why: string };

/** Literal paths and commands are short; longer argument lists are not read (and count as built at run time). */
const MAX_ARGUMENT_TOKENS = 512;
/** Bounds the walk back along `a.b.c(…).d` so a long chain costs little. */
const MAX_CHAIN = 8;
/** `exec("exec('…')")`: literal code inside code is read this many levels deep. */
const MAX_NESTING = 3;

const MEMBER = new Set(['.', '::', '->']);
/** Calls whose receiver is a module given by string: `require('fs').rmSync`, `__import__('os').remove`. */
const MODULE_LOADERS = new Set(['require', '__import__', 'import', 'import_module']);

/** A shell command given as literals: `"rm -rf x"`, `["rm", "-rf", "x"]`, `'rm', ['-rf', 'x']`; undefined when built at run time. */
function literalCommand(args: Token[][] | null): string | undefined {
  if (!args) return undefined;
  const words: string[] = [];
  for (const arg of args) {
    // Keyword arguments and option objects (`shell=True`, `{stdio: 'inherit'}`) end the command.
    if ((arg[0]?.kind === 'name' && arg[1]?.text === '=') || arg[0]?.text === '{' || arg.some((t) => t.text === '=>')) break;
    for (const t of arg) {
      if ((t.kind === 'string' || t.kind === 'shell') && !t.dynamic) words.push(t.text);
      else if (!(t.kind === 'punct' && '[](),'.includes(t.text))) return undefined;
    }
  }
  return words.length ? words.join(' ') : undefined;
}

/** One call as the reader sees it: its arguments, the chain it is made on, and that chain's own call arguments. */
interface Call {
  name: string;
  args: Token[][] | null;
  receiver: string;
  receiverArgs: Token[][] | null;
  lang: Language;
  depth: number;
}

type Handler = (c: Call) => CodeEffect | CodeEffect[] | null;

/** The value of `key=…` (Python) or `key: …` (JS, Ruby) among the arguments, at any depth of an options object. */
function keyword(args: Token[][] | null, key: string): string | undefined {
  for (const arg of args ?? []) {
    for (let k = 0; k + 2 < arg.length; k++) {
      const t = arg[k];
      if ((t.kind === 'name' || t.kind === 'string') && t.text === key && (arg[k + 1].text === '=' || arg[k + 1].text === ':' || arg[k + 1].text === '=>') && arg[k + 2].kind === 'string' && !arg[k + 2].dynamic) return arg[k + 2].text;
    }
  }
  return undefined;
}

const path0 = (c: Call) => literal(c.args?.[0]) ?? literal(c.receiverArgs?.[0]);
const deletes: Handler = (c) => ({ kind: 'deletes', path: path0(c) });
const shell: Handler = (c) => ({ kind: 'shell', command: literalCommand(c.args) });
const truncates: Handler = (c) => ({ kind: 'empties', path: literal(c.args?.[0]) });
/** `writeFileSync(f, '')`, `File.write(f, '')`: the data at `at` is empty or missing. */
const writesNothing = (at: number, pathFromReceiver = false): Handler => (c) => {
  const data = c.args?.[at];
  if (!c.args || (data !== undefined && literal(data) !== '')) return null;
  return { kind: 'empties', path: pathFromReceiver ? literal(c.receiverArgs?.[0]) : literal(c.args?.[0]) };
};
/** `open(f, 'w')`, `fopen(f, 'w')`, `File.open(f, 'w')`: a write mode truncates; what is written after is read separately. */
const opensForWriting: Handler = (c) => {
  const mode = literal(c.args?.[1]) ?? keyword(c.args, 'mode');
  return mode !== undefined && /^[wW]/.test(mode.replace(/^[bt+]*/, '')) ? { kind: 'empties', path: literal(c.args?.[0]), opened: true } : null;
};
/** `shutil.copy('/dev/null', f)`, `fs.copyFileSync('/dev/null', f)`: f is emptied. */
const copiesNothing: Handler = (c) => (literal(c.args?.[0]) === '/dev/null' ? { kind: 'empties', path: literal(c.args?.[1]) } : null);
/** `rename(a, b)`, `Path(a).replace(b)`: b is replaced. */
const renames = (fromReceiver = false): Handler => (c) =>
  fromReceiver ? { kind: 'renames', from: literal(c.receiverArgs?.[0]), to: literal(c.args?.[0]) } : { kind: 'renames', from: literal(c.args?.[0]), to: literal(c.args?.[1]) };
/** A driver's execute/exec/query: the SQL is judged by the SQL rules. */
const sql: Handler = (c) => {
  const first = c.args?.[0];
  const text = literal(first);
  if (text !== undefined) return sqlEffects(text).length ? { kind: 'sql', sql: text } : null;
  // `'DROP TABLE ' + name`: the statement is built at run time, but says what it is.
  return first?.some((t) => t.kind === 'string' && /^\s*(drop|truncate|delete|alter)\b/i.test(t.text)) ? { kind: 'sql' } : null;
};
/** `exec(code)`, `eval(code)`: literal code is read like the rest; anything else cannot be. */
const runsCode = (what: string, at = 0): Handler => (c) => {
  const text = literal(c.args?.[at]);
  if (text !== undefined) return c.depth < MAX_NESTING ? readCode(text, c.lang, c.depth + 1) : { kind: 'opaque', why: `${what} nested too deeply` };
  return c.args?.length || c.args === null ? { kind: 'opaque', why: `${what} of code built at run time` } : null;
};
/** `__import__(x)`, `require(x)`, `getattr(m, x)`: a module or member named only at run time. */
const namesAt = (what: string, at: number): Handler => (c) => (c.args && c.args.length > at && literal(c.args[at]) === undefined ? { kind: 'opaque', why: `${what} named at run time` } : null);
/** A call that always hides what runs (`Function(…)`, `marshal.loads`, `ctypes`). */
const hides = (why: string): Handler => () => ({ kind: 'opaque', why });
/** Any argument (or option object) carries the method DELETE. */
const methodDelete: Handler = (c) => {
  const all = (c.args ?? []).flat();
  if (!all.some((t) => t.kind === 'string' && !t.dynamic && t.text.toUpperCase() === 'DELETE')) return null;
  return { kind: 'http-delete', url: all.find((t) => t.kind === 'string' && !t.dynamic && /^(https?:\/\/|\/)/.test(t.text))?.text };
};
const httpDelete: Handler = (c) => ({ kind: 'http-delete', url: literal(c.args?.[0]) });

/** Calls that change things, by their last name and what they must be called on. */
interface CallPattern {
  names: string[];
  /** The receiver chain (`os`, `fs.promises`, `File::Path`); '' is a bare call; any receiver when absent. */
  on?: RegExp;
  effect: Handler;
}

const BARE = /^$/;
const ANY_RECEIVER = /./;
const JS_FS = /(^|[./])(fs|fsp|fse|promises|fs-extra|fs\/promises|graceful-fs)$/;
const HTTP_CLIENTS = /^(requests|httpx|session|s|client|http|sess|axios|got|ky|superagent|RestClient|HTTParty|Faraday|urllib3|aiohttp)$/;
/** Names a driver runs SQL through; last, so the shell's `exec` and others match first. */
const SQL_CALLS: CallPattern = { names: ['execute', 'executescript', 'executemany', 'exec', 'query', 'run', 'prepare', 'do', 'raw', 'sql', 'execute_sql', 'exec_query', 'exec_driver_sql', 'unsafe', 'none', 'one', 'many', 'any'], on: /^[^?]+$/, effect: sql };
const HTTP_METHOD_CALLS: CallPattern = { names: ['request', 'fetch', 'Request', 'urlopen', 'ajax', 'axios', 'got', 'ky', 'curl_setopt', 'open', 'stream', 'send'], effect: methodDelete };

const CALL_PATTERNS: Record<Language, CallPattern[]> = {
  python: [
    { names: ['remove', 'unlink', 'rmdir', 'removedirs'], on: /^os$/, effect: deletes },
    { names: ['rmtree'], effect: deletes },
    // Path('x').unlink(), p.rmdir()
    { names: ['unlink', 'rmdir'], on: ANY_RECEIVER, effect: deletes },
    { names: ['system', 'popen', 'execl', 'execle', 'execlp', 'execv', 'execve', 'execvp', 'execvpe', 'spawnl', 'spawnlp', 'spawnv', 'spawnvp'], on: /^os$/, effect: shell },
    { names: ['run', 'call', 'check_call', 'check_output', 'Popen', 'getoutput', 'getstatusoutput'], on: /^subprocess$/, effect: shell },
    { names: ['truncate'], on: /^os$/, effect: truncates },
    { names: ['open'], on: /^(io|codecs)?$/, effect: opensForWriting },
    { names: ['open'], on: /^os$/, effect: (c) => ((c.args ?? []).flat().some((t) => t.text === 'O_TRUNC') ? { kind: 'empties', path: literal(c.args?.[0]), opened: true } : null) },
    { names: ['copy', 'copyfile', 'copy2'], on: /^shutil$/, effect: copiesNothing },
    { names: ['write_text', 'write_bytes'], on: ANY_RECEIVER, effect: writesNothing(0, true) },
    { names: ['rename', 'replace', 'renames'], on: /^os$/, effect: renames() },
    { names: ['move'], on: /^shutil$/, effect: renames() },
    { names: ['rename', 'replace'], on: /(^|\.)(Path|PosixPath)$/, effect: renames(true) },
    { names: ['exec', 'eval', 'compile'], on: BARE, effect: runsCode('exec') },
    { names: ['__import__'], on: BARE, effect: namesAt('a module', 0) },
    { names: ['import_module'], effect: namesAt('a module', 0) },
    { names: ['getattr'], on: BARE, effect: namesAt('a function', 1) },
    { names: ['loads', 'load'], on: /^(marshal|pickle|dill|cloudpickle)$/, effect: hides('unpickles objects that can run code') },
    { names: ['CDLL', 'cdll', 'PyDLL'], effect: hides('calls C functions directly') },
    { names: ['delete'], on: HTTP_CLIENTS, effect: httpDelete },
    HTTP_METHOD_CALLS,
    SQL_CALLS,
  ],
  js: [
    { names: ['rm', 'rmSync', 'unlink', 'unlinkSync', 'rmdir', 'rmdirSync', 'remove', 'removeSync', 'emptyDir', 'emptyDirSync'], on: JS_FS, effect: deletes },
    { names: ['rmSync', 'unlinkSync', 'rmdirSync', 'rimraf', 'rimrafSync'], on: BARE, effect: deletes },
    { names: ['remove', 'removeSync'], on: /^Deno$/, effect: deletes },
    { names: ['sync'], on: /^rimraf$/, effect: deletes },
    { names: ['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync'], on: /^$|child_process|^cp$/, effect: shell },
    { names: ['spawn', 'spawnSync', '$'], on: /^Bun$/, effect: shell },
    { names: ['truncate', 'truncateSync', 'ftruncateSync'], on: JS_FS, effect: truncates },
    { names: ['truncateSync'], on: BARE, effect: truncates },
    { names: ['open', 'openSync'], on: JS_FS, effect: opensForWriting },
    { names: ['createWriteStream'], on: JS_FS, effect: (c) => (/^w/.test(keyword(c.args, 'flags') ?? 'w') ? { kind: 'empties', path: literal(c.args?.[0]), opened: true } : null) },
    { names: ['copyFile', 'copyFileSync', 'cp', 'cpSync', 'copy', 'copySync'], on: JS_FS, effect: copiesNothing },
    { names: ['writeFile', 'writeFileSync', 'outputFile', 'outputFileSync'], on: JS_FS, effect: writesNothing(1) },
    { names: ['writeFileSync'], on: BARE, effect: writesNothing(1) },
    { names: ['writeTextFile', 'writeTextFileSync', 'writeFile', 'writeFileSync', 'truncate', 'truncateSync'], on: /^Deno$/, effect: writesNothing(1) },
    { names: ['write'], on: /^Bun$/, effect: writesNothing(1) },
    { names: ['rename', 'renameSync', 'move', 'moveSync'], on: JS_FS, effect: renames() },
    { names: ['renameSync'], on: BARE, effect: renames() },
    { names: ['rename', 'renameSync'], on: /^Deno$/, effect: renames() },
    { names: ['eval'], on: /^(globalThis|global|window|self)?$/, effect: runsCode('eval') },
    { names: ['Function', 'AsyncFunction'], on: BARE, effect: hides('builds a function from text at run time') },
    { names: ['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction', 'Script', 'SourceTextModule'], effect: hides('runs code through the vm module') },
    { names: ['require', 'import'], on: BARE, effect: namesAt('a module', 0) },
    { names: ['binding', 'dlopen'], on: /^process$/, effect: hides('loads native code') },
    { names: ['delete', 'del'], on: HTTP_CLIENTS, effect: httpDelete },
    HTTP_METHOD_CALLS,
    SQL_CALLS,
  ],
  perl: [
    { names: ['unlink', 'rmdir', 'rmtree', 'remove_tree'], on: /^(File::Path)?$/, effect: deletes },
    { names: ['system', 'exec', '`'], on: BARE, effect: shell },
    { names: ['truncate'], on: BARE, effect: truncates },
    { names: ['open', 'sysopen'], on: BARE, effect: perlOpen },
    { names: ['rename', 'move', 'mv'], on: /^(File::Copy)?$/, effect: renames() },
    { names: ['eval'], on: BARE, effect: runsCode('eval') },
    { names: ['Delete'], on: /HTTP::Request::Common$|^$/, effect: httpDelete },
    { names: ['delete'], on: /^\$?(ua|http|client|mech)$/, effect: httpDelete },
    HTTP_METHOD_CALLS,
    SQL_CALLS,
  ],
  ruby: [
    { names: ['rm', 'rm_r', 'rm_rf', 'rm_f', 'rmtree', 'remove', 'remove_dir', 'remove_entry', 'remove_entry_secure', 'remove_file', 'rmdir'], on: /^FileUtils$/, effect: deletes },
    { names: ['rm_rf', 'rm_r'], on: BARE, effect: deletes },
    { names: ['delete', 'unlink', 'rmdir'], on: /^(File|Dir)$/, effect: deletes },
    { names: ['rmtree', 'delete', 'unlink'], on: /^Pathname/, effect: deletes },
    { names: ['system', 'exec', 'spawn', '`'], on: /^(Kernel)?$/, effect: shell },
    { names: ['popen'], on: /^IO$/, effect: shell },
    { names: ['capture2', 'capture2e', 'capture3', 'popen3'], on: /^Open3$/, effect: shell },
    { names: ['truncate'], on: /^File$/, effect: truncates },
    { names: ['write', 'binwrite'], on: /^(File|IO)$/, effect: writesNothing(1) },
    { names: ['open', 'new'], on: /^File$/, effect: opensForWriting },
    { names: ['rename'], on: /^File$/, effect: renames() },
    { names: ['mv', 'move'], on: /^FileUtils$/, effect: renames() },
    { names: ['eval', 'instance_eval', 'class_eval', 'module_eval'], effect: runsCode('eval') },
    { names: ['send', 'public_send', '__send__', 'const_get', 'method'], effect: namesAt('a method', 0) },
    { names: ['new'], on: /HTTP\.Delete$/, effect: httpDelete },
    { names: ['delete'], on: HTTP_CLIENTS, effect: httpDelete },
    HTTP_METHOD_CALLS,
    SQL_CALLS,
  ],
  php: [
    { names: ['unlink', 'rmdir'], on: BARE, effect: deletes },
    { names: ['system', 'exec', 'shell_exec', 'passthru', 'popen', 'proc_open', '`'], on: BARE, effect: shell },
    { names: ['file_put_contents'], on: BARE, effect: writesNothing(1) },
    { names: ['fopen'], on: BARE, effect: opensForWriting },
    { names: ['rename'], on: BARE, effect: renames() },
    { names: ['eval', 'assert'], on: BARE, effect: runsCode('eval') },
    { names: ['create_function'], on: BARE, effect: hides('builds a function from text at run time') },
    { names: ['call_user_func', 'call_user_func_array'], on: BARE, effect: namesAt('a function', 0) },
    HTTP_METHOD_CALLS,
    SQL_CALLS,
  ],
  vim: [
    { names: ['delete'], on: BARE, effect: deletes },
    { names: ['system', 'systemlist', 'job_start', 'term_start', 'jobstart', 'termopen'], on: BARE, effect: shell },
    // writefile([], f) empties f.
    { names: ['writefile'], on: BARE, effect: (c) => (c.args?.[0]?.length === 2 && c.args[0][0].text === '[' && c.args[0][1].text === ']' ? { kind: 'empties', path: literal(c.args[1]) } : null) },
    { names: ['rename'], on: BARE, effect: renames() },
    { names: ['libcall', 'libcallnr'], on: BARE, effect: hides('calls C functions directly') },
  ],
};

/** Perl's `open F, ">f"`, `open(my $fh, '>', 'f')`, `open F, "+>f"`: a truncating mode. */
function perlOpen(c: Call): CodeEffect | null {
  const args = c.args ?? [];
  const two = literal(args[1]);
  if (two === undefined) return null;
  if (args.length >= 3) return /^\+?>$/.test(two.trim()) || /^\+?>:/.test(two.trim()) ? { kind: 'empties', path: literal(args[2]), opened: true } : null;
  const m = /^\s*\+?>(?!>)\s*(.*)$/s.exec(two);
  return m ? { kind: 'empties', path: m[1] || undefined, opened: true } : null;
}

/** The patterns of each language by last name, so unrelated calls cost one lookup; built the first time a language's code is read, not at start. */
const PATTERNS_BY_NAME = new Map<Language, Map<string, CallPattern[]>>();
function patternsByName(lang: Language): Map<string, CallPattern[]> {
  let byName = PATTERNS_BY_NAME.get(lang);
  if (!byName) {
    byName = new Map();
    for (const p of CALL_PATTERNS[lang]) for (const n of p.names) byName.set(n, [...(byName.get(n) ?? []), p]);
    PATTERNS_BY_NAME.set(lang, byName);
  }
  return byName;
}

/** Names a computed subscript reaches into: `fs[name]`, `require('fs')[x]`, `globalThis[x]`. */
const MODULE_NAMES = new Set(['fs', 'fsp', 'child_process', 'cp', 'os', 'shutil', 'subprocess', 'process', 'globalThis', 'global', 'window', 'self', 'Deno', 'Bun', 'module', 'builtins', '__builtins__', '__dict__', 'modules', 'this']);
/** Calls that return a module or a namespace: `require('fs')[x]`, `vars(os)[x]`, `globals()[x]`. */
const NAMESPACE_CALLS = new Set([...MODULE_LOADERS, 'vars', 'globals', 'locals', 'getattr']);

/** Calls that write data after a file was opened for writing: the file is rewritten, not only emptied. */
const WRITES_DATA = new Set(['write', 'writelines', 'dump', 'print', 'printf', 'say', 'syswrite', 'puts', 'fwrite', 'fputs', 'to_csv', 'to_json', 'copyfileobj', 'write_text', 'write_bytes', 'savefig', 'writerow', 'writerows', 'end']);

/** Finds the calls in a token list that change things, reading arguments only for those. */
class CallReader {
  private readonly aliases: Aliases;
  /** Index of the bracket that closes or opens each bracket; -1 elsewhere. */
  private readonly partner: Int32Array;
  /** Where the statement holding each token ends, for Perl and Ruby calls without parentheses. */
  private readonly statementEnd: Int32Array;

  constructor(private readonly tokens: Token[], private readonly lang: Language, private readonly depth: number) {
    this.aliases = lang === 'python' || lang === 'js' ? importAliases(tokens, lang) : { modules: new Map(), names: new Map() };
    this.partner = new Int32Array(tokens.length).fill(-1);
    const stack: number[] = [];
    tokens.forEach((_, i) => {
      if (this.isPunct(i, '(') || this.isPunct(i, '[') || this.isPunct(i, '{')) stack.push(i);
      else if ((this.isPunct(i, ')') || this.isPunct(i, ']') || this.isPunct(i, '}')) && stack.length) {
        const open = stack.pop()!;
        this.partner[open] = i;
        this.partner[i] = open;
      }
    });
    this.statementEnd = new Int32Array(tokens.length + 1).fill(tokens.length);
    for (let k = tokens.length - 1; k >= 0; k--) {
      const ends = this.isPunct(k, ';') || this.isPunct(k, '}') || this.isPunct(k, ')');
      this.statementEnd[k] = ends ? k : this.statementEnd[k + 1];
    }
  }

  effects(): CodeEffect[] {
    const out: CodeEffect[] = [];
    const byName = patternsByName(this.lang);
    let writesData = false;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === 'shell') {
        if (byName.has('`')) out.push({ kind: 'shell', command: t.dynamic ? undefined : t.text });
        continue;
      }
      if (this.isPunct(i, '[')) {
        const hidden = this.computedMember(i);
        if (hidden) out.push(hidden);
        continue;
      }
      if (t.kind !== 'name') continue;
      // PHP's `$f(…)`, Perl's `$f->(…)` and `$obj->$m(…)`: a function chosen at run time.
      if ((this.lang === 'php' || this.lang === 'perl') && t.text.startsWith('$') && (this.isPunct(i + 1, '(') || (this.isPunct(i + 1, '->') && this.isPunct(i + 2, '(')))) {
        out.push({ kind: 'opaque', why: 'a function named at run time' });
        continue;
      }
      if (WRITES_DATA.has(t.text)) writesData ||= this.writesSomething(i);
      const imported = this.aliases.names.get(t.text);
      const name = imported && !byName.has(t.text) ? imported.name : t.text;
      const patterns = byName.get(name);
      if (!patterns) continue;
      let close: number;
      if (this.isPunct(i + 1, '(') && this.partner[i + 1] > i) close = this.partner[i + 1];
      else if ((this.lang === 'perl' || this.lang === 'ruby') && this.tokens[i + 1] && this.tokens[i + 1].kind !== 'punct') close = this.statementEnd[i + 1];
      else continue;
      const open = close === this.partner[i + 1] ? i + 1 : i;
      const found = this.receiverOf(i);
      const receiverCall = found.receiverCall;
      let receiver = found.receiver;
      if (receiver === '' && imported) receiver = imported.module;
      else if (receiver) {
        const [head, ...rest] = receiver.split('.');
        const module = this.aliases.modules.get(head);
        if (module !== undefined) receiver = [module, ...rest].join('.');
      }
      const call: Call = {
        name,
        args: this.argsOf(open, close),
        receiver,
        receiverArgs: receiverCall ? this.argsOf(receiverCall[0], receiverCall[1]) : null,
        lang: this.lang,
        depth: this.depth,
      };
      for (const pattern of patterns) {
        if (pattern.on && !pattern.on.test(receiver)) continue;
        const found = pattern.effect(call);
        if (!found) continue;
        out.push(...(Array.isArray(found) ? found : [found]));
        break;
      }
    }
    // `open(f, 'w')` followed by a write of data rewrites the file, as `echo x > f` does: not an emptying.
    return writesData ? out.filter((e) => !(e.kind === 'empties' && e.opened)) : out;
  }

  /** A write call with something to write (not `write('')`). */
  private writesSomething(i: number): boolean {
    if (!this.isPunct(i + 1, '(')) return this.lang === 'perl' || this.lang === 'ruby';
    const close = this.partner[i + 1];
    if (close < 0) return true;
    const inner = this.tokens.slice(i + 2, close);
    // Python's print writes to a file only with file=…
    if (this.lang === 'python' && this.tokens[i].text === 'print') return inner.some((t) => t.kind === 'name' && t.text === 'file');
    return !(inner.length === 0 || (inner.length === 1 && inner[0].kind === 'string' && inner[0].text === ''));
  }

  /** `fs[name]`, `require('fs')[x]`, `globalThis['ev' + 'al']`: a member of a module chosen at run time. */
  private computedMember(i: number): CodeEffect | null {
    const prev = this.tokens[i - 1];
    if (!prev) return null;
    let module = prev.kind === 'name' && MODULE_NAMES.has(prev.text);
    if (this.isPunct(i - 1, ')')) {
      const open = this.partner[i - 1];
      module = open > 0 && this.tokens[open - 1].kind === 'name' && NAMESPACE_CALLS.has(this.tokens[open - 1].text);
    }
    return module ? { kind: 'opaque', why: 'a member of a module named at run time' } : null;
  }

  private isPunct(k: number, text: string): boolean {
    const t = this.tokens[k];
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  /** The chain a call is made on (`os`, `fs.promises`, `File::Path`; '' for a bare call) and the receiver call's brackets. */
  private receiverOf(i: number): { receiver: string; receiverCall?: [number, number] } {
    const chain: string[] = [];
    let receiverCall: [number, number] | undefined;
    let j = i;
    while (j >= 2 && chain.length < MAX_CHAIN && this.tokens[j - 1].kind === 'punct' && MEMBER.has(this.tokens[j - 1].text)) {
      const before = this.tokens[j - 2];
      const open = this.partner[j - 2];
      if (before.kind === 'name') {
        chain.unshift(before.text);
        j -= 2;
      } else if (this.isPunct(j - 2, ')') && open > 0 && this.tokens[open - 1].kind === 'name') {
        // `require('fs').rmSync`, `Path('x').unlink`
        const callee = this.tokens[open - 1].text;
        const arg = this.tokens[open + 1];
        const module = MODULE_LOADERS.has(callee) && open + 2 === j - 2 && arg.kind === 'string' && !arg.dynamic ? arg.text.replace(/^node:/, '') : undefined;
        chain.unshift(module ?? callee);
        if (module === undefined && !receiverCall) receiverCall = [open, j - 2];
        j = open - 1;
      } else {
        // A receiver that is not a name (`/re/.exec(…)`, `'x'.join(…)`): the call is not a bare function.
        chain.unshift('?');
        break;
      }
    }
    return { receiver: chain.join(this.lang === 'perl' ? '::' : '.'), receiverCall };
  }

  /** Tokens strictly between open and close, split at commas outside brackets; null when too long to be a literal. */
  private argsOf(open: number, close: number): Token[][] | null {
    if (close - open > MAX_ARGUMENT_TOKENS) return null;
    const args: Token[][] = [[]];
    for (let k = open + 1; k < close; k++) {
      if (this.isPunct(k, ',') || this.isPunct(k, '=>')) {
        // Perl's fat comma separates like a comma (`open F => '>f'`); in hashes the pair stays readable to keyword().
        if (this.isPunct(k, '=>') && this.lang !== 'perl') {
          args[args.length - 1].push(this.tokens[k]);
          continue;
        }
        args.push([]);
        continue;
      }
      const end = Math.max(this.partner[k], k);
      args[args.length - 1].push(...this.tokens.slice(k, end + 1));
      k = end;
    }
    return args.filter((a) => a.length);
  }
}

/** What inline code in a language would do, call by call. */
export function readCode(code: string, lang: Language, depth = 0): CodeEffect[] {
  return new CallReader(tokenise(code, lang), lang, depth).effects();
}
