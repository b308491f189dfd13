// Lays down the shell side of the gate in a private folder: hooks for bash and zsh, BASH_ENV, and PATH shims.

import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { late } from '../core/late';
import { holds, placeFile, realDir, replaceWith } from './placeFile';
import { binAbsent, placeShims, placeShimsLater, type ShimKind } from './shims';
import { FILTERS_NOT_SHIMMED, NOT_SHIMMED } from '../core/unshimmed';


/** Interpreters, package managers, network clients and builtins: shell start-up files and tools run them constantly. */
const PLUMBING = /^(python|py$|pypy|node|npm|pnpm|yarn|bun|deno|cargo|gem|ruby|perl|php|source$|history$|init$|ssh|kill$|curl$|wget$|https?$|xhs?$|iex$|irm$|iwr$|invoke-|manage\.py$)/i;

/** Words that make a line worth asking about although no rule names them: wrappers, shells, the gate's own knobs. */
const ALSO_ASK = ['claude', 'codex', 'copilot', 'gemini', 'qwen', 'ln', 'sed', 'make', 'gmake', 'fc', 'r', 'hash', 'alias', 'complete', 'compgen', 'sudo', 'doas', 'env', 'xargs', 'find', 'eval', 'exec', 'source', '.', 'bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', 'ssh', 'watch', 'su', 'bind', 'trap', 'unset', 'unalias', 'enable', 'builtin', 'command', 'export', 'declare', 'typeset', 'readonly', 'alias', 'shopt', 'python', 'node', 'perl', 'ruby', 'php', 'deno', 'bun', 'npx', 'bunx', 'pnpm', 'yarn', 'npm', 'uv', 'uvx', 'poetry', 'bundle', 'rake', 'rails', 'xdotool', 'ydotool', 'wtype', 'osascript',
  // What makes a later plain line run something else (rules in src/core/rules/shell.ts): history characters, zsh's
  // spelling correction and file builtins (`mapfile[f]=…` writes f once zsh/mapfile is loaded), PWD set by hand.
  'histchars', 'HISTCHARS', 'setopt', 'unsetopt', 'mapfile', 'add-zle-hook-widget', 'correct', 'correctall', 'correct_all', 'options', 'sysopen', 'zf_rm', 'zf_rmdir', 'zf_mv', 'zf_ln', 'zf_chmod', 'zf_chown', 'zf_chgrp', 'PWD', 'set', 'fpath', 'FPATH', 'autoload',
  // Shells that never load the line gate and languages' prompts (shell.terminal-reader).
  'csh', 'tcsh', 'yash', 'posh', 'hush', 'oksh', 'pdksh', 'ksh93', 'busybox', 'irb', 'lua', 'luajit',
  // Programs that run a command elsewhere (src/core/parse/sessionRunners.ts), or code in a language read only for its
  // shell calls and deletes (foreignCode.ts), and wrappers whose command need not be a word the shells know: what
  // they run may not be written as a word on the line (cmake -E remove_directory DIR).
  'tmux', 'byobu', 'byobu-tmux', 'screen', 'byobu-screen', 'zellij', 'parallel', 'entr', 'sg', 'socat', 'ncat', 'nc', 'netcat', 'nc.traditional', 'cmake', 'ctest',
  'xterm', 'uxterm', 'urxvt', 'rxvt', 'rxvt-unicode', 'st', 'aterm', 'eterm', 'konsole', 'x-terminal-emulator', 'qterminal', 'terminology', 'cool_retro_term', 'sakura', 'roxterm', 'gnome-terminal', 'mate-terminal', 'xfce4-terminal', 'terminator', 'tilix', 'lxterminal', 'guake', 'kgx', 'ptyxis', 'alacritty', 'wezterm', 'kitty', 'kitten', 'foot',
  'lua5.1', 'lua5.2', 'lua5.3', 'lua5.4', 'Rscript', 'R', 'emacs', 'julia',
  'patch', 'gpatch', 'sshpass', 'dtach', 'abduco', 'flatpak-spawn', 'distrobox-host-exec', 'host-spawn', 'distrobox-enter', 'distrobox', 'toolbox', 'bwrap', 'proot'];

/**
 * Programs rules name only to see what they write (`echo … > .vscode/settings.json`): the shells catch those lines by
 * the paths they name instead (see lib.bash), so `echo` and `cat` cost nothing; copies of programs (`cp /bin/rm x`)
 * are caught by the `bin/` or `which` they name. `tee` is asked about: it writes over the files it names (fs.output-over).
 */
const NOT_A_REASON_TO_ASK = new Set(['echo', 'printf', 'cat', 'cp', 'install', '']);

const PLAIN_WORD = /^[A-Za-z0-9._+-]+$/;
/** A file name a shim can have: a plain word that is not `.` or `..`. */
const SHIM_NAME = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$/;

// The rule registry is the engine's: in the extension, dist/engine.js, which installing does not load when the build's
// list of the programs the rules name (dist/programs.json, esbuild.mjs) is given (InstallOptions.programs).
const rules = late((): typeof import('../core/rules') => require('../core/rules'));

/** Every program a rule names: what esbuild.mjs writes to dist/programs.json, and what is read without that file. */
export function guardedPrograms(): string[] {
  return [...new Set(rules().RULES.flatMap((r) => r.programs))].filter((p) => p !== '*').sort();
}

/** The file beside the bundles that holds guardedPrograms() as the build found it (esbuild.mjs writes it). */
export const PROGRAMS_FILE = 'programs.json';

/**
 * The programs the build found the rules name, from dist/programs.json, or why they cannot be read there: a list that
 * is not a non-empty array of names is not used (installing then reads the rules themselves).
 */
export function shippedPrograms(distDir: string): { programs: string[] } | { problem: string } {
  const file = join(distDir, PROGRAMS_FILE);
  try {
    const list: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (Array.isArray(list) && list.length && list.every((p) => typeof p === 'string' && p.length > 0)) return { programs: list as string[] };
    return { problem: `${file} does not hold a list of program names` };
  } catch (e) {
    return { problem: `${file} could not be read (${(e as Error).message})` };
  }
}

/**
 * Programs a shim stands in front of: everything a rule names, except those in src/core/unshimmed.ts, plumbing, and
 * names a file cannot have.
 */
export function shimmedPrograms(programs: readonly string[] = guardedPrograms()): string[] {
  return programs.filter((p) => !NOT_SHIMMED.has(p) && !FILTERS_NOT_SHIMMED.has(p) && !PLUMBING.test(p) && SHIM_NAME.test(p));
}

/** The words the shells look up, one hash lookup per word of a line (a regex recompiled per line cost ~20 ms). */
export function askWords(programs: readonly string[] = guardedPrograms()): string[] {
  return [...new Set([...programs, ...ALSO_ASK])].filter((w) => !NOT_A_REASON_TO_ASK.has(w) && PLAIN_WORD.test(w)).sort();
}

export type ShellMode = 'normal' | 'all';

/** Versions of the word lists this process wrote: two writes in one millisecond still get two versions. */
let written = 0;

/**
 * Writes what the shells read before each line: a version (a new one makes them reload), the mode, the words worth
 * asking about, and the guarded program names (what is held when the editor cannot be reached). Returns the version
 * in place. Lists already in place are kept only under KEEP, the version this process wrote last: a version found on
 * disk may be one a same-user process chose for lists of its own (the shells keep what they read under a version
 * while its marker is there), so a start always writes a new one.
 */
export function writePrefilter(dir: string, mode: ShellMode, programs: readonly string[] = guardedPrograms(), keep?: string): string {
  const guarded = programs.filter((w) => !NOT_A_REASON_TO_ASK.has(w) && PLAIN_WORD.test(w));
  const lists = `${mode}\n${askWords(programs).join(' ')}\n${guarded.join(' ')}\n`;
  // The shells test that current/<their version> exists (one stat) instead of opening the file before every line; a
  // removed marker makes them read the file again. Removing an old marker is what tells them the lists changed.
  const current = join(dir, 'current');
  if (keep !== undefined && prefilterHolds(dir, current, keep, lists)) return keep;
  const version = `${Date.now()}-${process.pid}-${++written}`;
  replaceWith(join(dir, 'prefilter'), `${version}\n${lists}`, 0o600);
  realDir(current, 0o700);
  replaceWith(join(current, version), '', 0o600);
  // Anything else in current/ goes, a folder included (one left there must not stop the gate from starting).
  for (const old of readdirSync(current)) if (old !== version) rmSync(join(current, old), { recursive: true, force: true });
  return version;
}

/**
 * Whether the word lists in place are LISTS under VERSION, with that version's marker alone in CURRENT: then the
 * shells running have them (what is in place is checked as placeFile checks a script).
 */
function prefilterHolds(dir: string, current: string, version: string, lists: string): boolean {
  if (!holds(join(dir, 'prefilter'), Buffer.from(`${version}\n${lists}`), 0o600)) return false;
  try {
    const st = lstatSync(current);
    if (!st.isDirectory() || (st.mode & 0o7777) !== 0o700) return false;
    const markers = readdirSync(current);
    return markers.length === 1 && markers[0] === version && holds(join(current, version), Buffer.alloc(0), 0o600);
  } catch {
    return false;
  }
}

export interface ShellGate {
  dir: string;
  binDir: string;
  /** What the PATH shims are: the native shim (Linux), or shim.sh run by bash; known once shimsPlaced resolves. */
  shim: ShimKind;
  /** Why the native shim was offered but not used (it did not run here); shim.sh stands in. */
  shimProblem?: string;
  /** Set while bin/ is laid down after installShellGate returned (InstallOptions.placeShimsLater): done, or why not. */
  shimsPlaced?: Promise<void>;
  /** The version of the word lists installShellGate wrote: what writePrefilter keeps when the lists are unchanged. */
  prefilterVersion: string;
  /** The programs the rules name, as installed: what writePrefilter is given again when the mode changes. */
  programs: readonly string[];
  bashEnv: string;
  zdotdir: string;
  interactiveBash: string;
}

/** bash's absolute path from PATH: the shim must never find it through the shims. */
function findBash(): string {
  for (const d of (process.env.PATH ?? '').split(':')) if (d && existsSync(join(d, 'bash'))) return join(d, 'bash');
  return '/bin/bash';
}

/**
 * The native shim built for this system (esbuild.mjs builds `dist/shim-linux-x64` and `dist/shim-linux-arm64` where
 * their compilers are found), or undefined: elsewhere the shims are shim.sh, run by bash. placeNativeShim still proves
 * it runs before it is used.
 */
export function nativeShimFile(distDir: string): string | undefined {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  const file = join(distDir, `shim-linux-${process.arch}`);
  return existsSync(file) ? file : undefined;
}

/**
 * bash's Enter key as a loadable builtin (esbuild.mjs builds `dist/bash-line-linux-x64.so`), or undefined. interactive.bash
 * loads it where it can (`enable -f`), and keeps its key macros where it cannot.
 */
export function bashLineFile(distDir: string): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const file = join(distDir, 'bash-line-linux-x64.so');
  return existsSync(file) ? file : undefined;
}

/**
 * What a package installs from its dist folder: the native shim and bash's Enter key, where built for this system, and
 * the build's list of the programs the rules name; `programsProblem` says why that list is not there (installing then
 * loads the rules).
 */
export function shippedInstallOptions(distDir: string): InstallOptions & { programsProblem?: string } {
  const listed = shippedPrograms(distDir);
  return { nativeShim: nativeShimFile(distDir), bashLine: bashLineFile(distDir), ...('programs' in listed ? { programs: listed.programs } : { programsProblem: listed.problem }) };
}

/** Copies bash's Enter key into the gate's folder through a rename (a shell that loaded the old file keeps it). */
function placeBashLine(dir: string, file: string | undefined): void {
  const target = join(dir, 'bash-line.so');
  if (!file) {
    rmSync(target, { force: true });
    return;
  }
  placeFile(target, readFileSync(file), 0o500);
}

export interface InstallOptions {
  /** The native shim to use (see nativeShimFile); without it, or when it does not run here, the shims are shim.sh. */
  nativeShim?: string;
  /** bash's Enter key (see bashLineFile); without it, Enter runs the line gate's shell function for every line. */
  bashLine?: string;
  /** The programs the rules name as the build found them (shippedPrograms): without them, the rules are loaded. */
  programs?: readonly string[];
  /**
   * Return before the PATH shims are placed, which happens from the next turn of the event loop on
   * (ShellGate.shimsPlaced): the gate's scripts are in place. Where bin/ is absent (the extension's first start), it
   * is laid down without blocking and appears complete a moment later (placeShimsLater); where it is there, it is
   * checked and mended in place.
   */
  placeShimsLater?: boolean;
}

/** Copies the scripts from scriptsDir into dir (0700) and links one shim per guarded program. */
export function installShellGate(dir: string, scriptsDir: string, mode: ShellMode = 'normal', options: InstallOptions = {}): ShellGate {
  realDir(dir, 0o700);
  for (const f of ['lib.bash', 'interactive.bash', 'bash-env.bash', 'interactive.zsh']) placeFile(join(dir, f), readFileSync(join(scriptsDir, f)), 0o600);
  rmSync(join(dir, 'shim-ask.bash'), { force: true });
  // shim.sh is one bash process (by absolute path, privileged mode): no `sh` before it, no second start to ask. It is
  // written even where the native shim is used: it is the fallback, and what other systems run.
  placeFile(join(dir, 'shim.sh'), Buffer.from(readFileSync(join(scriptsDir, 'shim.sh'), 'utf8').replace('@BASH@', findBash())), 0o755);
  placeBashLine(dir, options.bashLine);
  const zdotdir = join(dir, 'zdotdir');
  realDir(zdotdir, 0o700);
  for (const f of ['zshrc', 'zshenv', 'zprofile', 'zlogin']) placeFile(join(zdotdir, `.${f}`), readFileSync(join(scriptsDir, `${f}.zsh`)), 0o600);
  const binDir = join(dir, 'bin');
  const programs = options.programs ?? guardedPrograms();
  const shimmed = shimmedPrograms(programs);
  // The word lists before the shims: a start that cannot write them throws before any work is left scheduled.
  const prefilterVersion = writePrefilter(dir, mode, programs);
  const gate: ShellGate = { dir, binDir, shim: 'script', prefilterVersion, programs, bashEnv: join(dir, 'bash-env.bash'), zdotdir, interactiveBash: join(dir, 'interactive.bash') };
  // From the next turn on, once new terminals have the gate: a bin/ in place is checked and mended then (reading its
  // 269 links cost 8 ms of CPU in the editor's host, and a shell takes seconds to start; a same-user process can change
  // bin/ at any moment of a session anyway: the check repairs, the line gate guards), and where there is none (a first
  // start) it is laid down without blocking, not even for the native shim's proof (a fork of the whole host).
  if (options.placeShimsLater) {
    // Whether bin/ is there is read now: what appears under its name meanwhile is what a first start must not trust.
    const absent = binAbsent(binDir);
    gate.shimsPlaced = new Promise<void>((turn) => setImmediate(turn))
      .then(() => (absent ? placeShimsLater(dir, binDir, shimmed, options.nativeShim) : placeShims(dir, binDir, shimmed, options.nativeShim)))
      .then((placed) => void Object.assign(gate, placed));
  } else Object.assign(gate, placeShims(dir, binDir, shimmed, options.nativeShim));
  return gate;
}

/**
 * Lays the shell gate in GATE's folder down again from the rules when it was installed from a list of programs that
 * is not theirs (an old dist/programs.json beside a new engine): the new gate and what the list lacked, or undefined
 * when the lists agree. Loads the rules.
 */
export function reinstallIfStale(gate: ShellGate, scriptsDir: string, mode: ShellMode, options: InstallOptions): { gate: ShellGate; missing: string[]; extra: string[] } | undefined {
  const programs = guardedPrograms();
  if (programs.join(' ') === gate.programs.join(' ')) return undefined;
  const missing = programs.filter((p) => !gate.programs.includes(p));
  const extra = gate.programs.filter((p) => !programs.includes(p));
  return { gate: installShellGate(gate.dir, scriptsDir, mode, { ...options, programs, placeShimsLater: false }), missing, extra };
}

/**
 * The PROMPT_COMMAND piece that loads the bash hook once (in the shell that loaded it, the variable tested is read-only
 * and not exported) and ends each line's approval at the next prompt. It loads the hook in POSIX mode, where `.` is the
 * special builtin whatever function has its name (a child bash imports functions from its environment before this
 * runs); the hook leaves POSIX mode as it found it (__agent_guard_own, lib.bash).
 */
export const BASH_PROMPT_HOOK = '[[ ${__agent_guard_loaded@a} == r ]] || __agent_guard_posix_set=${POSIXLY_CORRECT-1} POSIXLY_CORRECT=y . "$AGENT_GUARD_DIR/interactive.bash"; [[ -z ${__agent_guard_ready-} ]] || __agent_guard_prompt; ';

/**
 * Registers a window's gate in the shell folder (ports/<port>: token, tier, what "unreachable" means). The shells,
 * shims and BASH_ENV ask only a port registered here with the token they carry, and read the unreachable policy from
 * here, not from their environment: a script that points AGENT_GUARD_PORT at a listener of its own, or sets the policy
 * to "warn", gets "held". Several windows share the folder, one file each.
 */
export function registerGatePort(dir: string, port: number, token: string, tier: string, unreachable: 'hold' | 'warn'): void {
  const ports = join(dir, 'ports');
  realDir(ports, 0o700);
  replaceWith(join(ports, String(port)), `${token}\n${tier}\n${unreachable}\n`, 0o600);
}

export function unregisterGatePort(dir: string, port: number): void {
  rmSync(join(dir, 'ports', String(port)), { force: true });
}
