// Finds `NAME = value` in the shapes config files write it, for a given set of variable names:
//   NAME=value   export NAME="value"   NAME: value   "NAME": "value"   name = 'value'   NAME := value   - NAME=value
// A name matches with any prefix (`PROD_RAILWAY_TOKEN`) and in any case (`railway_token` in TOML); a longer name
// (`RAILWAY_TOKEN_FILE`) does not. Comparisons (`==`), reads (`process.env.NAME`) and bare mentions are not
// assignments.

export interface Assignment {
  /** The known name that matched, upper-cased (`RAILWAY_TOKEN`). */
  key: string;
  /** The whole identifier as written (`PROD_RAILWAY_TOKEN`). */
  name: string;
  nameStart: number;
  valueStart: number;
  valueEnd: number;
}

const IDENT = /[A-Za-z0-9_]/;
const VALUE_STOP = new Set([' ', '\t', '\r', '\n', ',', ';', '}', ')', ']', '`']);
const QUOTES = new Set(['"', "'", '`']);

const patterns = new WeakMap<readonly string[], RegExp>();

export function findAssignments(text: string, names: readonly string[]): Assignment[] {
  const out: Assignment[] = [];
  let pattern = patterns.get(names);
  if (!pattern) patterns.set(names, (pattern = new RegExp(`(?<![A-Za-z0-9])(?:${names.map(escapeRegExp).join('|')})(?![A-Za-z0-9_])`, 'gi')));
  for (const m of text.matchAll(pattern)) {
    const keyStart = m.index!;
    let nameStart = keyStart;
    while (nameStart > 0 && IDENT.test(text[nameStart - 1])) nameStart--;
    if (text[nameStart - 1] === '.') continue; // process.env.NAME, os.environ.NAME: a read
    const value = valueAfter(text, nameStart, keyStart + m[0].length);
    if (value) out.push({ key: m[0].toUpperCase(), name: text.slice(nameStart, keyStart + m[0].length), nameStart, ...value });
  }
  return out;
}

function valueAfter(text: string, nameStart: number, nameEnd: number): { valueStart: number; valueEnd: number } | null {
  let p = nameEnd;
  const before = text[nameStart - 1];
  if (QUOTES.has(before) && text[p] === before) p++; // "NAME": "value"
  while (text[p] === ' ' || text[p] === '\t') p++;
  if (text.startsWith(':=', p) || text.startsWith('?=', p) || text.startsWith('=>', p)) p += 2;
  else if (text[p] === '=' && text[p + 1] !== '=' && text[p + 1] !== '~') p++;
  else if (text[p] === ':' && text[p + 1] !== ':') p++;
  else return null;
  while (text[p] === ' ' || text[p] === '\t') p++;
  const quote = QUOTES.has(text[p]) ? text[p] : undefined;
  if (quote) {
    const close = text.indexOf(quote, p + 1);
    const newline = text.indexOf('\n', p + 1);
    if (close === -1 || (newline !== -1 && newline < close)) return null;
    return { valueStart: p + 1, valueEnd: close };
  }
  const start = p;
  // Fly.io tokens are written `FlyV1 fm2_…,fm2_…`: the scheme word, a space, then comma-separated macaroons.
  const fly = text.startsWith('FlyV1 ', p);
  if (fly) p += 6;
  while (p < text.length && (!VALUE_STOP.has(text[p]) || (fly && text[p] === ',' && text.startsWith('fm', p + 1)))) p++;
  return p > start ? { valueStart: start, valueEnd: p } : null;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
