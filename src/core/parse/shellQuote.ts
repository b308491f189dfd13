// One word written so that bash and zsh read it back as exactly that word: the readers that build a command line for
// the engine to judge (a tmux binding's words, the files a patch names, an `rm` of a path a script deletes) and the
// hooks' stand-in command lines (src/cli/hooks) all quote with it.

/** Words read as something else at a command's start: bash's and zsh's reserved words. */
const RESERVED = new Set(['!', 'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', 'coproc', 'repeat', 'foreach', 'end', 'nocorrect', 'noglob', '[[', ']]', '{', '}']);

/**
 * W as one shell word: as written when it is only letters, digits and `_@%+=:,./-` (not led by `=`, which zsh makes
 * a program's path, nor a `NAME=` that would be an assignment, nor a reserved word), else in single quotes.
 */
export function shellQuote(w: string): string {
  const plain = /^[\w@%+:,./-][\w@%+=:,./-]*$/.test(w) && !/^[A-Za-z_]\w*\+?=/.test(w) && !RESERVED.has(w);
  return plain ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
