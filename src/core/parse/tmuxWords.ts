// A tmux command string (a configuration line, a hook, if-shell's commands) as tmux's own parser splits it, written
// back in shell quoting: tmux decodes escapes outside single quotes (`"\162m"` is `rm`, `\e`, `\u0072`), so reading
// the string with a shell's quoting would judge words tmux never runs.

import { shellQuote } from './shellQuote';

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The escape after a backslash at I in TEXT: the character it stands for and where the text goes on. */
function escape(text: string, i: number): { ch: string; next: number } {
  const c = text[i];
  if (c === undefined) return { ch: '', next: i };
  const octal = /^[0-3][0-7]{2}/.exec(text.slice(i));
  if (octal) return { ch: String.fromCharCode(parseInt(octal[0], 8)), next: i + 3 };
  const uni = c === 'u' ? /^u([0-9A-Fa-f]{4})/.exec(text.slice(i)) : c === 'U' ? /^U([0-9A-Fa-f]{8})/.exec(text.slice(i)) : null;
  if (uni) return { ch: String.fromCodePoint(Math.min(parseInt(uni[1], 16), 0x10ffff)), next: i + uni[0].length };
  return { ch: SIMPLE_ESCAPES[c] ?? c, next: i + 1 };
}

/**
 * TEXT split as tmux does, each word in shell quoting: a `{ … }` block is one word, `;` and a newline end a command
 * (written `\;`, as tmux's command line takes it), `$NAME` stays a variable the shell sees, a `#` starting a word a
 * comment.
 */
export function tmuxAsShell(text: string): string {
  const out: string[] = [];
  let word = '';
  let started = false;
  const end = () => {
    if (started) out.push(word);
    word = '';
    started = false;
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      end();
      i++;
    } else if (c === '\n' || (c === ';' && !started)) {
      end();
      out.push('\\;');
      i++;
    } else if (c === ';' && (text[i + 1] === undefined || /\s/.test(text[i + 1]))) {
      end();
      out.push('\\;');
      i++;
    } else if (c === '#' && !started) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '{' && !started) {
      // A block: one word, its text up to the matching brace (quotes inside kept as written).
      let depth = 0;
      let k = i;
      for (; k < text.length; k++) {
        if (text[k] === '{') depth++;
        else if (text[k] === '}' && --depth === 0) break;
      }
      out.push(shellQuote(text.slice(i + 1, k)));
      i = k + 1;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      word += shellQuote(text.slice(i + 1, close < 0 ? text.length : close));
      started = true;
      i = close < 0 ? text.length : close + 1;
    } else if (c === '"') {
      started = true;
      for (i++; i < text.length && text[i] !== '"'; ) i = piece(text, i, true);
      i++;
    } else {
      started = true;
      i = piece(text, i, false);
    }
  }
  end();
  return out.join(' ');

  /** One character (an escape, a variable) of a word at I, added to it; where the text goes on. */
  function piece(s: string, i: number, quoted: boolean): number {
    const c = s[i];
    if (c === '\\') {
      const e = escape(s, i + 1);
      word += shellQuote(e.ch);
      return e.next;
    }
    const v = c === '$' ? /^\$(\{\w+\}|\w+)/.exec(s.slice(i)) : null;
    if (v) {
      word += `"${v[0].startsWith('${') ? v[0] : `\${${v[1]}}`}"`;
      return i + v[0].length;
    }
    if (c === '~' && !quoted && word === '') {
      word += '~';
      return i + 1;
    }
    word += shellQuote(c);
    return i + 1;
  }
}
