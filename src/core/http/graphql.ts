// A small reader for GraphQL request documents: which operations a document holds, their top-level fields and the
// argument values those fields receive (with $variables resolved). Enough to see `mutation { volumeDelete(…) }`;
// type-system definitions and validation are out of scope.

export type OperationKind = 'query' | 'mutation' | 'subscription';

/** An argument value with variables resolved; a variable the request does not supply is left out. */
export type GraphqlValue = string | number | boolean | null | GraphqlValue[] | { [key: string]: GraphqlValue };

export interface GraphqlField {
  name: string;
  args: Record<string, GraphqlValue>;
}

export interface GraphqlOperation {
  kind: OperationKind;
  name?: string;
  /** The fields the operation selects at its top level, through fragments. */
  fields: GraphqlField[];
}

type Token = { kind: 'name' | 'punct' | 'string' | 'number'; text: string };

const PUNCTUATORS = '!$&()[]{}:=@|';
const NAME_START = /[_A-Za-z]/;
const NAME_PART = /[_0-9A-Za-z]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;
/** Fragments can spread into each other; this bounds the walk however they are nested. */
const MAX_FRAGMENT_DEPTH = 16;
/** Real requests nest values and selections a few levels deep; far deeper is hostile and would exhaust the stack. */
const MAX_NESTING = 64;

class GraphqlSyntaxError extends Error {}

function tokenise(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',' || c === '\ufeff') {
      i++;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
    } else if (src.startsWith('...', i)) {
      tokens.push({ kind: 'punct', text: '...' });
      i += 3;
    } else if (PUNCTUATORS.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_PART.test(src[j])) j++;
      tokens.push({ kind: 'name', text: src.slice(i, j) });
      i = j;
    } else if (src.startsWith('"""', i)) {
      const close = src.indexOf('"""', i + 3);
      if (close < 0) throw new GraphqlSyntaxError('unterminated block string');
      tokens.push({ kind: 'string', text: src.slice(i + 3, close).replace(/\\"""/g, '"""').trim() });
      i = close + 3;
    } else if (c === '"') {
      const r = readString(src, i + 1);
      tokens.push({ kind: 'string', text: r.text });
      i = r.end;
    } else {
      const m = NUMBER.exec(src.slice(i, i + 64));
      if (!m) throw new GraphqlSyntaxError(`unexpected ${c}`);
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

function readString(src: string, start: number): { text: string; end: number } {
  const escapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  let text = '';
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') return { text, end: i + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      text += c;
      i++;
      continue;
    }
    const n = src[i + 1];
    if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
      text += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (n !== undefined && n in escapes) {
      text += escapes[n];
      i += 2;
    } else {
      throw new GraphqlSyntaxError('bad escape');
    }
  }
  throw new GraphqlSyntaxError('unterminated string');
}

/** A selection before fragments are resolved. */
type Selection = { field: GraphqlField } | { spread: string } | { inline: Selection[] };

class Parser {
  private pos = 0;
  readonly operations: { kind: OperationKind; name?: string; selections: Selection[] }[] = [];
  readonly fragments = new Map<string, Selection[]>();
  private variables: Record<string, GraphqlValue> = {};
  private depth = 0;

  constructor(private readonly tokens: Token[], private readonly supplied: Record<string, unknown>) {}

  document(): void {
    if (!this.tokens.length) throw new GraphqlSyntaxError('empty document');
    while (this.pos < this.tokens.length) this.definition();
  }

  private peek(text?: string): Token | undefined {
    const t = this.tokens[this.pos];
    return text === undefined || t?.text === text ? t : undefined;
  }

  private take(text?: string): Token {
    const t = this.tokens[this.pos];
    if (!t || (text !== undefined && t.text !== text)) throw new GraphqlSyntaxError(`expected ${text ?? 'more'}`);
    this.pos++;
    return t;
  }

  private name(): string {
    const t = this.take();
    if (t.kind !== 'name') throw new GraphqlSyntaxError(`expected a name, got ${t.text}`);
    return t.text;
  }

  private definition(): void {
    const t = this.peek();
    if (t?.text === '{') {
      this.variables = {};
      this.operations.push({ kind: 'query', selections: this.selectionSet() });
      return;
    }
    if (t?.kind === 'name' && t.text === 'fragment') {
      this.pos++;
      const name = this.name();
      this.take('on');
      this.name();
      this.directives();
      this.fragments.set(name, this.selectionSet());
      return;
    }
    if (t?.kind !== 'name' || (t.text !== 'query' && t.text !== 'mutation' && t.text !== 'subscription')) throw new GraphqlSyntaxError('expected an operation');
    this.pos++;
    const name = this.peek()?.kind === 'name' ? this.name() : undefined;
    this.variables = {};
    if (this.peek('(')) this.variableDefinitions();
    this.directives();
    this.operations.push({ kind: t.text, name, selections: this.selectionSet() });
  }

  private variableDefinitions(): void {
    this.take('(');
    while (!this.peek(')')) {
      this.take('$');
      const name = this.name();
      this.take(':');
      this.type();
      const fallback = this.peek('=') ? (this.take('='), this.value(true)) : undefined;
      this.directives();
      const given = this.supplied[name];
      if (given !== undefined) this.variables[name] = given as GraphqlValue;
      else if (fallback !== undefined) this.variables[name] = fallback;
    }
    this.take(')');
  }

  private type(): void {
    if (this.peek('[')) {
      this.take('[');
      this.type();
      this.take(']');
    } else {
      this.name();
    }
    if (this.peek('!')) this.take('!');
  }

  private directives(): void {
    while (this.peek('@')) {
      this.take('@');
      this.name();
      if (this.peek('(')) this.args();
    }
  }

  private selectionSet(): Selection[] {
    this.enter();
    this.take('{');
    const out: Selection[] = [];
    while (!this.peek('}')) out.push(this.selection());
    this.take('}');
    if (!out.length) throw new GraphqlSyntaxError('empty selection set');
    this.depth--;
    return out;
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) throw new GraphqlSyntaxError('nested too deeply');
  }

  private selection(): Selection {
    if (this.peek('...')) {
      this.take('...');
      if (this.peek()?.kind === 'name' && this.peek()?.text !== 'on') {
        const spread = this.name();
        this.directives();
        return { spread };
      }
      if (this.peek('on')) {
        this.take('on');
        this.name();
      }
      this.directives();
      return { inline: this.selectionSet() };
    }
    let name = this.name();
    if (this.peek(':')) {
      this.take(':');
      name = this.name();
    }
    const args = this.peek('(') ? this.args() : {};
    this.directives();
    if (this.peek('{')) this.selectionSet();
    return { field: { name, args } };
  }

  private args(): Record<string, GraphqlValue> {
    this.take('(');
    const out: Record<string, GraphqlValue> = {};
    while (!this.peek(')')) {
      const key = this.name();
      this.take(':');
      const v = this.value(false);
      if (v !== undefined) out[key] = v;
    }
    this.take(')');
    return out;
  }

  /** A value; undefined for a variable the request does not supply. */
  private value(constant: boolean): GraphqlValue | undefined {
    this.enter();
    const v = this.valueInside(constant);
    this.depth--;
    return v;
  }

  private valueInside(constant: boolean): GraphqlValue | undefined {
    const t = this.take();
    if (t.kind === 'string') return t.text;
    if (t.kind === 'number') return Number(t.text);
    if (t.kind === 'name') return t.text === 'true' ? true : t.text === 'false' ? false : t.text === 'null' ? null : t.text;
    if (t.text === '$' && !constant) {
      const name = this.name();
      // Lenient on purpose: a server may reject an undeclared variable, but its value still says what is targeted.
      return this.variables[name] ?? (this.supplied[name] as GraphqlValue | undefined);
    }
    if (t.text === '[') {
      const items: GraphqlValue[] = [];
      while (!this.peek(']')) {
        const v = this.value(constant);
        if (v !== undefined) items.push(v);
      }
      this.take(']');
      return items;
    }
    if (t.text === '{') {
      const fields: Record<string, GraphqlValue> = {};
      while (!this.peek('}')) {
        const key = this.name();
        this.take(':');
        const v = this.value(constant);
        if (v !== undefined) fields[key] = v;
      }
      this.take('}');
      return fields;
    }
    throw new GraphqlSyntaxError(`unexpected ${t.text}`);
  }

  /** Top-level fields of a selection list, looking through inline fragments and named spreads. */
  fieldsOf(selections: Selection[], depth = 0): GraphqlField[] {
    if (depth > MAX_FRAGMENT_DEPTH) throw new GraphqlSyntaxError('fragments nested too deeply');
    return selections.flatMap((s) => {
      if ('field' in s) return [s.field];
      if ('inline' in s) return this.fieldsOf(s.inline, depth + 1);
      const fragment = this.fragments.get(s.spread);
      if (!fragment) throw new GraphqlSyntaxError(`unknown fragment ${s.spread}`);
      return this.fieldsOf(fragment, depth + 1);
    });
  }
}

/**
 * The operations in a GraphQL document, with `variables` substituted into argument values;
 * null when the text is not a GraphQL request document.
 */
export function readGraphql(document: string, variables: Record<string, unknown> = {}): GraphqlOperation[] | null {
  try {
    const p = new Parser(tokenise(document), variables);
    p.document();
    if (!p.operations.length) return null;
    return p.operations.map((o) => ({ kind: o.kind, ...(o.name ? { name: o.name } : {}), fields: p.fieldsOf(o.selections) }));
  } catch (e) {
    if (e instanceof GraphqlSyntaxError) return null;
    throw e;
  }
}

/** The words of a GraphQL name, lower-cased: `volumeInstanceBackupDelete` -> volume instance backup delete. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}
