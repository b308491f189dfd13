// Code in text the shell leaves alone now and may run later: a subscript's substitution that arithmetic or a
// name-taking builtin runs when it reads the value, and zsh's glob qualifiers. The lexer judges it where the text is
// written (a quoted word, a quoted here-document), and the line's variables where a value is put together.

import { scanExpansions } from './shellLexer';

/**
 * Code in text the shell leaves alone now and may run when a value holding it is read later. A subscript with a
 * substitution (`a[$(cmd)]`, `` a[`cmd`] ``, `a[${z:=$(cmd)}]`): bash runs it wherever arithmetic reads the value
 * (`y='a[$(cmd)]'; echo $((y))`, `((y))`, `let`, `[[ y -eq 0 ]]`, `declare -i`, `${s:y}`, `a[y]=1`) or a builtin takes
 * it as a name (`test -v "$y"`, `${!y}`, `printf -v "$y"`), and zsh does too once the array is set. And zsh's glob
 * qualifier `(e:cmd:)`, run wherever the value is globbed (`${~y}`, `setopt globsubst`).
 */
export function laterCode(text: string): string[] {
  const out: string[] = [];
  // A subscript whose substitution comes before its `]` (not `a[i]` then `$(cmd)` elsewhere in a message).
  for (const m of text.matchAll(/(?<!\w)[A-Za-z_]\w{0,63}\s?\[([^\]]{0,256}?)(\$\(|`|\$\{)/g)) {
    if (out.length < 16) out.push(...scanExpansions(text.slice(m.index + m[0].length - m[2].length)).slice(0, 1));
  }
  out.push(...qualifierCode(text));
  return out;
}

/**
 * The code of zsh glob qualifiers in TEXT: `*(e:cmd:)`, `*(.e{cmd})`, `*(De'cmd')`, `data(/e^cmd^)` — a list
 * glued to a pattern, `e` or `+` (`+cmd` names a function to run) with the code between any two equal marks or a pair.
 */
export function qualifierCode(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[^\s(]\([-./@=p*%^rwxAIERWXsStfdlNDMTLamchouUGYn0-9,]{0,40}(?:[eE](?:([^\w\s()[{<])([^\n]{1,512}?)\1|\{([^\n]{1,512}?)\}|\[([^\n]{1,512}?)\]|<([^\n]{1,512}?)>)|\+(\w{1,64}))[^()]{0,64}\)/g)) {
    // Quotes round the code (`e:'cmd':`) and braces (`e'{cmd}'`) are zsh's, not the command's.
    out.push((m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6]).replace(/^(['"])(.*)\1$/s, '$2').replace(/^\{(.*)\}$/s, '$1'));
  }
  return out;
}
