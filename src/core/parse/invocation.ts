// Simple commands -> the programs that actually run: sees through wrappers (sudo, env, xargs, timeout, npx…),
// and recurses into scripts carried as strings (bash -c, eval, ssh, watch), heredocs fed to shells,
// $(…) substitutions and find -exec.

import { Args, ArgSpec, argCache } from './args';
import { FilesRunBy, readCarriedScripts, ScriptHost } from './carriedScripts';
import { readCmd } from './cmd';
import { readPowerShell } from './cmdlets';
import { basename } from './commandWords';
import type { ShellKind } from './dialect';
import type { Site } from '../site';
import { FileReader, FilesRun, makeRecipes, packageScripts, scriptFile } from './files';
import { globRegExp } from './glob';
import { touchedPaths } from './writes';
import { parseShell, Redirect, SimpleCommand, Word } from './shell';
import { wrappedCommand } from './wrappers';

// The rules read a program's name and a command's printed text from here, with the Invocation they describe.
export { basename, staticOutput } from './commandWords';

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
}

export interface ExpandResult {
  invocations: Invocation[];
  errors: string[];
}

const MAX_DEPTH = 12;
const MAX_INVOCATIONS = 4000;

/** A word that is a file-name pattern and nothing else run-time (no `$`, no backquote). */
function isPattern(word: string): boolean {
  return /[*?[]|[@!+*?]?\(/.test(word) && !/[$`]/.test(word);
}

/** The guarded program a pattern could name, when no file says (the rules' names; `r?` could be rm). */
function matchGuarded(word: string, guarded: ReadonlySet<string> | undefined): string | undefined {
  const re = globRegExp(basename(word));
  if (!re) return undefined;
  for (const name of guarded ?? ['rm', 'find', 'shred', 'dd', 'mv', 'rmdir', 'unlink', 'truncate']) if (re.test(name)) return name;
  return undefined;
}

/** Words that are never a renamed program worth a look (shell words, the harmless everyday programs). */
const RENAMED_SKIP = new Set(['', '.', 'source', 'cd', 'echo', 'printf', 'test', '[', 'true', 'false', ':']);
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);

/** A command's own assignments as the shell reads them: `A=1`, `A+=1` (appends), `a[2]=x` (an element). */
const COMMAND_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?(\+?)=(.*)$/s;

class Expander implements ScriptHost {
  readonly invocations: Invocation[] = [];
  readonly errors: string[] = [];

  /** The file whose commands are being read (set while a script file, Makefile or package.json script is read). */
  private file: string | undefined;
  /** Variables the text sets to a plain value, in order (`X=/bin/rm`). */
  private readonly vars = new Map<string, string>();

  constructor(public site?: Site) {}

  /**
   * A program run by its path (or found on a PATH the line sets) that is a guarded program under another name — a
   * copy, a hard or symbolic link (`cp /bin/rm x; ./x -rf data`) — is judged as that program.
   */
  private identified(inv: Invocation): Invocation {
    // zsh's `=rm` is the path of rm.
    if (inv.path.length > 1 && inv.path.startsWith('=') && !inv.dynamicProgram) inv = { ...inv, program: basename(inv.path.slice(1)) };
    const variable = inv.dynamicProgram ? /^\$\{?([A-Za-z_]\w*)\}?$/.exec(inv.path) : null;
    if (variable && this.vars.has(variable[1])) {
      const value = this.vars.get(variable[1])!;
      if (value && !/\s/.test(value)) return { ...inv, program: basename(value), path: value, dynamicProgram: false, parsed: argCache(inv.args) };
    }
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
  runFiles(inv: Invocation, how: FilesRunBy, word = ''): void {
    const site = this.site;
    if (!site?.readsFiles || inv.depth > MAX_DEPTH) return;
    const reader: FileReader = {
      site,
      writtenBefore: (abs) => this.invocations.some((w) => w !== inv && touchedPaths(w).some((t) => site.resolve(t) === abs)),
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
        this.script(s.text, inv.depth + 1, 'file', inv);
      } finally {
        this.file = outer;
      }
    }
  }

  /** A script in the given shell's language. */
  read(src: string, kind: ShellKind, depth: number, origin: Origin, parent?: Invocation): void {
    if (kind === 'bash') return this.script(src, depth, origin, parent);
    if (depth > MAX_DEPTH) return this.error('nested too deeply');
    if (kind === 'powershell') readPowerShell(src, this, depth, origin, parent);
    else readCmd(src, this, depth, origin, parent);
  }

  run(inv: Invocation): void {
    if (this.site && !inv.site) inv.site = this.site;
    this.unwrap(inv);
  }

  script(src: string, depth: number, origin: Origin, parent?: Invocation): void {
    if (depth > MAX_DEPTH) {
      this.error('nested too deeply');
      return;
    }
    const parsed = parseShell(src);
    for (const e of parsed.errors) this.error(e);
    const byCommand = new Map<SimpleCommand, Invocation>();
    for (const cmd of parsed.commands) {
      const inv = fromSimpleCommand(cmd, depth, origin, parent, this.site, this.file);
      // `X=/bin/rm` on its own: a later `$X -rf data` runs that program.
      if (!cmd.words.length) for (const w of cmd.assignments) if (!w.dynamic && COMMAND_ASSIGNMENT.exec(w.text)?.[2] === '') this.vars.set(w.text.slice(0, w.text.indexOf('=')), w.text.slice(w.text.indexOf('=') + 1));
      // `cd dir && ./run.sh`: the rest of the line runs in dir (files are looked for there and where the line began).
      if ((inv.program === 'cd' || inv.program === 'pushd') && this.site && !inv.argWords.some((w) => w.dynamic)) this.site = this.site.at(inv.args.find((a) => !a.startsWith('-')) ?? '');
      if (cmd.pipeFrom) inv.pipeFrom = byCommand.get(cmd.pipeFrom);
      byCommand.set(cmd, inv);
      this.unwrap(inv);
    }
    for (const n of parsed.nested) this.script(n, depth + 1, 'substitution', parent);
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
      inv = this.identified(inv);
      // `yarn wipe` runs package.json's wipe script when there is one (else a package's program of that name).
      if (PACKAGE_MANAGERS.has(inv.program)) this.runFiles(inv, 'package');
      const inner = wrappedCommand(inv, (script) => this.script(script, inv.depth + 1, 'eval', inv));
      if (!inner) break;
      inv = inner;
    }
    if (!this.add(inv)) return;
    readCarriedScripts(inv, this);
  }
}

function fromSimpleCommand(cmd: SimpleCommand, depth: number, origin: Origin, parent?: Invocation, site?: Site, file?: string): Invocation {
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
  };
}

/** Every program a command line would run, as far as the text shows, read as the given shell reads it. Never throws. */
export function expand(commandLine: string, shell: ShellKind = 'bash', site?: Site): ExpandResult {
  const ex = new Expander(site);
  ex.read(commandLine, shell, 0, 'line');
  return { invocations: ex.invocations, errors: ex.errors };
}
