// Simple commands -> the programs that actually run: sees through wrappers (sudo, env, xargs, timeout, npx…),
// and recurses into scripts carried as strings (bash -c, eval, ssh, watch), heredocs fed to shells,
// $(…) substitutions and find -exec.

import { Args, ArgSpec, parseArgs } from './args';
import { readCmd } from './cmd';
import { readPowerShell } from './cmdlets';
import { containerRun } from './containerRun';
import type { ShellKind } from './dialect';
import type { Site } from '../site';
import { FileReader, FilesRun, fileText, makeRecipes, packageScripts, scriptFile } from './files';
import { LauncherHost, readLauncher, readRunVars } from './launchers';
import { globRegExp } from './glob';
import { touchedPaths } from './writes';
import { parseShell, Redirect, SimpleCommand, Word } from './shell';
import { isWindowsShell, ReaderHost, readShellArgs } from './windows';

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

interface WrapperSpec {
  /** Options that take a value. */
  values?: string[];
  /** Positionals consumed before the command (timeout's duration, flock's lock file, docker exec's container). */
  leading?: number;
  /** Accepts NAME=VALUE words before the command (env). */
  assignments?: boolean;
  /** Options that mean "this does not run a command" (command -v). */
  notExecuting?: string[];
  /** Options whose value is a whole script (env -S, flock -c, doppler --command). */
  scriptOptions?: string[];
  argsFromStdin?: boolean;
  /** The command only starts after a `--` (kubectl exec, op run). */
  afterDashDash?: boolean;
}

/** Programs that run another program given on their command line. */
const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: { values: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '--user', '--group', '--host', '--prompt', '--chdir', '--role', '--type', '--other-user', '--close-from', '--command-timeout'], notExecuting: ['-l', '-v', '-k', '-K', '-V', '--list', '--validate'] },
  doas: { values: ['-u', '-C'] },
  pkexec: { values: ['--user'] },
  runuser: { values: ['-u', '-g', '-G', '--user', '--group'], scriptOptions: ['-c', '--command'] },
  env: { values: ['-u', '--unset', '-C', '--chdir'], assignments: true, scriptOptions: ['-S', '--split-string'] },
  command: { notExecuting: ['-v', '-V'] },
  builtin: {},
  exec: { values: ['-a'] },
  nohup: {},
  setsid: {},
  time: {},
  nice: { values: ['-n', '--adjustment'] },
  ionice: { values: ['-c', '-n', '-p', '--class', '--classdata'] },
  timeout: { values: ['-s', '--signal', '-k', '--kill-after'], leading: 1 },
  stdbuf: { values: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  xargs: { values: ['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-lines', '--replace', '--eof', '--max-chars', '--process-slot-var'], argsFromStdin: true },
  flock: { values: ['-w', '--timeout', '-E', '--conflict-exit-code'], leading: 1, scriptOptions: ['-c', '--command'] },
  chronic: {},
  unbuffer: {},
  eatmydata: {},
  torsocks: {},
  proxychains: { values: ['-f'] },
  proxychains4: { values: ['-f'] },
  strace: { values: ['-o', '-e', '-p', '-s', '-u', '-E'] },
  ltrace: { values: ['-o', '-e', '-p', '-s', '-u'] },
  caffeinate: { values: ['-t', '-w'] },
  npx: { values: ['-p', '--package'], scriptOptions: ['-c', '--call'] },
  bunx: { values: ['-p', '--package'] },
  dotenv: { values: ['-e', '-v', '-c'], afterDashDash: true },
  dotenvx: { values: ['-f', '--env-file', '--env'], afterDashDash: true },
  chroot: { leading: 1, values: ['--userspec', '--groups'] },
  unshare: {},
  nsenter: { values: ['-t', '--target'] },
  firejail: {},
  // Launchers that set CPU, scheduling, limits or personality, then run the command given after them.
  taskset: { leading: 1, notExecuting: ['-p', '--pid'] },
  setarch: { leading: 1, notExecuting: ['--list'] },
  linux32: {},
  linux64: {},
  prlimit: { notExecuting: ['-p', '--pid'] },
  chrt: { leading: 1, notExecuting: ['-p', '--pid', '-m', '--max'] },
  numactl: { values: ['-C', '-N', '-m', '-p', '-i', '--cpunodebind', '--physcpubind', '--membind', '--interleave', '--preferred'], notExecuting: ['-H', '--hardware', '-s', '--show'] },
  'systemd-run': { values: ['-u', '--unit', '-p', '--property', '--description', '--slice', '-E', '--setenv', '--uid', '--gid', '-M', '--machine', '--working-directory', '--on-calendar', '--on-active'] },
  faketime: { leading: 1 },
  catchsegv: {},
  valgrind: {},
  rlwrap: {},
  script: { values: ['-t', '--timing', '-T', '-I', '-O', '-B', '-E', '--echo'], scriptOptions: ['-c', '--command'] },
  // Launchers that set up a session, an identity or a display, then run the command given after them.
  fakeroot: { values: ['-l', '--lib', '--faked', '-i', '-s', '-b'] },
  fakechroot: { values: ['-l', '--lib', '-d', '--elfloader', '-s', '-e', '--environment', '-c', '--config-dir'] },
  'dbus-run-session': { values: ['--config-file', '--dbus-daemon'] },
  'dbus-launch': { values: ['--config-file'] },
  'xvfb-run': { values: ['-n', '--server-num', '-s', '--server-args', '-e', '--error-file', '-f', '--auth-file', '-p', '--xauth-protocol'] },
  tini: { values: ['-s', '-p', '-e'] },
  'dumb-init': { values: ['-r', '--rewrite'] },
  gosu: { leading: 1 },
  'su-exec': { leading: 1 },
  setpriv: { values: ['--reuid', '--regid', '--groups', '--inh-caps', '--ambient-caps', '--bounding-set', '--securebits', '--pdeathsig', '--selinux-label', '--apparmor-profile'] },
  runcon: { values: ['-u', '-r', '-t', '-l', '--user', '--role', '--type', '--range'] },
  'ssh-agent': { values: ['-a', '-E', '-P', '-t'] },
  // Multi-call binaries: `busybox rm -rf data` is rm.
  busybox: {},
  toybox: {},
};

/** `tool sub …` that runs the command given after it. */
const SUBCOMMAND_WRAPPERS: Record<string, Record<string, WrapperSpec>> = {
  npm: { exec: { values: ['-p', '--package', '-w', '--workspace'], scriptOptions: ['-c', '--call'] }, x: {} },
  pnpm: { exec: {}, dlx: {} },
  yarn: { exec: {}, dlx: {} },
  bun: { x: {} },
  bundle: { exec: {} },
  poetry: { run: {} },
  pipenv: { run: {} },
  pdm: { run: {} },
  hatch: { run: {} },
  uv: { run: { values: ['--with', '--python', '-p', '--project', '--directory', '--env-file', '--extra', '--group', '--package', '--index', '--from'] } },
  uvx: {},
  op: { run: { values: ['--env-file'], afterDashDash: true } },
  doppler: { run: { values: ['-p', '--project', '-c', '--config', '--token'], scriptOptions: ['--command'] } },
  infisical: { run: { values: ['--env', '--path', '--projectId', '--token'], scriptOptions: ['--command'] } },
  'aws-vault': { exec: { leading: 1, values: ['-d', '--duration', '--region'] } },
  direnv: { exec: { leading: 1 } },
  railway: { run: { values: ['-s', '--service', '-e', '--environment'] }, ssh: { values: ['-s', '--service', '-e', '--environment', '-p', '--project', '-i', '--identity-file'], afterDashDash: true } },
  heroku: { run: { values: ['-a', '--app', '-s', '--size', '-e', '--env', '-r', '--remote'] } },
  kubectl: {
    exec: { values: ['-n', '--namespace', '-c', '--container', '--context', '--kubeconfig', '-f', '--filename'], afterDashDash: true },
    // `kubectl debug node/x -it --image=busybox -- chroot /host rm -rf …` runs on the node, its root at /host.
    debug: { values: ['-n', '--namespace', '-c', '--container', '--context', '--kubeconfig', '-f', '--filename', '--image', '--target', '--profile', '--copy-to', '--env', '-e', '--custom'], afterDashDash: true },
  },
  oc: { exec: { values: ['-n', '--namespace', '-c', '--container'], afterDashDash: true } },
  docker: { exec: { values: ['-e', '--env', '-u', '--user', '-w', '--workdir', '--env-file', '--detach-keys'], leading: 1 } },
  podman: { exec: { values: ['-e', '--env', '-u', '--user', '-w', '--workdir', '--env-file', '--detach-keys'], leading: 1 } },
  mise: { exec: { afterDashDash: true }, x: { afterDashDash: true } },
  nix: { develop: { scriptOptions: ['-c', '--command'] } },
};

/** `docker compose exec SERVICE cmd…` (and docker-compose, podman compose): runs cmd inside the service. */
const COMPOSE_EXEC: WrapperSpec = { values: ['-e', '--env', '-u', '--user', '-w', '--workdir', '--index', '-v', '--volume', '-p', '--publish', '--name', '--entrypoint', '-l', '--label', '--env-file', '--pull', '--cap-add', '--cap-drop'], leading: 1 };
const COMPOSE_GLOBAL_VALUES = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--ansi', '--parallel', '--progress']);

/** Index just after `exec` in a compose invocation, or -1. */
function composeExec(inv: Invocation): number {
  const a = inv.args;
  let i = 0;
  if (inv.program === 'docker' || inv.program === 'podman' || inv.program === 'nerdctl') {
    if (a[0] !== 'compose') return -1;
    i = 1;
  } else if (inv.program !== 'docker-compose' && inv.program !== 'podman-compose') return -1;
  for (; i < a.length; i++) {
    if (COMPOSE_GLOBAL_VALUES.has(a[i])) {
      i++;
      continue;
    }
    if (a[i].startsWith('-')) continue;
    return a[i] === 'exec' || a[i] === 'run' ? i + 1 : -1;
  }
  return -1;
}

/** The commands pnpm, yarn and bun handle themselves; any other first word runs a package's program of that name. */
const OWN_COMMANDS: Record<string, ReadonlySet<string>> = {
  pnpm: new Set(['add', 'install', 'i', 'update', 'up', 'upgrade', 'remove', 'rm', 'uninstall', 'un', 'link', 'ln', 'unlink', 'import', 'rebuild', 'rb', 'prune', 'fetch', 'patch', 'patch-commit', 'patch-remove', 'audit', 'list', 'ls', 'll', 'la', 'outdated', 'why', 'licenses', 'run', 'run-script', 'test', 't', 'tst', 'exec', 'dlx', 'create', 'start', 'publish', 'pack', 'unpublish', 'deprecate', 'undeprecate', 'dist-tag', 'owner', 'env', 'setup', 'store', 'server', 'init', 'config', 'c', 'get', 'set', 'bin', 'root', 'doctor', 'help', 'version', 'self-update', 'recursive', 'multi', 'm', 'approve-builds', 'ignored-builds', 'cat-file', 'cat-index', 'find-hash', 'deploy', 'login', 'logout', 'adduser', 'whoami', 'view', 'info', 'show', 'search', 'stars', 'star', 'unstar', 'docs', 'home', 'bugs', 'repo', 'ping', 'token', 'team', 'access', 'org', 'profile', 'hook', 'sbom', 'dedupe', 'catalog', 'completion', 'cache']),
  yarn: new Set(['add', 'install', 'remove', 'upgrade', 'up', 'upgrade-interactive', 'run', 'exec', 'dlx', 'workspace', 'workspaces', 'info', 'why', 'config', 'cache', 'init', 'set', 'plugin', 'npm', 'pack', 'publish', 'version', 'constraints', 'dedupe', 'explain', 'link', 'unlink', 'node', 'patch', 'patch-commit', 'rebuild', 'stage', 'test', 'audit', 'global', 'bin', 'check', 'create', 'generate-lock-entry', 'help', 'import', 'licenses', 'list', 'login', 'logout', 'outdated', 'owner', 'policies', 'tag', 'team', 'unplug', 'autoclean', 'search', 'start']),
  bun: new Set(['run', 'test', 'x', 'repl', 'exec', 'install', 'i', 'add', 'a', 'remove', 'rm', 'update', 'outdated', 'audit', 'link', 'unlink', 'publish', 'patch', 'pm', 'info', 'build', 'init', 'create', 'c', 'upgrade', 'help', 'why']),
};

/** Runners whose first word is a package spec (`wrangler@latest`, `@railway/cli`), not a program name. */
const PACKAGE_RUNNERS = new Set(['npx', 'bunx', 'npm', 'pnpm', 'yarn', 'uvx', 'bun']);
const PACKAGE_BINARIES: Record<string, string> = { '@railway/cli': 'railway', 'firebase-tools': 'firebase', 'netlify-cli': 'netlify', 'aws-cdk': 'cdk', '@cdktf/cli': 'cdktf', 'cdktf-cli': 'cdktf', '@pulumi/cli': 'pulumi', 'supabase': 'supabase', '@sentry/cli': 'sentry-cli' };

function packageBinary(spec: string): string {
  const name = spec.replace(/(.)@[^/@]*$/, '$1');
  return PACKAGE_BINARIES[name] ?? basename(name);
}

/** CLIs that run a shell command on a remote machine, and the option that carries it. */
const REMOTE_SCRIPT_OPTIONS: Record<string, { sub: string; options: string[] }> = {
  gcloud: { sub: 'ssh', options: ['--command'] },
  fly: { sub: 'ssh', options: ['-C', '--command'] },
  flyctl: { sub: 'ssh', options: ['-C', '--command'] },
  doctl: { sub: 'ssh', options: ['--ssh-command'] },
  az: { sub: 'run-command', options: ['--scripts'] },
};

/** Variables whose value the shell runs (PROMPT_COMMAND) or expands (PS1's `$(…)`) before every prompt. */
const PROMPT_VARS = /^(PROMPT_COMMAND|PS0|PS1|PS2|PS4|RPROMPT|RPS1|PROMPT|precmd_functions|preexec_functions)$/;
/** The script file a PowerShell or cmd command runs, and its language; undefined when it runs none. */
function windowsScript(inv: Invocation, site: Site | undefined): { word: string; kind: ShellKind } | undefined {
  const path = inv.path.replace(/^(["'])(.*)\1$/s, '$2');
  if (inv.dialect === 'powershell' && /\.psm?1$/i.test(path)) return { word: path, kind: 'powershell' };
  if (/\.(bat|cmd)$/i.test(path)) return { word: path, kind: 'cmd' };
  if (inv.dialect === 'powershell' && inv.program === 'Import-Module') {
    const name = inv.args.find((a, i) => !a.startsWith('-') && !/^-(Name|Global|Force|Prefix|Scope|Function|Cmdlet|Variable|Alias|ArgumentList|MinimumVersion|MaximumVersion|RequiredVersion)$/i.test(inv.args[i - 1] ?? '')) ?? inv.parsed().value('-Name');
    if (name && /\.psm?1$/i.test(name)) return { word: name, kind: 'powershell' };
  }
  // cmd runs `clean` as clean.bat or clean.cmd from the current folder before it looks on PATH.
  if (inv.dialect === 'cmd' && site?.readsFiles && /^[\w.-]+$/.test(path) && !/\.\w{1,4}$/.test(path)) {
    for (const ext of ['.bat', '.cmd']) {
      const abs = site.resolve(path + ext);
      if (abs !== undefined && site.isFile(abs)) return { word: path + ext, kind: 'cmd' };
    }
  }
  return undefined;
}

/** What moves a PowerShell or cmd line to another folder (their readers give the cmdlet's name, or cmd's own). */
const WINDOWS_CD = new Set(['set-location', 'push-location', 'cd', 'chdir', 'pushd']);
const DECLARES = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);

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
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox', 'rbash']);
const SHELL_VALUE_OPTIONS = ['-o', '+o', '-O', '+O', '--rcfile', '--init-file'];

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
/** A command's own assignments as the shell reads them: `A=1`, `A+=1` (appends), `a[2]=x` (an element). */
const COMMAND_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?(\+?)=(.*)$/s;

export function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  let b = i >= 0 ? p.slice(i + 1) : p;
  if (b.toLowerCase().endsWith('.exe')) b = b.slice(0, -4);
  return b;
}

class Expander implements ReaderHost {
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
  private runFiles(inv: Invocation, how: 'source' | 'shell' | 'path' | 'make' | 'package', word = '', kind: ShellKind = 'bash'): void {
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
        this.read(s.text, kind, inv.depth + 1, 'file', inv);
      } finally {
        this.file = outer;
      }
    }
  }

  /** What the launchers of launchers.ts need: scripts, words run as a command, fed text and files. */
  private readonly launcherHost: LauncherHost = {
    script: (src, inv) => this.script(src, inv.depth + 1, 'eval', inv),
    runWords: (inv, from) => {
      const words = inv.argWords.slice(from);
      if (!words.length) return;
      this.unwrap({
        ...inv,
        program: basename(words[0].text),
        path: words[0].text,
        args: words.slice(1).map((w) => w.text),
        argWords: words.slice(1),
        via: [...inv.via, inv.program],
        origin: 'wrapper',
        parent: inv,
        dynamicProgram: words[0].dynamic,
        depth: inv.depth + 1,
        parsed: argCache(words.slice(1).map((w) => w.text)),
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
    const reader: FileReader = { site, writtenBefore: (abs) => this.invocations.some((w) => w !== inv && touchedPaths(w).some((t) => site.resolve(t) === abs)) };
    const run = fileText(reader, word, why);
    for (const e of run.errors) this.error(e);
    return run.scripts[0]?.text;
  }

  /**
   * The text a command reads on standard input, when the line shows it: a heredoc or here-string, a file redirected
   * in (`bash -s < s.sh`), or the output of `echo`, `printf` or `cat FILE` piped in.
   */
  private fed(inv: Invocation): string | undefined {
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
      const i = fromSimpleCommand(c, inv.depth + 1, 'substitution', inv, this.site, this.file);
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
    if (kind === 'powershell') readPowerShell(src, this, depth, origin, parent);
    else readCmd(src, this, depth, origin, parent);
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

  private unwrap(inv: Invocation): void {
    for (let guard = 0; guard < 32; guard++) {
      inv = this.identified(inv);
      // `yarn wipe` runs package.json's wipe script when there is one (else a package's program of that name).
      if (PACKAGE_MANAGERS.has(inv.program)) this.runFiles(inv, 'package');
      const inner = this.innerOf(inv);
      if (!inner) break;
      inv = inner;
    }
    if (!this.add(inv)) return;
    this.nestedScripts(inv);
  }

  /** The command a wrapper runs, or null when inv is not a wrapper (or runs nothing). */
  private innerOf(inv: Invocation): Invocation | null {
    let spec = WRAPPERS[inv.program];
    let skip = 0;
    const run = spec ? null : containerRun(inv.program, inv.args);
    if (run) {
      // The image's entrypoint, when named, is the program; else the first word after the image.
      const words = run.entrypoint === undefined ? inv.argWords.slice(run.image + 1) : [inv.argWords[run.entrypoint], ...inv.argWords.slice(run.image + 1)];
      return this.inner(inv, words, {}, {});
    }
    if (!spec) {
      const compose = composeExec(inv);
      if (compose >= 0) {
        spec = COMPOSE_EXEC;
        skip = compose;
      } else {
        const sub = SUBCOMMAND_WRAPPERS[inv.program];
        const s = inv.args.find((a) => !a.startsWith('-'));
        const own = OWN_COMMANDS[inv.program];
        if (sub && s && sub[s]) {
          spec = sub[s];
          skip = inv.args.indexOf(s) + 1;
        } else if (own && s && !own.has(s) && inv.args.indexOf(s) === 0) {
          // `pnpm prisma migrate reset`: a word that is not the tool's own command runs a package's program.
          spec = {};
          skip = 0;
        } else return null;
      }
    }
    const args = inv.args;
    const env: Record<string, string> = {};
    let leading = spec.leading ?? 0;
    let sawDashDash = false;
    let i = skip;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        sawDashDash = true;
        i++;
        break;
      }
      if (spec.afterDashDash) continue;
      if (a.startsWith('-') && a.length > 1) {
        const name = a.includes('=') && a.startsWith('--') ? a.slice(0, a.indexOf('=')) : a;
        if (spec.notExecuting?.includes(name)) return null;
        // `-qc 'cmd'`: a cluster of short flags ending in the script option.
        const clustered = /^-[A-Za-z]{2,}$/.test(a) && spec.scriptOptions?.some((o) => o.length === 2 && a.endsWith(o[1]));
        // `-S"rm -rf x"` (the value attached to a short script option).
        const attached = !a.startsWith('--') && !clustered ? spec.scriptOptions?.find((o) => o.length === 2 && a.startsWith(o) && a.length > 2) : undefined;
        if (spec.scriptOptions?.includes(name) || clustered || attached) {
          const script = attached ? a.slice(2) : a.includes('=') && a.startsWith('--') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
          if (script !== undefined) this.script(script, inv.depth + 1, 'eval', inv);
          return null;
        }
        // A value option's value is the next word (a value attached, as in -n10 or --user=x, needs no skip).
        if (spec.values?.includes(name) && !a.includes('=')) i++;
        continue;
      }
      const m = spec.assignments ? ASSIGNMENT.exec(a) : null;
      if (m) {
        env[m[1]] = m[2];
        continue;
      }
      if (leading > 0) {
        leading--;
        continue;
      }
      break;
    }
    if (spec.afterDashDash && !sawDashDash) return null;
    if (i >= args.length) return null;
    return this.inner(inv, inv.argWords.slice(i), env, spec);
  }

  /** The invocation a wrapper runs: its words (program first), with the wrapper as parent. */
  private inner(inv: Invocation, words: Word[], env: Record<string, string>, spec: WrapperSpec): Invocation | null {
    const programWord = words[0];
    if (!programWord) return null;
    return {
      ...inv,
      program: PACKAGE_RUNNERS.has(inv.program) ? packageBinary(programWord.text) : basename(programWord.text),
      path: programWord.text,
      args: words.slice(1).map((w) => w.text),
      argWords: words.slice(1),
      env: { ...inv.env, ...env },
      via: [...inv.via, inv.program],
      parent: inv,
      dynamicProgram: programWord.dynamic,
      argsFromStdin: inv.argsFromStdin || !!spec.argsFromStdin,
      parsed: argCache(words.slice(1).map((w) => w.text)),
      readOnly: undefined,
    };
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
  private substitutedScript(inv: Invocation, word: Word, how: 'source' | 'shell'): boolean {
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

  /** Scripts an invocation carries: bash -c, heredocs fed to a shell, eval, ssh, watch, find -exec, su -c. */
  private nestedScripts(inv: Invocation): void {
    const p = inv.program;
    const depth = inv.depth + 1;
    if (inv.dialect && !inv.dynamicProgram) {
      const file = windowsScript(inv, this.site);
      if (file) return this.runFile(inv, file.word, file.kind);
    }
    if (isWindowsShell(p)) return readShellArgs(inv, this);
    readRunVars(inv, this.launcherHost);
    // A program run by its path: a shell script is read; a compiled program is judged by what it is.
    if (inv.path.includes('/') && !inv.dynamicProgram && !SHELLS.has(p)) this.runFiles(inv, 'path', inv.path);
    if ((p === '.' || p === 'source') && inv.argWords.length) {
      const first = inv.argWords[0].text === '--' ? inv.argWords[1] : inv.argWords[0];
      if (first && !this.substitutedScript(inv, first, 'source') && !first.dynamic) this.runFiles(inv, 'source', first.text);
      return;
    }
    if (p === 'make' || p === 'gmake') return this.runFiles(inv, 'make');
    if (readLauncher(inv, this.launcherHost)) return;
    if (p === 'coproc' && inv.args.length) {
      // `coproc cmd …` or `coproc NAME { …; }`: the command runs beside the shell, now.
      const named = /^[A-Za-z_]\w*$/.test(inv.args[0]) && (inv.args[1] === '{' || inv.args[1]?.startsWith('('));
      this.script(inv.text.replace(/^\s*coproc\s+/, '').replace(named ? /^[A-Za-z_]\w*\s+/ : /^/, '').replace(/^\{/, ''), depth, 'eval', inv);
      return;
    }
    if (SHELLS.has(p) || (inv.dynamicProgram && /^\$\{?(SHELL|BASH)\}?$/.test(inv.path))) {
      const args = p === 'busybox' && inv.args[0] === 'sh' ? inv.args.slice(1) : inv.args;
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (SHELL_VALUE_OPTIONS.includes(a)) {
          i++;
          continue;
        }
        if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a) || a === '--command' || (p === 'fish' && (a === '-c' || a.startsWith('--command=')))) {
          const script = a.startsWith('--command=') ? a.slice(10) : args[i + 1];
          if (script !== undefined) this.script(script, depth, 'shell-c', inv);
          // `xargs sh -c < cmds`: the script is the first word xargs reads.
          else if (inv.argsFromStdin) {
            const fed = this.fed(inv);
            if (fed !== undefined) this.script(fed.replace(/\0/g, ' '), depth, 'heredoc', inv);
          }
          return;
        }
        if ((!a.startsWith('-') || a === '-') && !a.startsWith('+')) {
          // Runs a script file (or its input, `<(…)`, /dev/stdin, `-`): what it holds is judged with the line.
          const word = inv.argWords[p === 'busybox' && inv.args[0] === 'sh' ? i + 1 : i];
          if (word && !this.substitutedScript(inv, word, 'shell') && !word.dynamic) this.runFiles(inv, 'shell', a);
          return;
        }
      }
      const fed = this.fed(inv);
      if (fed !== undefined) this.script(fed, depth, 'heredoc', inv);
      return;
    }
    if (p === 'psql' || p === 'sqlite3') {
      // `\! cmd` (psql) and `.shell cmd` / `.system cmd` (sqlite3) run cmd in a shell.
      for (const text of [...inv.args, inv.stdin ?? '']) {
        for (const line of text.split('\n')) {
          const m = /^\s*(?:\\!|\.shell\b|\.system\b)\s*(.+)$/.exec(line);
          if (m) this.script(m[1], depth, 'eval', inv);
        }
      }
      return;
    }
    const remote = REMOTE_SCRIPT_OPTIONS[p];
    if (remote && inv.args.includes(remote.sub)) {
      const a = inv.parsed({ values: remote.options });
      for (const script of a.values(...remote.options)) this.script(script, depth, 'remote', inv);
      return;
    }
    // Deferred execution: what an alias, a trap, a completion or a key binding will run later is judged now.
    if (p === 'alias') {
      for (const a of inv.args) {
        const m = /^[^=\s]+=(.*)$/s.exec(a);
        if (m && m[1].trim()) this.script(m[1], depth, 'eval', inv);
      }
      return;
    }
    if (p === 'trap') {
      const args = inv.args.filter((a) => a !== '--');
      if (args.length >= 2 && !['-p', '-l', '-'].includes(args[0]) && args[0].trim()) this.script(args[0], depth, 'eval', inv);
      return;
    }
    if (p === 'complete' || p === 'compgen') {
      const a = inv.parsed({ values: ['-C', '-F', '-A', '-G', '-W', '-X', '-P', '-S', '-o'] });
      for (const cmd of a.values('-C')) this.script(cmd, depth, 'eval', inv);
      return;
    }
    if (p === 'bind') {
      const a = inv.parsed({ values: ['-x', '-m', '-f', '-q', '-u', '-r'] });
      for (const b of a.values('-x')) {
        const m = /^\s*"(?:[^"\\]|\\.)*"\s*:\s*(.*)$/s.exec(b) ?? /^[^:]*:\s*(.*)$/s.exec(b);
        if (m && m[1].trim()) this.script(m[1].replace(/^(["'])(.*)\1$/s, '$2'), depth, 'eval', inv);
      }
      return;
    }
    for (const [name, value] of [...Object.entries(inv.env), ...(DECLARES.has(p) ? inv.args.map((a) => ASSIGNMENT.exec(a)).filter((m): m is RegExpExecArray => !!m).map((m) => [m[1], m[2]]) : [])]) {
      if (PROMPT_VARS.test(name) && value.trim()) this.script(name === 'PROMPT_COMMAND' || name === 'precmd_functions' || name === 'preexec_functions' ? value : `: ${value}`, depth, 'eval', inv);
    }
    if (p === 'eval' && !inv.argWords.some((w) => w.dynamic)) {
      this.script(inv.args.join(' '), depth, 'eval', inv);
      return;
    }
    if (p === 'su') {
      const a = inv.parsed({ values: ['-c', '--command', '-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'] });
      const script = a.value('-c', '--command');
      if (script !== undefined) this.script(script, depth, 'shell-c', inv);
      return;
    }
    if (p === 'ssh') {
      const a = inv.parsed({ values: ['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B'], stopAtPositional: true });
      const remote = [...a.positionals.slice(1), ...a.rest];
      if (remote.length) this.script(remote.join(' '), depth, 'remote', inv);
      return;
    }
    if (p === 'watch') {
      const a = inv.parsed({ values: ['-n', '--interval', '-d', '-q', '--equexit'], stopAtPositional: true });
      const cmd = [...a.positionals, ...a.rest];
      if (cmd.length) this.script(cmd.join(' '), depth, 'eval', inv);
      return;
    }
    if (p === 'find') {
      const args = inv.args;
      for (let i = 0; i < args.length; i++) {
        if (!['-exec', '-execdir', '-ok', '-okdir'].includes(args[i])) continue;
        let j = i + 1;
        while (j < args.length && args[j] !== ';' && args[j] !== '+') j++;
        const words = inv.argWords.slice(i + 1, j);
        if (words.length) {
          const execInv: Invocation = {
            ...inv,
            program: basename(words[0].text),
            path: words[0].text,
            args: words.slice(1).map((w) => w.text),
            argWords: words.slice(1),
            via: [...inv.via, 'find'],
            origin: 'find-exec',
            parent: inv,
            dynamicProgram: words[0].dynamic,
            depth,
            parsed: argCache(words.slice(1).map((w) => w.text)),
          };
          this.unwrap(execInv);
        }
        i = j;
      }
    }
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

function argCache(args: string[]): (spec?: ArgSpec) => Args {
  const cache = new Map<ArgSpec | undefined, Args>();
  return (spec?: ArgSpec) => {
    let a = cache.get(spec);
    if (!a) {
      a = parseArgs(args, spec);
      cache.set(spec, a);
    }
    return a;
  };
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
