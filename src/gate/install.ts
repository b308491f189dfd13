// Lays down the shell side of the gate in a private folder: hooks for bash and zsh, BASH_ENV, and PATH shims.

import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../core/rules';

/** Programs a shim stands in front of: everything a rule names, except shells and interpreters (every script uses them). */
const NOT_SHIMMED = new Set(['*', 'sh', 'bash', 'zsh', 'dash', 'fish', 'ksh', 'python', 'python3', 'python2', 'node', 'perl', 'ruby', 'php', 'deno', 'bun', 'env', 'sudo', 'eval', 'find', 'xargs', 'cat', 'echo', 'mv', 'dd']);

/** Words that make a line worth asking about even though no rule names them: wrappers, shells, the gate itself. */
const ALSO_ASK = ['sudo', 'doas', 'env', 'xargs', 'find', 'eval', 'exec', 'source', 'bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', 'ssh', 'watch', 'su', 'bind', 'trap', 'unset', 'unalias', 'enable', 'builtin', 'command', 'export', 'declare', 'typeset', 'readonly', 'alias', 'set', 'shopt', 'PATH', 'BASH_ENV', 'PROMPT_COMMAND', 'ZDOTDIR', 'AGENT_GUARD[A-Z_]*', 'python[0-9.]*', 'node', 'perl', 'ruby', 'php', 'deno', 'bun', 'npx', 'bunx', 'pnpm', 'yarn', 'npm', 'uv', 'uvx', 'poetry', 'bundle', 'rake', 'rails', 'xdotool', 'ydotool', 'wtype', 'osascript'];

export function guardedPrograms(): string[] {
  return [...new Set(RULES.flatMap((r) => r.programs))].filter((p) => p !== '*').sort();
}

/** Interpreters, package managers, network clients and builtins: shell start-up files and tools run them constantly. */
const PLUMBING = /^(python|py$|pypy|node|npm|pnpm|yarn|bun|deno|cargo|gem|ruby|perl|php|source$|history$|init$|ssh|kill$|curl$|wget$|https?$|xhs?$|iex$|irm$|iwr$|invoke-|manage\.py$)/i;

export function shimmedPrograms(): string[] {
  return guardedPrograms().filter((p) => !NOT_SHIMMED.has(p) && !PLUMBING.test(p) && /^[A-Za-z0-9._+-]+$/.test(p));
}

function escapeEre(word: string): string {
  return word.replace(/[.+^${}()|\\]/g, (c) => '\\' + c);
}

/** The prefilter the shells apply before asking: any guarded word, any expansion, or a device path. */
function wordAlternatives(words: readonly string[]): string {
  return `(^|[^[:alnum:]_-])(${words.join('|')})([^[:alnum:]_-]|$)`;
}

/** Names of programs a rule guards: what a held-if-unreachable decision looks for. */
export function wordsRegex(programs = guardedPrograms()): string {
  return wordAlternatives(programs.map(escapeEre));
}

export function prefilterRegex(programs = guardedPrograms()): string {
  return `${wordAlternatives([...programs.map(escapeEre), ...ALSO_ASK])}|[$\`]|/dev/`;
}

export type ShellMode = 'normal' | 'all';

/** Writes the mode and prefilter the shells read before each line; a new version makes them reload it. */
export function writePrefilter(dir: string, mode: ShellMode): void {
  const tmp = join(dir, `.prefilter.${process.pid}`);
  writeFileSync(tmp, `${Date.now()}-${process.pid}\n${mode}\n${prefilterRegex()}\n${wordsRegex()}\n`, { mode: 0o600 });
  renameSync(tmp, join(dir, 'prefilter'));
}

export interface ShellGate {
  dir: string;
  binDir: string;
  bashEnv: string;
  zdotdir: string;
  interactiveBash: string;
}

/** Copies the scripts from scriptsDir into dir (0700) and links one shim per guarded program. */
export function installShellGate(dir: string, scriptsDir: string, mode: ShellMode = 'normal'): ShellGate {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const f of ['lib.bash', 'interactive.bash', 'bash-env.bash', 'interactive.zsh', 'shim.bash']) {
    copyFileSync(join(scriptsDir, f), join(dir, f));
  }
  chmodSync(join(dir, 'shim.bash'), 0o755);
  const zdotdir = join(dir, 'zdotdir');
  mkdirSync(zdotdir, { recursive: true, mode: 0o700 });
  for (const f of ['zshrc', 'zshenv', 'zprofile', 'zlogin']) copyFileSync(join(scriptsDir, `${f}.zsh`), join(zdotdir, `.${f}`));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true, mode: 0o700 });
  const wanted = new Set(shimmedPrograms());
  for (const existing of readdirSync(binDir)) if (!wanted.has(existing)) unlinkSync(join(binDir, existing));
  for (const p of wanted) {
    const link = join(binDir, p);
    if (!existsSync(link)) symlinkSync(join(dir, 'shim.bash'), link);
  }
  writePrefilter(dir, mode);
  return { dir, binDir, bashEnv: join(dir, 'bash-env.bash'), zdotdir, interactiveBash: join(dir, 'interactive.bash') };
}

/** The PROMPT_COMMAND piece that loads the bash hook once and ends each approved line's ticket. */
export const BASH_PROMPT_HOOK = '[[ -n ${__agent_guard_loaded-} ]] || . "$AGENT_GUARD_DIR/interactive.bash"; declare -F __agent_guard_prompt >/dev/null && __agent_guard_prompt; ';
