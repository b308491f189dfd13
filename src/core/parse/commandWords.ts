// Readings of a command's words that the expander and what it sees through share: the program a path names, a
// NAME=VALUE word, and what a command prints when the text alone shows it.

import type { Invocation } from './invocation';

/** `NAME=VALUE`, as env and declare take it. */
export const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Program name without directory or .exe: `/usr/bin/rm` -> `rm`. */
export function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  let b = i >= 0 ? p.slice(i + 1) : p;
  if (b.toLowerCase().endsWith('.exe')) b = b.slice(0, -4);
  return b;
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
