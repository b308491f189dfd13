// Simple commands -> the programs that actually run: sees through wrappers (sudo, env, xargs, timeout, npx…),
// and recurses into scripts carried as strings (bash -c, eval, ssh, watch), heredocs fed to shells,
// $(…) substitutions and find -exec. The wrappers and what they run are in wrappers.ts; the scripts a command
// carries in nestedScripts.ts; this file holds the Invocation and the expander that drives both.

import { argCache, Args, ArgSpec } from './args';
import { basename, COMMAND_ASSIGNMENT } from './commandWords';
import { late } from '../late';
import type { ShellKind } from './dialect';
import type { Site } from '../site';
import { FileReader, FilesRun, fileText, makeRecipes, packageScripts, scriptFile } from './files';
import type { LauncherHost } from './launchers';
import { globRegExp } from './glob';
import { TOO_MANY, valueReadsUnshown } from './arithReads';
import { LineVariables, StraightRun, valueWords } from './lineVars';
import { NestedScriptHost, readNestedScripts } from './nestedScripts';
import { innerOf } from './wrappers';
import { contentWrites } from './writes';
import { parseShell, Redirect, SimpleCommand, Word } from './shell';

export { basename } from './commandWords';

export type Origin = 'line' | 'shell-c' | 'substitution' | 'eval' | 'find-exec' | 'remote' | 'heredoc' | 'wrapper' | 'file';

export interface Invocation {
  /** Program name without directory: `/usr/bin/rm` -> `rm`. Empty for a bare redirection (`> file`). */
  program: string;
  /** The program word as written. */
  path: string;
  args: string[];
  /** The argument words, with their quoting and dynamic flags. */
  argWords: Word[];
  /** Variables set for this command (`A=1 cmd`, `env A=1 cmd`). */
  env: Record<string, string>;
  redirects: Redirect[];
  /** Text fed on standard input by a heredoc or here-string. */
  stdin?: string;
  /** The command whose output is piped into this one. */
  pipeFrom?: Invocation;
  /** The command that runs this one (xargs, find -exec, sudo, bash -c…). */
  parent?: Invocation;
  /** The source text of the simple command, as written. */
  text: string;
  /** Wrapper programs seen through, outermost first. */
  via: string[];
  origin: Origin;
  /** The program name itself is only known at run time (`$CMD -rf x`). */
  dynamicProgram: boolean;
  /** More arguments arrive on standard input (xargs). */
  argsFromStdin: boolean;
  /** Nesting depth of the script this came from. */
  depth: number;
  /** Cache of parsed args per spec. */
  parsed(spec?: ArgSpec): Args;
  /** Read by the PowerShell or cmd reader (absent: bash); the program is then the POSIX twin of what was written. */
  dialect?: 'powershell' | 'cmd';
  /** Set by those readers when they know whether the command only looks (`Get-ChildItem`, `-WhatIf`). */
  readOnly?: boolean;
  /** Where the line runs (its folder, the guard's own files), when the caller said. */
  site?: Site;
  /** The file this command was read from (a sourced script, a Makefile, package.json), when not the line itself. */
  file?: string;
  /** What the line's own text sets its variables to (`d=.vscode; cp x "$d/settings.json"`). */
  vars?: LineVariables;
  /** How many of the line's assignments came before this command (LineVariables.seq). */
  varsAt?: number;
  /** An earlier `cd` on the line went where only the shell knows (`cd "$d"`, `cd -`): a relative path may be anywhere. */
  movedUnseen?: boolean;
}

export interface ExpandResult {
  invocations: Invocation[];
  errors: string[];
}

const MAX_DEPTH = 12;
// The readers of PowerShell and cmd scripts: most lines need neither, so they load on first use (src/core/late.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const powerShellReader = late((): typeof import('./cmdlets') => require('./cmdlets'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cmdReader = late((): typeof import('./cmd') => require('./cmd'));
const MAX_INVOCATIONS = 4000;

/** What moves a PowerShell or cmd line to another folder (their readers give the cmdlet's name, or cmd's own). */
const WINDOWS_CD = new Set(['set-location', 'push-location', 'cd', 'chdir', 'pushd']);

/** A word that is a file-name pattern and nothing else run-time (no `$`, no backquote). */
function isPattern(word: string): boolean {
  return /[*?[]|[@!+*?]?\(/.test(word) && !/[$`]/.test(word);
}

/** Guarded programs when the line's site does not list them: the deleters. */
const FALLBACK_GUARDED: ReadonlySet<string> = new Set(['rm', 'find', 'shred', 'dd', 'mv', 'rmdir', 'unlink', 'truncate']);

/** The guarded program a pattern could name, when no file says (the rules' names; `r?` could be rm). */
function matchGuarded(word: string, guarded: ReadonlySet<string> | undefined): string | undefined {
  const re = globRegExp(basename(word));
  if (!re) return undefined;
  for (const name of guarded ?? FALLBACK_GUARDED) if (re.test(name)) return name;
  return undefined;
}

/** Words that are never a renamed program worth a look (shell words, the harmless everyday programs). */
const RENAMED_SKIP = new Set(['', '.', 'source', 'cd', 'echo', 'printf', 'test', '[', 'true', 'false', ':']);
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);

class Expander implements NestedScriptHost {
  readonly invocations: Invocation[] = [];
  readonly errors: string[] = [];

  /** The file whose commands are being read (set while a script file, Makefile or package.json script is read). */
  private file: string | undefined;
  /** What the text sets its variables to, anywhere on the line (`X=/bin/rm`, `export d=.claude`). */
  readonly vars = new LineVariables();
  /** Programs run as `$X`, each judged again as every value the line gives X (see finish()). */
  private readonly variablePrograms: { inv: Invocation; name: string; tried: Set<string> }[] = [];
  /** The line as written, when the expander was given one (not a file's text). */
  private line?: string;
  /** The code the line hands another shell or eval. */
  private readonly inner: string[] = [];
  /** A `cd` went where only the shell knows (see Invocation.movedUnseen). */
  private movedUnseen = false;
  /** While the line so far is only plain assignments: what each name certainly holds. */
  private straight?: StraightRun;

  constructor(public site?: Site) {}

  /**
   * A program run by its path (or found on a PATH the line sets) that is a guarded program under another name — a
   * copy, a hard or symbolic link (`cp /bin/rm x; ./x -rf data`) — is judged as that program.
   */
  private identified(inv: Invocation): Invocation {
    // zsh's `=rm` is the path of rm.
    if (inv.path.length > 1 && inv.path.startsWith('=') && !inv.dynamicProgram) inv = { ...inv, program: basename(inv.path.slice(1)) };
    // zsh/files' builtins (`zmodload zsh/files`): zf_rm is rm, zf_mv is mv.
    const zf = /^zf_(rm|rmdir|mv|ln|chmod|chown|chgrp|mkdir)$/.exec(inv.path);
    if (zf) return { ...inv, program: zf[1], parsed: argCache(inv.args) };
    // A program word that is a pattern (`/bin/r?`, `/usr/bin/@(rm)`, `r(m|x)`): what it matches is what runs.
    if (inv.dynamicProgram && isPattern(inv.path)) {
      const matched = this.site?.readsFiles ? this.site.globProgram(inv.path) : undefined;
      const named = matched ?? matchGuarded(inv.path, this.site?.guarded);
      if (named !== undefined) return { ...inv, program: named, dynamicProgram: false, parsed: argCache(inv.args) };
      return inv;
    }
    const site = this.site;
    if (!site?.readsFiles || inv.dynamicProgram || !inv.path || RENAMED_SKIP.has(inv.program)) return inv;
    let candidates: string[] = [];
    if (inv.path.includes('/')) candidates = site.resolveAll(inv.path);
    else if (inv.env.PATH !== undefined) {
      for (const d of inv.env.PATH.split(':')) {
        const dir = site.resolve(d);
        if (dir !== undefined) candidates.push(`${dir}/${inv.path}`);
      }
    }
    for (const c of candidates) {
      let real: string | undefined;
      try {
        real = site.programIdentity(c, site.guarded);
      } catch {
        real = undefined;
      }
      if (real !== undefined && real !== inv.program) return { ...inv, program: real, parsed: argCache(inv.args) };
      if (real !== undefined || site.isFile(c)) break;
    }
    return inv;
  }

  /** The files this command runs inside the checked shell, judged as part of the line. */
  runFiles(inv: Invocation, how: 'source' | 'shell' | 'path' | 'make' | 'package', word = '', kind: ShellKind = 'bash'): void {
    const site = this.site;
    if (!site?.readsFiles || inv.depth > MAX_DEPTH) return;
    const reader: FileReader = {
      site,
      writtenBefore: (abs) => this.invocations.some((w) => w !== inv && contentWrites(w).some((t) => site.resolve(t) === abs)),
    };
    let run: FilesRun;
    try {
      run = how === 'make' ? makeRecipes(reader, inv) : how === 'package' ? packageScripts(reader, inv) : scriptFile(reader, word, how);
    } catch (e) {
      run = { scripts: [], errors: [`could not read what ${inv.program} runs (${(e as Error).message})`] };
    }
    for (const e of run.errors) this.error(e);
    for (const s of run.scripts) {
      const outer = this.file;
      this.file = s.file;
      try {
        this.read(s.text, kind, inv.depth + 1, 'file', inv);
      } finally {
        this.file = outer;
      }
    }
  }

  /** What the launchers of launchers.ts need: scripts, words run as a command, fed text and files. */
  readonly launcherHost: LauncherHost = {
    script: (src, inv) => this.script(src, inv.depth + 1, 'eval', inv),
    runWords: (inv, from, options = {}) => {
      const words = inv.argWords.slice(from, options.to);
      if (!words.length) return;
      const as = options.as;
      const argWords = [...(as?.args ?? []).map((text): Word => ({ text, raw: text, dynamic: false, quoted: false })), ...words.slice(1)];
      this.unwrap({
        ...inv,
        program: as?.program ?? basename(words[0].text),
        path: as?.program ?? words[0].text,
        args: argWords.map((w) => w.text),
        argWords,
        via: [...inv.via, inv.program],
        origin: 'wrapper',
        parent: inv,
        dynamicProgram: !as && words[0].dynamic,
        depth: inv.depth + 1,
        parsed: argCache(argWords.map((w) => w.text)),
        readOnly: undefined,
      });
    },
    fed: (inv) => this.fed(inv),
    file: (inv, word, why) => this.fileText(inv, word, why),
    error: (e) => this.error(e),
    runIn: (src, kind, inv) => this.read(src, kind, inv.depth + 1, 'eval', inv),
  };

  /** A file's text, read bounded (undefined when there is no folder to read in, or it is missing or unreadable). */
  private fileText(inv: Invocation, word: string, why: string): string | undefined {
    const site = this.site;
    if (!site?.readsFiles || inv.depth > MAX_DEPTH) return undefined;
    const reader: FileReader = { site, writtenBefore: (abs) => this.invocations.some((w) => w !== inv && contentWrites(w).some((t) => site.resolve(t) === abs)) };
    const run = fileText(reader, word, why);
    for (const e of run.errors) this.error(e);
    return run.scripts[0]?.text;
  }

  /**
   * The text a command reads on standard input, when the line shows it: a heredoc or here-string, a file redirected
   * in (`bash -s < s.sh`), or the output of `echo`, `printf` or `cat FILE` piped in.
   */
  fed(inv: Invocation): string | undefined {
    if (inv.stdin !== undefined) return inv.stdin;
    // `xargs -a FILE sh -c`: the words come from FILE.
    for (let p = inv.argsFromStdin ? inv.parent : undefined; p; p = p.parent) {
      if (p.program !== 'xargs') continue;
      const file = p.parsed({ values: ['-a', '--arg-file', '-I', '-L', '-n', '-P', '-s', '-d', '-E'] }).value('-a', '--arg-file');
      if (file !== undefined) return this.fileText(inv, file, 'reads its commands from');
      break;
    }
    const from = inv.redirects.filter((r) => (r.op === '<' || r.op === '<>') && r.body === undefined && (r.fd === undefined || r.fd === '0')).pop();
    if (from?.target) return from.target.dynamic ? undefined : from.target.text === '/dev/null' ? '' : this.fileText(inv, from.target.text, 'reads');
    return inv.pipeFrom ? this.outputOf(inv.pipeFrom) : undefined;
  }

  /** What a command writes to standard output, when the line shows it (echo, printf, cat of files or input). */
  private outputOf(src: Invocation): string | undefined {
    const s = staticOutput(src);
    if (s !== undefined) return s;
    if (src.program !== 'cat' || src.argWords.some((w) => w.dynamic) || src.args.some((a) => a.startsWith('-') && a !== '-')) return undefined;
    if (!src.args.length) return this.fed(src);
    const parts: string[] = [];
    for (const a of src.args) {
      const t = a === '-' ? this.fed(src) : this.fileText(src, a, 'feeds');
      if (t === undefined) return undefined;
      parts.push(t);
    }
    return parts.join('');
  }

  /** A `<(cmd)` word's content: what cmd writes, when the line shows it. */
  private substituted(inv: Invocation, word: Word): string | undefined {
    const m = /^<\((.*)\)$/s.exec(word.raw);
    if (!m) return undefined;
    const parsed = parseShell(m[1]);
    const last = parsed.commands[parsed.commands.length - 1];
    if (!last || parsed.errors.length) return undefined;
    const cmds = new Map<SimpleCommand, Invocation>();
    for (const c of parsed.commands) {
      const i = fromSimpleCommand(c, inv.depth + 1, 'substitution', inv, this.site, this.file, this.vars);
      if (c.pipeFrom) i.pipeFrom = cmds.get(c.pipeFrom);
      cmds.set(c, i);
    }
    return this.outputOf(cmds.get(last)!);
  }

  /** The script a shell or `source` reads from a file word that is its input (`<(…)`, `/dev/stdin`, `-`). */
  private inputScript(inv: Invocation, word: Word): string | undefined | null {
    if (/^<\(/.test(word.raw)) return this.substituted(inv, word) ?? null;
    if (!word.dynamic && /^(\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0|-)$/.test(word.text)) return this.fed(inv) ?? null;
    return undefined;
  }

  /**
   * A PowerShell or batch script file a line runs (`& .\\x.ps1`, `pwsh -File x.ps1`, `Import-Module .\\m.psm1`,
   * `call x.bat`, `x.cmd`): read, bounded, and judged in its own language, as `bash file` is.
   */
  runFile(inv: Invocation, word: string, kind: ShellKind): void {
    const w = word.replace(/^(["'])(.*)\1$/s, '$2').replace(/\\/g, '/');
    if (!this.site?.readsFiles) {
      if (this.site?.unread) this.error(`runs the script ${word}, which ${this.site.unread}`);
      return;
    }
    this.runFiles(inv, 'shell', w, kind);
  }

  /** A script in the given shell's language. */
  read(src: string, kind: ShellKind, depth: number, origin: Origin, parent?: Invocation): void {
    if (kind === 'bash') return this.script(src, depth, origin, parent);
    if (depth > MAX_DEPTH) return this.error('nested too deeply');
    if (kind === 'powershell') powerShellReader().readPowerShell(src, this, depth, origin, parent);
    else cmdReader().readCmd(src, this, depth, origin, parent);
  }

  run(inv: Invocation): void {
    if (this.site && !inv.site) inv.site = this.site;
    this.unwrap(inv);
    // `Set-Location .vscode; Set-Content settings.json …`, `cd .vscode & echo … > settings.json`: the rest runs there.
    if (this.site && WINDOWS_CD.has(inv.program.toLowerCase()) && !inv.argWords.some((w) => w.dynamic)) {
      const dir = inv.args.filter((a) => !/^[-/]/.test(a) || /^\/[^/]*[\\/]/.test(a))[0] ?? inv.parsed().value('-Path', '-LiteralPath');
      if (dir !== undefined) this.site = this.site.at(dir.replace(/^(["'])(.*)\1$/, '$2').replace(/\\/g, '/'));
    }
  }

  script(src: string, depth: number, origin: Origin, parent?: Invocation): void {
    if (depth > MAX_DEPTH) {
      this.error('nested too deeply');
      return;
    }
    const parsed = parseShell(src);
    for (const e of parsed.errors) this.error(e);
    const byCommand = new Map<SimpleCommand, Invocation>();
    if (depth === 0 && origin === 'line' && this.file === undefined && !parsed.errors.length) this.straight = StraightRun.of(src);
    if (depth === 0 && origin === 'line' && this.file === undefined) this.line = src;
    // Code the line hands a shell (`bash -c '…'`, `eval '…'`, `ssh host '…'`): its variables are that shell's, which
    // the line shows only as far as the code sets them itself.
    else if (origin === 'shell-c' || origin === 'eval' || origin === 'remote') this.inner.push(src);
    for (const cmd of parsed.commands) {
      const inv = fromSimpleCommand(cmd, depth, origin, parent, this.site, this.file, this.vars);
      if (this.movedUnseen) inv.movedUnseen = true;
      inv.varsAt = this.vars.seq;
      // Only a command of assignments alone: `X=ls $X` expands $X before X=ls is made.
      if (depth === 0 && !cmd.words.length && !cmd.redirects.length) this.straight?.assign(cmd.assignments);
      // `X=/bin/rm`, `export d=.claude`, and (as values it may take) `X=rm cmd`, which sets X for good before a
      // special builtin in POSIX mode: a later `$X -rf data` or `> "$d/settings.json"` is judged with them.
      for (const w of cmd.assignments) this.vars.assignWord(w.text, w.dynamic);
      this.vars.assignArguments(inv.program, inv.argWords);
      // `cd dir && ./run.sh`: the rest of the line runs in dir (files are looked for there and where the line began).
      if ((inv.program === 'cd' || inv.program === 'pushd') && this.site) {
        const word = inv.argWords.find((w) => !w.text.startsWith('-'));
        // `d=.vscode; cd $d`: where the line's own value takes it.
        const dir = !word ? '' : !word.dynamic ? word.text : this.vars.variants(word.text).filter((v) => !/[$`*?[]/.test(v)).pop();
        if (dir !== undefined) this.site = this.site.at(dir);
        if (dir === undefined || dir === '-' || (dir !== '' && dir !== '~' && this.site.resolve(dir) === undefined) || (word?.dynamic && this.vars.variants(word.text).length !== 1)) this.movedUnseen = true;
      }
      // `popd` goes back where only the shell knows.
      if (inv.program === 'popd') this.movedUnseen = true;
      if (cmd.pipeFrom) inv.pipeFrom = byCommand.get(cmd.pipeFrom);
      byCommand.set(cmd, inv);
      this.unwrap(inv);
      // Past a command (which may be a function that sets any variable), nothing is certain any more.
      if (depth === 0 && (cmd.words.length || cmd.redirects.length)) this.straight = undefined;
    }
    for (const n of parsed.nested) this.script(n, depth + 1, 'substitution', parent);
  }

  /**
   * A program run as `$X` (`b=r; b+=m; $b -rf data`): judged as written (a program known only at run time, since an
   * assignment may not run, or `read X` may set it unseen) and as each value the line gives X, now and (finish())
   * those given after it on the line, which a loop or a function may run first.
   */
  private runsVariable(inv: Invocation): boolean {
    const m = inv.dynamicProgram ? /^\$\{?([A-Za-z_]\w*)\}?$/.exec(inv.path) : null;
    if (!m) return false;
    const name = m[1];
    // `X=/bin/rm; $X -rf data` on a straight line, with X named nowhere else (`read X`, `printf -v X`, `X[0]=`):
    // that value, and nothing else, runs. Unless an attribute an earlier line gave X (`declare -l X`, zsh's
    // `typeset -R2 X`) or an earlier IFS could make another guarded program of it (`X=RM`, `X=terraform`).
    const certain = inv.origin === 'line' && inv.depth === 0 ? this.straight?.certain(name) : undefined;
    if (certain !== undefined && !this.mayBecomeAnother(certain)) {
      for (const words of valueWords(certain, (name) => this.isGuarded(name))) this.unwrap(runAs(inv, words));
      return true;
    }
    const use = { inv, name, tried: new Set<string>() };
    this.variablePrograms.push(use);
    this.tryValues(use);
    return false;
  }

  /** Whether a value, in lower case, holds a guarded program's name other than its own (`RM`, `terraform`). */
  private mayBecomeAnother(value: string): boolean {
    const own = basename(value);
    const names = this.site?.guarded.size ? this.site.guarded : FALLBACK_GUARDED;
    // Program names are lower case: `declare -l` can make one of `RM`, `declare -u` none.
    const form = value.toLowerCase();
    for (const g of names) if (g !== own && g.length > 1 && form.includes(g)) return true;
    return false;
  }

  /** Whether a program name is one the rules guard (the site's list, or the usual deleters). */
  private isGuarded(name: string): boolean {
    return !!this.site?.guarded.has(name) || matchGuarded(name, undefined) === name;
  }

  private tryValues(use: { inv: Invocation; name: string; tried: Set<string> }): void {
    for (const value of this.vars.of(use.name)) {
      // A value that is itself a variable (`X=$Y`) is known only at run time: the program as written stands for it.
      if (use.tried.has(value) || /[$`]/.test(value)) continue;
      use.tried.add(value);
      for (const words of valueWords(value, (name) => this.isGuarded(name))) this.unwrap(runAs(use.inv, words));
    }
  }

  /** The values given after a `$X` that ran before them on the line: judged too. */
  finish(): void {
    for (const code of this.vars.code) this.script(code, 1, 'substitution');
    const unshown = [this.line, ...this.inner.slice(0, 16)].flatMap((text) => (text === undefined ? [] : valueReadsUnshown(text, this.vars)));
    if (unshown.length) this.error(`arithmetic or a name reads ${unshown.slice(0, 3).map((n) => (n === TOO_MANY ? 'more places than it checks' : `$${n}`)).join(', ')}, whose value the line does not show: a value such as a[$(cmd)] runs cmd there`);
    for (let round = 0; round < 4; round++) {
      const before = this.invocations.length;
      for (const use of this.variablePrograms.slice()) this.tryValues(use);
      if (this.invocations.length === before) return;
    }
  }

  error(e: string): void {
    if (!this.errors.includes(e)) this.errors.push(e);
  }

  private add(inv: Invocation): boolean {
    if (this.invocations.length >= MAX_INVOCATIONS) {
      this.error('too many commands to check');
      return false;
    }
    this.invocations.push(inv);
    return true;
  }

  unwrap(inv: Invocation): void {
    for (let guard = 0; guard < 32; guard++) {
      if (this.runsVariable(inv)) return;
      inv = this.identified(inv);
      // `yarn wipe` runs package.json's wipe script when there is one (else a package's program of that name).
      if (PACKAGE_MANAGERS.has(inv.program)) this.runFiles(inv, 'package');
      const inner = innerOf(inv, this);
      if (!inner) break;
      inv = inner;
    }
    if (!this.add(inv)) return;
    readNestedScripts(inv, this);
  }


  /**
   * A script given as `<(…)` or as standard input (`source <(cat s.sh)`, `. /dev/stdin <<< '…'`, `bash <(echo …)`):
   * judged when the line shows its text; a command's output the line cannot show is not understood. False when the
   * word is neither.
   */
  /**
   * `source`/`bash` of a word that is its own input (`<(…)`, `/dev/stdin`, `-`): judges the script the line shows it
   * will read; true when the word was such an input (handled here, read or not).
   */
  substitutedScript(inv: Invocation, word: Word, how: 'source' | 'shell'): boolean {
    const depth = inv.depth + 1;
    const input = this.inputScript(inv, word);
    if (input === undefined) return false;
    if (typeof input === 'string') {
      this.script(input, depth, how === 'source' ? 'file' : 'heredoc', inv);
      return true;
    }
    const m = /^<\(([\s\S]*)\)$/.exec(word.text);
    if (m && depth <= MAX_DEPTH) {
      const inner = expand(m[1], 'bash', this.site).invocations;
      const only = inner.length === 1 ? inner[0] : undefined;
      if (only?.program === 'cat' && only.args.length && !only.argWords.some((w) => w.dynamic || w.text.startsWith('-'))) for (const f of only.args) this.runFiles(inv, how, f);
      else if (!inner.length || !inner.every(printsShellSetup)) this.error(`${inv.program} runs the output of \`${m[1].trim()}\`, which cannot be read before it runs`);
      return true;
    }
    // Commands read from the terminal reach the shell past the line gate; a pipe's unknown output is
    // exec.pipe-to-shell's to judge.
    if (!inv.pipeFrom) this.error(`${inv.program} reads its commands from ${word.text}, which the line does not show`);
    return true;
  }

}

/** Tools whose output is shell setup code meant for eval or source: `eval "$(ssh-agent -s)"`, `source <(fzf --zsh)`. */
export const SETUP_PRINTERS: ReadonlySet<string> = new Set([
  'ssh-agent', 'gpg-agent', 'keychain', 'pyenv', 'rbenv', 'nodenv', 'goenv', 'jenv', 'plenv', 'direnv', 'brew', 'conda',
  'mamba', 'micromamba', 'starship', 'zoxide', 'fnm', 'mise', 'rtx', 'opam', 'minikube', 'docker-machine', 'dircolors',
  'luarocks', 'atuin', 'fzf', 'thefuck', 'register-python-argcomplete',
]);
const SETUP_WORDS = /^(completions?|--completions?|shellenv|init|hook|activate|env|--(bash|zsh|fish))$/;

function printsShellSetup(inv: Invocation): boolean {
  return !inv.dynamicProgram && (SETUP_PRINTERS.has(inv.program) || inv.args.some((a) => SETUP_WORDS.test(a)));
}

/** What a command writes to stdout when the text alone shows it (echo, printf, cat of a heredoc); else undefined. */
export function staticOutput(inv: Invocation): string | undefined {
  if (inv.argWords.some((w) => w.dynamic)) return undefined;
  if (inv.program === 'echo') return inv.args.filter((a, i) => !(i === 0 && /^-[neE]+$/.test(a))).join(' ');
  // Escapes (\x72, \162, \u0072) could spell any command: unknown rather than wrong.
  if ((inv.program === 'printf' || (inv.program === 'echo' && /^-[nE]*e/.test(inv.args[0] ?? ''))) && inv.args.some((a) => /\\(x|u|U|[0-7])/.test(a))) return undefined;
  if (inv.program === 'printf') return inv.args.join(' ').replace(/\\n/g, '\n');
  if (inv.program === 'cat' && inv.stdin !== undefined && inv.args.every((a) => a === '-')) return inv.stdin;
  return undefined;
}


/** INV with its program word replaced by WORDS (a value its `$X` holds). */
function runAs(inv: Invocation, words: string[]): Invocation {
  const added: Word[] = words.slice(1).map((w) => ({ text: w, raw: w, dynamic: false, quoted: false }));
  const args = [...added.map((w) => w.text), ...inv.args];
  return { ...inv, program: basename(words[0]), path: words[0], args, argWords: [...added, ...inv.argWords], dynamicProgram: false, parsed: argCache(args) };
}

function fromSimpleCommand(cmd: SimpleCommand, depth: number, origin: Origin, parent?: Invocation, site?: Site, file?: string, vars?: LineVariables): Invocation {
  const env: Record<string, string> = {};
  for (const w of cmd.assignments) {
    const m = COMMAND_ASSIGNMENT.exec(w.text);
    // `PATH+=:x` keeps what PATH held: the value is judged as `$PATH:x`.
    if (m) env[m[1]] = m[2] ? `$${m[1]}${m[3]}` : m[3];
  }
  let stdin: string | undefined;
  for (const r of cmd.redirects) if (r.body !== undefined) stdin = r.body;
  const [first, ...rest] = cmd.words;
  const args = rest.map((w) => w.text);
  return {
    program: first ? basename(first.text) : '',
    path: first ? first.text : '',
    args,
    argWords: rest,
    env,
    redirects: cmd.redirects,
    stdin,
    text: cmd.text,
    via: [],
    origin,
    parent,
    dynamicProgram: !!first?.dynamic,
    argsFromStdin: false,
    depth,
    parsed: argCache(args),
    ...(site ? { site } : {}),
    ...(file !== undefined ? { file } : {}),
    ...(vars ? { vars } : {}),
  };
}

/** Every program a command line would run, as far as the text shows, read as the given shell reads it. Never throws. */
export function expand(commandLine: string, shell: ShellKind = 'bash', site?: Site): ExpandResult {
  const ex = new Expander(site);
  ex.read(commandLine, shell, 0, 'line');
  ex.finish();
  return { invocations: ex.invocations, errors: ex.errors };
}
