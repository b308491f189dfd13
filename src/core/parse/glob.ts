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
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) return undefined;
      re += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`, flags);
  } catch {
    return undefined;
  }
}
