// File-name patterns as the shells read them, for a program word that is a pattern (`/bin/r?`, `@(rm)`, `r(m|x)`).

/**
 * A regular expression for one path component's pattern: `*`, `?`, `[…]`, bash's extglob `@(a|b)` `+(…)` `*(…)`
 * `?(…)` `!(…)` and zsh's `(a|b)` and `(#i)`; undefined when it cannot be read.
 */
export function globRegExp(pattern: string): RegExp | undefined {
  let re = '';
  let flags = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith('(#i)', i)) {
      flags = 'i';
      i += 3;
    } else if ('@!+*?'.includes(c) && pattern[i + 1] === '(') {
      const close = pattern.indexOf(')', i + 2);
      if (close < 0) return undefined;
      const alts = pattern.slice(i + 2, close).split('|').map((a) => globRegExp(a)?.source.slice(1, -1) ?? '').join('|');
      re += c === '@' ? `(?:${alts})` : c === '+' ? `(?:${alts})+` : c === '*' ? `(?:${alts})*` : c === '?' ? `(?:${alts})?` : `(?!(?:${alts})$).*`;
      i = close;
    } else if (c === '(') {
      const close = pattern.indexOf(')', i + 1);
      if (close < 0) return undefined;
      re += `(?:${pattern.slice(i + 1, close).split('|').map((a) => globRegExp(a)?.source.slice(1, -1) ?? '').join('|')})`;
      i = close;
    } else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const bracket = bracketRegExp(pattern, i);
      if (!bracket) return undefined;
      re += bracket.src;
      i = bracket.end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`, flags);
  } catch {
    return undefined;
  }
}

/**
 * The bracket expression at `open` (`[abc]`, `[!a-z]`, `[]x]`, `[[:alpha:]]`) as a regular expression's class, and
 * the index of its closing `]`; undefined when it is not closed. A POSIX class or collating element (`[[:lower:]]`,
 * `[[.s.]]`, `[[=s=]]`) makes it any one character but `/`.
 */
export function bracketRegExp(pattern: string, open: number): { src: string; end: number } | undefined {
  let i = open + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '[' && /[:.=]/.test(pattern[i + 1] ?? '')) {
      const close = pattern.indexOf(`${pattern[i + 1]}]`, i + 2);
      if (close < 0) return undefined;
      i = close + 1;
    } else if (pattern[i] === ']') break;
  }
  if (i >= pattern.length) return undefined;
  const body = pattern.slice(open + 1, i);
  if (/\[[:.=]/.test(body)) return { src: '[^/]', end: i };
  return { src: `[${body.replace(/^[!^]/, '^').replace(/\\/g, '\\\\').replace(/^(\^?)\]/, '$1\\]').replace(/\[/g, '\\[')}]`, end: i };
}
