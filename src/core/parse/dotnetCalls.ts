// .NET method calls in a PowerShell expression (`[IO.File]::Delete('x')`, `$dir.Delete($true)`), with their literal
// arguments.

interface MethodCall {
  owner: string;
  method: string;
  /** Each argument's static value (quotes removed; `$true`, `$null`… as written), or null when only known at run time. */
  args: (string | null)[];
  raw: string[];
}

/** `[Type]::Method(…)` and `.Method(…)` calls in an expression, with their arguments when they are literals. */
export function methodCalls(text: string): MethodCall[] {
  const out: MethodCall[] = [];
  const re = /(\[[\w.]+\]\s*::|\.)\s*(\w+)\s*\(/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let i = re.lastIndex;
    let depth = 1;
    let quote = '';
    const raw: string[] = [];
    let cur = '';
    for (; i < text.length && depth > 0; i++) {
      const ch = text[i];
      if (quote) {
        if (ch === quote) quote = '';
        cur += ch;
        continue;
      }
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) break;
      } else if (ch === ',' && depth === 1) {
        raw.push(cur.trim());
        cur = '';
        continue;
      }
      cur += ch;
    }
    if (cur.trim()) raw.push(cur.trim());
    out.push({ owner: m[1].replace(/\s+/g, ''), method: m[2], args: raw.map(literalValue), raw });
  }
  return out;
}

function literalValue(raw: string): string | null {
  const single = /^'((?:[^']|'')*)'$/s.exec(raw);
  if (single) return single[1].replace(/''/g, "'");
  const double = /^"([^"`$]*)"$/s.exec(raw);
  if (double) return double[1];
  if (/^\$(true|false|null)$/i.test(raw) || /^@\(\s*\)$/.test(raw) || /^\d+$/.test(raw)) return raw.replace(/\s+/g, '');
  return null;
}
