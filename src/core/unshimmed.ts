// The programs the PATH shims do not stand in front of: shared by the installer (which links a shim for every other
// program a rule names) and the rules that ask what a folder put ahead of the shims would shadow.

/**
 * Shells and interpreters (every script uses them) and plain file tools whose every use would cost a round trip.
 * `find` and `mv` are shimmed: scripts delete with them.
 */
export const NOT_SHIMMED: ReadonlySet<string> = new Set(['*', 'awk', 'gawk', 'mawk', 'nawk', 'sh', 'bash', 'zsh', 'dash', 'fish', 'ksh', 'python', 'python3', 'python2', 'node', 'perl', 'ruby', 'php', 'deno', 'bun', 'env', 'sudo', 'eval', 'xargs', 'cat', 'echo', 'printf', 'dd', 'sed', 'tee', 'cp', 'ln', 'install', 'zmodload', 'autoload']);

/** Filters scripts pipe through all the time: rules name them only for what they write over (`sort -o f`, `base64 -d > f`). */
export const FILTERS_NOT_SHIMMED: ReadonlySet<string> = new Set(['sort', 'base64', 'base32', 'basenc', 'xxd', 'uudecode', 'gunzip', 'zcat', 'bzcat', 'xzcat', 'unxz', 'bunzip2', 'zstdcat']);

/** Whether no shim stands for a program of this file name (`python3.11` and `nodejs` as their interpreters). */
export function unshimmed(name: string): boolean {
  const base = name.replace(/^(python|perl|ruby|php)[\d.]*$/, '$1').replace(/^nodejs$/, 'node');
  return NOT_SHIMMED.has(base) || FILTERS_NOT_SHIMMED.has(base);
}
