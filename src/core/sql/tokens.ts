// SQL text -> statements of tokens. The tokenizer reads quotes, dollar quotes and comments the way the server does,
// so `'DROP TABLE x'` inside a string or `-- drop table` in a comment is no statement, and a `DELETE` hidden after a
// `;` on the same line is one. What each statement would destroy is read in statements.ts.

/**
 * ansi: PostgreSQL, SQLite, DuckDB, SQL Server, CockroachDB (`"ident"`, `''` escapes, `$$` bodies, `[ident]`).
 * mysql: MySQL, MariaDB, BigQuery, ClickHouse (backslash escapes, `"string"`, `#` comments).
 * javascript: the mongo shell (three string quotes with backslash escapes, `//` comments, no `--` comments).
 */
export type Dialect = 'ansi' | 'mysql' | 'javascript';

export interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'meta';
  /** Identifiers and strings without their quotes; a meta line without its leading `\` or `.`. */
  value: string;
  /** value in upper case, for keyword comparison. */
  upper: string;
  /** Whitespace or a comment came before it (so `a.b` is one name, `a . b` is not). */
  spaced: boolean;
  /** First token on its line. */
  lineStart: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits SQL text into statements of tokens. Comments are dropped; `;` and a lone `GO` line end a statement. */
export function splitStatements(sql: string, dialect: Dialect = 'ansi'): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let i = 0;
  let spaced = true;
  let lineStart = true;
  const n = sql.length;
  const push = (kind: Token['kind'], value: string) => {
    current.push({ kind, value, upper: kind === 'word' ? value.toUpperCase() : value, spaced, lineStart });
    spaced = false;
    lineStart = false;
  };
  const endStatement = () => {
    if (current.length) statements.push(current);
    current = [];
  };
  const skipToLineEnd = () => {
    while (i < n && sql[i] !== '\n') i++;
  };
  /** Reads a quoted run starting at i (the opening quote); returns the unquoted text. */
  const readQuoted = (close: string, backslash: boolean): string => {
    let out = '';
    i++;
    while (i < n) {
      const c = sql[i];
      if (backslash && c === '\\' && i + 1 < n) {
        out += sql[i + 1];
        i += 2;
      } else if (c === close && sql[i + 1] === close) {
        out += c;
        i += 2;
      } else if (c === close) {
        i++;
        return out;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  };

  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '\n') {
      lineStart = true;
      spaced = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      spaced = true;
      i++;
    } else if ((c === '-' && next === '-' && dialect !== 'javascript') || (c === '#' && dialect === 'mysql') || (c === '/' && next === '/' && dialect === 'javascript')) {
      skipToLineEnd();
      spaced = true;
    } else if (c === '/' && next === '*') {
      // MySQL runs the inside of /*! … */; reading it as code errs towards seeing a statement.
      if (sql[i + 2] === '!' && dialect !== 'javascript') {
        i += 3;
        while (i < n && /[0-9]/.test(sql[i])) i++;
      } else {
        const end = sql.indexOf('*/', i + 2);
        i = end < 0 ? n : end + 2;
      }
      spaced = true;
    } else if (c === ';') {
      endStatement();
      spaced = true;
      i++;
    } else if ((c === '\\' || c === '.') && !current.length && dialect !== 'javascript') {
      // psql's \i, sqlite's .read, mysql's \. : client commands that run to the end of the line.
      const start = i + 1;
      skipToLineEnd();
      push('meta', sql.slice(start, i).trim());
      endStatement();
    } else if (c === "'" || (c === '"' && dialect !== 'ansi') || (c === '`' && dialect === 'javascript')) {
      push('string', readQuoted(c, dialect !== 'ansi'));
    } else if (c === '"' || c === '`') {
      push('quoted', readQuoted(c, false));
    } else if (c === '[' && dialect === 'ansi') {
      push('quoted', readQuoted(']', false));
    } else if (c === '$' && dialect === 'ansi' && dollarTag(sql, i) !== null) {
      const tag = dollarTag(sql, i)!;
      const end = sql.indexOf(tag, i + tag.length);
      push('string', sql.slice(i + tag.length, end < 0 ? n : end));
      i = end < 0 ? n : end + tag.length;
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < n && /[0-9.eE]/.test(sql[i])) i++;
      push('number', sql.slice(start, i));
    } else if (WORD_START.test(c) || ((c === '@' || c === '#') && dialect === 'ansi')) {
      const start = i;
      i++;
      while (i < n && (WORD_CHAR.test(sql[i]) || (dialect === 'ansi' && sql[i] === '#'))) i++;
      const word = sql.slice(start, i);
      if (sql[i] === "'" && /^(E|N|X|B|U&?)$/i.test(word)) {
        // A prefixed string literal: E'…' reads backslash escapes, N'…', X'…' do not.
        push('string', readQuoted("'", /^E$/i.test(word) || dialect !== 'ansi'));
      } else if (lineStart && /^go$/i.test(word) && /^[ \t\r]*[0-9]*[ \t\r]*(--.*)?$/.test(restOfLine(sql, i))) {
        // sqlcmd's batch separator.
        skipToLineEnd();
        endStatement();
      } else {
        push('word', word);
      }
    } else {
      push('punct', c);
      i++;
    }
  }
  endStatement();
  return statements;
}

function restOfLine(sql: string, from: number): string {
  const end = sql.indexOf('\n', from);
  return sql.slice(from, end < 0 ? sql.length : end);
}

/** The `$tag$` opening a dollar-quoted string at i, or null (`$1` is a parameter, not a quote). */
function dollarTag(sql: string, i: number): string | null {
  let j = i + 1;
  if (j < sql.length && !/[A-Za-z_$]/.test(sql[j])) return null;
  while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j])) j++;
  return sql[j] === '$' ? sql.slice(i, j + 1) : null;
}

/** Index after the parenthesised group that opens at i. */
export function skipGroup(t: Token[], i: number): number {
  let depth = 0;
  for (; i < t.length; i++) {
    if (t[i].kind !== 'punct') continue;
    if (t[i].value === '(') depth++;
    else if (t[i].value === ')' && --depth === 0) return i + 1;
  }
  return t.length;
}
