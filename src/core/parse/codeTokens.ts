// Inline interpreter code -> tokens: names, string literals (with whether they are built at run time), shell
// commands in backquotes, punctuation. Tokenised, never run.

/** `vim` is Vim script's expressions (`call delete('x', 'rf')`). */
export type Language = 'python' | 'js' | 'perl' | 'ruby' | 'php' | 'vim';

export type Token = { kind: 'name' | 'string' | 'shell' | 'punct'; text: string; dynamic?: boolean };

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };
const PY_STRING_PREFIX = /^(r|b|u|f|rb|br|fr|rf)$/i;

/** Reads a quoted string from `start` (the opening quote); returns its text and the index after it. */
function readQuoted(src: string, start: number, close: string, open = close): { text: string; end: number } {
  let depth = 1;
  let text = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1];
      text += n === 'n' ? '\n' : n === 't' ? '\t' : n === close || n === '\\' || n === open ? n : c + n;
      i += 2;
      continue;
    }
    if (c === open && open !== close) depth++;
    else if (c === close && --depth === 0) return { text, end: i + 1 };
    text += c;
    i++;
  }
  return { text, end: src.length };
}

/** Splits interpreter code into names, strings, shell-command literals and punctuation; comments dropped. */
export function tokenise(src: string, lang: Language): Token[] {
  const out: Token[] = [];
  const hashComments = lang !== 'js' && lang !== 'vim';
  const slashComments = lang === 'js' || lang === 'php';
  const interpolates = (text: string, quote: string) =>
    lang === 'python' || lang === 'vim' ? false : lang === 'js' ? quote === '`' && text.includes('${') : quote !== "'" && (lang === 'ruby' ? text.includes('#{') : /[$@][A-Za-z_{]/.test(text));
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if ((hashComments && c === '#') || (slashComments && src.startsWith('//', i))) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (slashComments && src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      i = close < 0 ? src.length : close + 2;
    } else if (lang === 'python' && (src.startsWith('"""', i) || src.startsWith("'''", i))) {
      const q = src.slice(i, i + 3);
      const close = src.indexOf(q, i + 3);
      out.push({ kind: 'string', text: src.slice(i + 3, close < 0 ? src.length : close) });
      i = close < 0 ? src.length : close + 3;
    } else if (c === '"' || c === "'" || c === '`') {
      const r = readQuoted(src, i, c);
      const shell = c === '`' && lang !== 'js' && lang !== 'python';
      out.push({ kind: shell ? 'shell' : 'string', text: r.text, dynamic: interpolates(r.text, c) });
      i = r.end;
    } else if (/[A-Za-z_$@%]/.test(c) && !(c === '%' && lang !== 'ruby' && lang !== 'perl')) {
      let j = i + 1;
      while (j < src.length && /[\w$]/.test(src[j])) j++;
      const word = src.slice(i, j);
      const next = src[j];
      if (lang === 'python' && PY_STRING_PREFIX.test(word) && (next === '"' || next === "'")) {
        const triple = src.startsWith(next.repeat(3), j);
        const close = triple ? src.indexOf(next.repeat(3), j + 3) : -1;
        const r = triple ? { text: src.slice(j + 3, close < 0 ? src.length : close), end: close < 0 ? src.length : close + 3 } : readQuoted(src, j, next);
        out.push({ kind: 'string', text: r.text, dynamic: /f/i.test(word) && r.text.includes('{') });
        i = r.end;
      } else if ((lang === 'perl' && /^(q|qq|qx)$/.test(word)) || (lang === 'ruby' && /^%[qQx]?$/.test(word))) {
        // q{…} qq{…} qx{…} in Perl, %q(…) %Q(…) %x(…) in Ruby.
        const open = src[j];
        if (open === undefined || /[\w\s]/.test(open)) {
          out.push({ kind: 'name', text: word });
          i = j;
          continue;
        }
        const r = readQuoted(src, j, CLOSERS[open] ?? open, open);
        const shell = word === 'qx' || word === '%x';
        out.push({ kind: shell ? 'shell' : 'string', text: r.text, dynamic: word !== 'q' && word !== '%q' && interpolates(r.text, '"') });
        i = r.end;
      } else {
        out.push({ kind: 'name', text: word });
        i = j;
      }
    } else {
      const two = src.slice(i, i + 2);
      const op = two === '::' || two === '->' || two === '=>' || two === '==' ? two : c;
      out.push({ kind: 'punct', text: op });
      i += op.length;
    }
  }
  return memberSubscripts(out);
}

/** `require('fs')['rmSync']`, `os['remove']`: a subscript by one plain string is the member of that name. */
function memberSubscripts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const s = tokens[i + 1];
    const prev = out[out.length - 1];
    if (t.kind === 'punct' && t.text === '[' && s?.kind === 'string' && !s.dynamic && /^[A-Za-z_$][\w$]*$/.test(s.text) && tokens[i + 2]?.text === ']' && prev && (prev.kind === 'name' || prev.text === ')')) {
      out.push({ kind: 'punct', text: '.' }, { kind: 'name', text: s.text });
      i += 2;
    } else out.push(t);
  }
  return out;
}

/** The text of an argument that is one plain string literal (adjacent literals concatenate). */
export function literal(arg: Token[] | undefined): string | undefined {
  if (!arg?.length || !arg.every((t) => t.kind === 'string' && !t.dynamic)) return undefined;
  return arg.map((t) => t.text).join('');
}
