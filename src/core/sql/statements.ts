// SQL statements -> what each one would destroy: DROP, TRUNCATE, DELETE/UPDATE that reach every row, ALTER TABLE …
// DROP, scripts run from the client, and the literal part of dynamic SQL, read from the tokens of tokens.ts.

import type { Severity } from '../types';
import { type Dialect, skipGroup, splitStatements, type Token } from './tokens';

export type EffectKind = 'drop-database' | 'drop' | 'drop-role' | 'truncate' | 'delete-all' | 'update-all' | 'alter-drop' | 'script';

export interface SqlEffect {
  kind: EffectKind;
  /** Names as a person would type them: quotes removed, schema kept (`public.users`). */
  objects: string[];
  /** Set when the effect is milder than its kind (dropping only a constraint). */
  severity?: Severity;
  /** The statement in its own words, with no literals (so no secrets): `DROP TABLE users CASCADE`. */
  detail: string;
}

/** What a person types when a name is only built at run time (`EXECUTE 'DROP TABLE ' || t`). */
const RUNTIME_NAME = 'dynamic SQL';

/** Every destructive effect in a SQL text, in statement order. */
export function sqlEffects(sql: string, dialect: Dialect = 'ansi'): SqlEffect[] {
  const out: SqlEffect[] = [];
  for (const statement of splitStatements(sql, dialect)) classify(statement, dialect, out);
  return out;
}

const is = (t: Token | undefined, ...words: string[]): boolean => !!t && t.kind === 'word' && words.includes(t.upper);

/** What DROP can name, as phrases: the longest match wins, so `DROP TABLE user` drops a table called user. */
const OBJECT_TYPES: readonly string[][] = [
  'TABLE', 'VIEW', 'INDEX', 'INDEX CONCURRENTLY', 'MATERIALIZED VIEW', 'FOREIGN TABLE', 'FOREIGN DATA WRAPPER',
  'EXTERNAL TABLE', 'DYNAMIC TABLE', 'ICEBERG TABLE', 'HYBRID TABLE', 'TRANSIENT TABLE', 'TEMPORARY TABLE',
  'TEMP TABLE', 'TEMPORARY VIEW', 'SEQUENCE', 'FUNCTION', 'PROCEDURE', 'ROUTINE', 'TRIGGER', 'TYPE', 'DOMAIN',
  'EXTENSION', 'SCHEMA', 'DATABASE', 'KEYSPACE', 'USER', 'ROLE', 'GROUP', 'LOGIN', 'USER MAPPING', 'COLLATION',
  'CONVERSION', 'AGGREGATE', 'OPERATOR', 'OPERATOR CLASS', 'OPERATOR FAMILY', 'POLICY', 'ROW ACCESS POLICY',
  'MASKING POLICY', 'RULE', 'SERVER', 'TABLESPACE', 'PUBLICATION', 'SUBSCRIPTION', 'EVENT', 'EVENT TRIGGER',
  'STATISTICS', 'CAST', 'LANGUAGE', 'PROCEDURAL LANGUAGE', 'TEXT SEARCH CONFIGURATION', 'TEXT SEARCH DICTIONARY',
  'TEXT SEARCH PARSER', 'TEXT SEARCH TEMPLATE', 'ACCESS METHOD', 'TRANSFORM', 'DICTIONARY', 'STAGE', 'WAREHOUSE',
  'STREAM', 'TASK', 'PIPE', 'SHARE', 'INTEGRATION', 'FILE FORMAT', 'SNAPSHOT', 'MODEL', 'SEARCH INDEX', 'VECTOR INDEX',
].map((p) => p.split(' '));
const WHOLE_DATABASE = new Set(['DATABASE', 'SCHEMA', 'KEYSPACE']);
const ROLES = new Set(['USER', 'ROLE', 'GROUP', 'LOGIN']);
/** Words that start a statement classify() looks at; inside a DO body they may follow BEGIN/THEN/ELSE/LOOP. */
const ACTIONS = new Set(['DROP', 'TRUNCATE', 'DELETE', 'UPDATE', 'ALTER', 'WITH', 'EXECUTE', 'EXEC']);
const BLOCK_OPENERS = new Set(['BEGIN', 'THEN', 'ELSE', 'LOOP']);
/** psql, sqlite and mysql client commands that run a script file. */
const SCRIPT_META = new Set(['i', 'ir', 'include', 'include_relative', '.', 'read']);

function classify(t: Token[], dialect: Dialect, out: SqlEffect[]): void {
  const first = t[0];
  if (!first) return;
  if (first.kind === 'meta') {
    const [command, ...rest] = first.value.split(/\s+/);
    if (SCRIPT_META.has(command) && rest.length) out.push({ kind: 'script', objects: [rest.join(' ')], detail: `runs ${rest.join(' ')}, which cannot be read here` });
    return;
  }
  if (first.kind !== 'word') return;
  switch (first.upper) {
    case 'DROP':
      return classifyDrop(t, out);
    case 'TRUNCATE':
      return classifyTruncate(t, out);
    case 'DELETE':
      return classifyDelete(t, out);
    case 'UPDATE':
      return classifyUpdate(t, out);
    case 'ALTER':
      if (is(t[1], 'TABLE')) classifyAlterTable(t, out);
      return;
    case 'WITH':
      return classifyWith(t, dialect, out);
    case 'EXPLAIN':
      return classifyExplain(t, dialect, out);
    case 'DO':
      return classifyDo(t, dialect, out);
    case 'EXECUTE':
    case 'EXEC':
      return classifyExecute(t, dialect, out);
    case 'SOURCE':
      if (t.length > 1) {
        const file = t.slice(1).map((x) => x.value).join('');
        out.push({ kind: 'script', objects: [file], detail: `runs ${file}, which cannot be read here` });
      }
      return;
  }
}

/** Reads one possibly qualified name at i: `public.users`, `"Sales"."Order"`, `[dbo].[t]`, `'bob'@'%'`. */
function readName(t: Token[], i: number, strings = false): { name: string; next: number } | null {
  const part = (x: Token | undefined) => !!x && (x.kind === 'word' || x.kind === 'quoted' || (strings && x.kind === 'string'));
  if (!part(t[i])) return null;
  let name = t[i].value;
  let j = i + 1;
  // Parts join across `.`, `@` (mysql users) and an unspaced `-` (BigQuery project ids).
  while (j + 1 < t.length && t[j].kind === 'punct' && ['.', '@', '-'].includes(t[j].value) && !t[j].spaced && part(t[j + 1]) && (t[j].value !== '-' || !t[j + 1].spaced)) {
    name += t[j].value + t[j + 1].value;
    j += 2;
  }
  return { name, next: j };
}

/** A comma-separated list of names, skipping `(signature)` after function names and `*` after table names. */
function readNameList(t: Token[], i: number, strings = false): { names: string[]; next: number } {
  const names: string[] = [];
  for (;;) {
    const r = readName(t, i, strings);
    if (!r) break;
    names.push(r.name);
    i = r.next;
    if (t[i]?.value === '(' && t[i].kind === 'punct') i = skipGroup(t, i);
    if (t[i]?.kind === 'punct' && t[i].value === '*') i++;
    if (t[i]?.kind !== 'punct' || t[i].value !== ',') break;
    i++;
  }
  return { names, next: i };
}


function skipIfExists(t: Token[], i: number): number {
  return is(t[i], 'IF') && is(t[i + 1], 'EXISTS') ? i + 2 : i;
}

/** Tokens at parenthesis depth 0, with their indexes. */
function topLevel(t: Token[], from: number): number[] {
  const out: number[] = [];
  let depth = 0;
  for (let i = from; i < t.length; i++) {
    const v = t[i].kind === 'punct' ? t[i].value : '';
    if (v === '(') depth++;
    else if (v === ')') depth--;
    else if (depth === 0) out.push(i);
  }
  return out;
}

function hasCascade(t: Token[], from: number): boolean {
  return topLevel(t, from).some((i) => is(t[i], 'CASCADE'));
}

function classifyDrop(t: Token[], out: SqlEffect[]): void {
  if (is(t[1], 'OWNED') && is(t[2], 'BY')) {
    const { names } = readNameList(t, 3);
    out.push({ kind: 'drop', objects: named(names), detail: `DROP OWNED BY ${names.join(', ')}: every object those roles own` });
    return;
  }
  let type: string[] = OBJECT_TYPES.filter((p) => p.every((w, k) => is(t[1 + k], w))).sort((a, b) => b.length - a.length)[0] ?? [];
  // A kind this list does not know (a vendor's own object) is still one word: DROP <kind> <name>.
  if (!type.length && t[1]?.kind === 'word') type = [t[1].upper];
  // Temporary tables vanish with the session anyway.
  if (!type.length || type.includes('TEMPORARY') || type.includes('TEMP')) return;
  const i = 1 + type.length;
  const what = type.filter((w) => w !== 'CONCURRENTLY').join(' ');
  const roles = ROLES.has(what);
  const { names, next } = readNameList(t, skipIfExists(t, i), roles);
  const cascade = hasCascade(t, next) ? ' CASCADE' : '';
  const kind: EffectKind = WHOLE_DATABASE.has(what) ? 'drop-database' : roles ? 'drop-role' : 'drop';
  out.push({ kind, objects: named(names), detail: `DROP ${what} ${names.join(', ') || '(name built at run time)'}${cascade}` });
}

function classifyTruncate(t: Token[], out: SqlEffect[]): void {
  let i = 1;
  if (is(t[i], 'ALL') && is(t[i + 1], 'TABLES') && is(t[i + 2], 'FROM', 'IN')) {
    const r = readName(t, i + 3);
    out.push({ kind: 'truncate', objects: named(r ? [r.name] : []), detail: `TRUNCATE ALL TABLES FROM ${r?.name ?? '(name built at run time)'}` });
    return;
  }
  if (is(t[i], 'TABLE')) i++;
  i = skipIfExists(t, i);
  if (is(t[i], 'ONLY')) i++;
  const { names, next } = readNameList(t, i);
  out.push({ kind: 'truncate', objects: named(names), detail: `TRUNCATE ${names.join(', ') || '(name built at run time)'}${hasCascade(t, next) ? ' CASCADE' : ''}` });
}

/** Skips `TOP (n) [PERCENT]` and mysql's modifiers between DELETE/UPDATE and the table. */
function skipModifiers(t: Token[], i: number): number {
  for (;;) {
    if (is(t[i], 'LOW_PRIORITY', 'QUICK', 'IGNORE', 'ONLY', 'PERCENT')) i++;
    else if (is(t[i], 'TOP')) i = t[i + 1]?.value === '(' ? skipGroup(t, i + 1) : i + 2;
    else return i;
  }
}

function classifyDelete(t: Token[], out: SqlEffect[]): void {
  const i = skipModifiers(t, 1);
  const viaFrom = is(t[i], 'FROM');
  const { names, next } = readNameList(t, viaFrom ? skipModifiers(t, i + 1) : i);
  const rows = rowFilter(t, next);
  if (!names.length || rows === 'some rows') return;
  out.push({ kind: 'delete-all', objects: names, detail: `DELETE FROM ${names.join(', ')} ${rows}` });
}

function classifyUpdate(t: Token[], out: SqlEffect[]): void {
  const r = readName(t, skipModifiers(t, 1));
  // `UPDATE STATISTICS t` (SQL Server) has no SET and changes no rows.
  if (!r || !topLevel(t, r.next).some((k) => is(t[k], 'SET'))) return;
  const rows = rowFilter(t, r.next);
  if (rows !== 'some rows') out.push({ kind: 'update-all', objects: [r.name], detail: `UPDATE ${r.name} SET … ${rows}` });
}

/** Which rows a DELETE/UPDATE reaches: an inner join or a WHERE that can be false limits them. */
function rowFilter(t: Token[], from: number): 'some rows' | 'with no WHERE: every row' | 'with a WHERE that is always true: every row' {
  const top = topLevel(t, from);
  for (let k = 0; k < top.length; k++) {
    const i = top[k];
    if (is(t[i], 'WHERE')) {
      const end = top.slice(k + 1).find((j) => is(t[j], 'RETURNING', 'ORDER', 'LIMIT', 'OUTPUT', 'OPTION', 'SETTINGS')) ?? t.length;
      return alwaysTrue(t.slice(i + 1, end)) ? 'with a WHERE that is always true: every row' : 'some rows';
    }
    if (is(t[i], 'JOIN') && !is(t[i - 1], 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS')) return 'some rows';
  }
  return 'with no WHERE: every row';
}

/** `1=1`, `true`, `'a'='a'`, `id = id`, or any OR branch made only of those: a WHERE that keeps every row. */
export function alwaysTrue(cond: Token[]): boolean {
  while (cond.length >= 2 && cond[0].value === '(' && cond[0].kind === 'punct' && skipGroup(cond, 0) === cond.length) cond = cond.slice(1, -1);
  if (!cond.length) return true;
  const top = topLevel(cond, 0);
  const split = (word: string, parts: Token[]): Token[][] => {
    const idx = topLevel(parts, 0).filter((i) => is(parts[i], word));
    return [-1, ...idx].map((start, k) => parts.slice(start + 1, k < idx.length ? idx[k] : parts.length));
  };
  if (top.some((i) => is(cond[i], 'OR'))) return split('OR', cond).some(alwaysTrue);
  if (top.some((i) => is(cond[i], 'AND'))) return split('AND', cond).every(alwaysTrue);
  if (cond.length === 1) return is(cond[0], 'TRUE') || (cond[0].kind === 'number' && Number(cond[0].value) !== 0);
  if (cond.length === 3 && cond[1].kind === 'punct' && cond[1].value === '=') {
    const [a, , b] = cond;
    return a.kind === b.kind && a.kind !== 'punct' && (a.kind === 'word' ? a.upper === b.upper : a.value === b.value);
  }
  return false;
}

function classifyAlterTable(t: Token[], out: SqlEffect[]): void {
  let i = skipIfExists(t, 2);
  if (is(t[i], 'ONLY')) i++;
  const r = readName(t, i);
  if (!r) return;
  i = r.next;
  if (t[i]?.value === '*') i++;
  if (is(t[i], 'ON') && is(t[i + 1], 'CLUSTER')) i += 3;
  const dropped: string[] = [];
  let onlyConstraints = true;
  for (const action of splitTopLevel(t.slice(i), ',')) {
    if (is(action[0], 'DROP')) {
      const what = is(action[1], 'COLUMN', 'CONSTRAINT', 'PRIMARY', 'FOREIGN', 'INDEX', 'KEY', 'CHECK', 'PARTITION', 'PROJECTION', 'DEFAULT') ? action[1].upper : 'COLUMN';
      const start = skipIfExists(action, what === 'COLUMN' && !is(action[1], 'COLUMN') ? 1 : what === 'FOREIGN' ? 3 : 2);
      const name = what === 'PRIMARY' ? '' : (readName(action, start)?.name ?? '');
      if (what === 'COLUMN' || what === 'PARTITION') onlyConstraints = false;
      dropped.push(`DROP ${what === 'PRIMARY' || what === 'FOREIGN' ? `${what} KEY` : what} ${name}`.trim());
    } else if (is(action[0], 'TRUNCATE') && is(action[1], 'PARTITION')) {
      onlyConstraints = false;
      dropped.push(`TRUNCATE PARTITION ${readName(action, 2)?.name ?? ''}`.trim());
    } else if (is(action[0], 'DELETE') || (is(action[0], 'UPDATE') && action.some((x) => is(x, 'WHERE')))) {
      // ClickHouse mutations: ALTER TABLE t DELETE WHERE …
      const where = action.findIndex((x) => is(x, 'WHERE'));
      if (where >= 0 && alwaysTrue(action.slice(where + 1))) {
        const kind = is(action[0], 'DELETE') ? 'delete-all' : 'update-all';
        out.push({ kind, objects: [r.name], detail: `ALTER TABLE ${r.name} ${action[0].upper} on every row` });
      }
    }
  }
  if (dropped.length) out.push({ kind: 'alter-drop', objects: [r.name], detail: `ALTER TABLE ${r.name} ${dropped.join(', ')}`, ...(onlyConstraints ? { severity: 'risky' as const } : {}) });
}

function splitTopLevel(t: Token[], separator: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const x of t) {
    if (x.kind === 'punct' && x.value === '(') depth++;
    if (x.kind === 'punct' && x.value === ')') depth--;
    if (depth === 0 && x.kind === 'punct' && x.value === separator) parts.push([]);
    else parts[parts.length - 1].push(x);
  }
  return parts.filter((p) => p.length);
}

/** `WITH a AS (DELETE … RETURNING *), b AS (…) main`: each CTE body and the main statement. */
function classifyWith(t: Token[], dialect: Dialect, out: SqlEffect[]): void {
  let i = is(t[1], 'RECURSIVE') ? 2 : 1;
  for (;;) {
    const r = readName(t, i);
    if (!r) return;
    i = r.next;
    if (t[i]?.value === '(') i = skipGroup(t, i);
    if (!is(t[i], 'AS')) return;
    i++;
    while (is(t[i], 'NOT', 'MATERIALIZED')) i++;
    if (t[i]?.value !== '(') return;
    const end = skipGroup(t, i);
    classify(t.slice(i + 1, end - 1), dialect, out);
    i = end;
    if (t[i]?.value !== ',') break;
    i++;
  }
  classify(t.slice(i), dialect, out);
}

/** EXPLAIN only plans, except EXPLAIN ANALYZE, which runs the statement. */
function classifyExplain(t: Token[], dialect: Dialect, out: SqlEffect[]): void {
  let i = 1;
  let analyze = false;
  if (t[i]?.value === '(') {
    const end = skipGroup(t, i);
    for (let k = i + 1; k < end; k++) if (is(t[k], 'ANALYZE', 'ANALYSE') && !is(t[k + 1], 'FALSE', 'OFF') && t[k + 1]?.value !== '0') analyze = true;
    i = end;
  }
  while (is(t[i], 'ANALYZE', 'ANALYSE', 'VERBOSE', 'EXTENDED', 'PARTITIONS', 'FORMAT', 'QUERY', 'PLAN')) {
    if (is(t[i], 'ANALYZE', 'ANALYSE')) analyze = true;
    i++;
  }
  if (analyze) classify(t.slice(i), dialect, out);
}

/** A DO block's body runs: read its statements, each possibly after BEGIN/THEN/ELSE/LOOP. */
function classifyDo(t: Token[], dialect: Dialect, out: SqlEffect[]): void {
  const body = t.find((x) => x.kind === 'string');
  if (!body) return;
  for (const statement of splitStatements(body.value, dialect)) {
    const start = statement.findIndex((x, k) => x.kind === 'word' && ACTIONS.has(x.upper) && (k === 0 || is(statement[k - 1], ...BLOCK_OPENERS)));
    if (start >= 0) classify(statement.slice(start), dialect, out);
  }
}

/** `EXECUTE 'DROP TABLE ' || name`, `EXECUTE format('TRUNCATE %I', t)`, `EXEC('…')`: the literal part of dynamic SQL. */
function classifyExecute(t: Token[], dialect: Dialect, out: SqlEffect[]): void {
  let i = is(t[1], 'IMMEDIATE') ? 2 : 1;
  if (is(t[i], 'FORMAT')) i++;
  if (t[i]?.value === '(' && t[i].kind === 'punct') i++;
  if (t[i]?.kind !== 'string') return;
  for (const effect of sqlEffects(t[i].value, dialect)) {
    // Whatever follows the literal (`|| name`, `, t`) supplies the names at run time.
    const runtime = t.length > i + 1 && !(t[i + 1].kind === 'punct' && t[i + 1].value === ')' && t.length === i + 2);
    out.push(runtime && effect.kind !== 'script' ? { ...effect, objects: [RUNTIME_NAME] } : effect);
  }
}

function named(names: string[]): string[] {
  return names.length ? names : [RUNTIME_NAME];
}
