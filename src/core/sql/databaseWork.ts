// What one invocation of a database program would do: the effects read from its SQL (on the command line, in a heredoc
// or piped in), the scripts it runs that cannot be read here, and the database and host it connects to.

import { parseArgs, type ArgSpec } from '../parse/args';
import { type Invocation, staticOutput } from '../parse/invocation';
import { joinResources, standIn } from '../rules/rule';
import { SQL_CLIENTS, type SqlClient } from './clients';
import { connectionTarget, describeTarget, withoutPasswords } from './connection';
import type { EffectKind, SqlEffect } from './statements';
import { late } from '../late';
import { own } from '../own';

// The readers of SQL and of mongo shell scripts load when a line first gives a client one (src/core/late.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sqlReader = late((): typeof import('./statements') => require('./statements'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mongoReader = late((): typeof import('./mongo') => require('./mongo'));

const MONGO_SPEC: ArgSpec = { values: ['--eval', '-f', '--file', '--host', '--port', '-u', '--username', '-p', '--password', '--authenticationDatabase', '--authenticationMechanism', '--tlsCAFile', '--tlsCertificateKeyFile', '--apiVersion'] };

/** Where unreadable input comes from: the file a cat/zcat/gunzip reads, else the piping command itself. */
function pipeSource(from: Invocation): string {
  const files = [...from.parsed().positionals, ...from.redirects.filter((r) => r.op === '<' && r.target).map((r) => r.target!.text)];
  return ['cat', 'zcat', 'gunzip', 'gzip', 'bzcat', 'bzip2', 'xzcat', 'xz', 'zstdcat', 'zstd'].includes(from.program) && files.length ? joinResources(files) : standIn(from);
}

/** What a client reads on stdin: the text when the command line shows it, else where it comes from. */
export function stdinInput(inv: Invocation): { text?: string; unread?: string } | null {
  if (inv.argsFromStdin) return null;
  if (inv.stdin !== undefined) return { text: inv.stdin };
  if (inv.pipeFrom) {
    const text = staticOutput(inv.pipeFrom);
    return text !== undefined ? { text } : { unread: pipeSource(inv.pipeFrom) };
  }
  const file = inv.redirects.find((r) => r.op === '<' && (r.fd === undefined || r.fd === '0'))?.target?.text;
  return file && file !== '/dev/null' ? { unread: file } : null;
}

/** What one invocation would do to a database: effects read from its SQL or script, and where it connects. */
export interface DatabaseWork {
  effects: SqlEffect[];
  target?: string;
}

function sqlClientWork(inv: Invocation, client: SqlClient): DatabaseWork | null {
  const a = client.inlinePassword ? parseArgs(withoutPasswords(inv.args, false), client.spec) : inv.parsed(client.spec);
  if (a.has('--help', '--version')) return null;
  const sub = client.sub ?? [];
  if (!sub.every((w, i) => a.positionals[i] === w)) return null;
  const texts = a.values(...client.sql);
  let positionalDatabase: string | undefined;
  client.positionals.forEach((role, i) => {
    const value = a.positionals[sub.length + i];
    if (value === undefined) return;
    if (role === 'database') positionalDatabase = value;
    if (role === 'sql') texts.push(...a.positionals.slice(sub.length + i));
  });
  const files = a.values(...client.files);
  const effects = texts.flatMap((t) => sqlReader().sqlEffects(t, client.dialect));
  const script = (file: string, from: string): SqlEffect => ({ kind: 'script', objects: [file], detail: `runs ${from}, which cannot be read here` });
  for (const f of files.filter((f) => f !== '-')) effects.push(script(f, f));
  const readsStdin = client.stdinFlags ? a.has(...client.stdinFlags) : files.includes('-') || (!texts.length && !files.length);
  const input = readsStdin ? stdinInput(inv) : null;
  if (input?.text !== undefined) effects.push(...sqlReader().sqlEffects(input.text, client.dialect));
  if (input?.unread) effects.push(script(input.unread, `SQL from ${input.unread}`));
  const named = a.value(...client.database) ?? positionalDatabase ?? a.value(...(client.url ?? []));
  const conn = named ? connectionTarget(named) : {};
  return { effects, target: describeTarget(conn.database, a.value(...client.host) ?? conn.host) };
}

/** The mongo shell: db.dropDatabase(), db.coll.drop(), deleteMany({}) in --eval, a heredoc or a pipe. */
function mongoWork(inv: Invocation): DatabaseWork | null {
  const a = parseArgs(withoutPasswords(inv.args, true), MONGO_SPEC);
  if (a.has('--help', '--version')) return null;
  const scripts = [...a.values('-f', '--file'), ...a.positionals.filter((p) => p.endsWith('.js'))];
  const address = a.positionals.find((p) => !p.endsWith('.js'));
  const url = address?.includes('://') ? connectionTarget(address) : undefined;
  const database = url ? url.database : address?.split('/').pop();
  const texts = a.values('--eval');
  const effects: SqlEffect[] = scripts.map((f) => ({ kind: 'script', objects: [f], detail: `runs ${f}, which cannot be read here` }));
  const input = !texts.length && !scripts.length ? stdinInput(inv) : null;
  if (input?.text !== undefined) texts.push(input.text);
  if (input?.unread) effects.push({ kind: 'script', objects: [input.unread], detail: `runs ${input.unread}, which cannot be read here` });
  for (const t of texts) effects.push(...mongoReader().mongoEffects(t, database || 'test'));
  return { effects, target: describeTarget(database, url?.host ?? a.value('--host')) };
}

const PG_CONNECTION = ['-h', '--host', '-p', '--port', '-U', '--username', '--maintenance-db'];
const MYSQLADMIN_SPEC: ArgSpec = { values: ['-h', '--host', '-u', '--user', '-P', '--port', '-S', '--socket', '-c', '--count', '-i', '--sleep', '--defaults-file', '--defaults-extra-file', '--login-path', '--protocol', '--connect-timeout', '--shutdown-timeout', '--default-auth', '--plugin-dir'] };
/** Command-line tools that drop a whole database or a role by name. (`bq rm` is the cloud family's.) */
function adminToolWork(inv: Invocation): DatabaseWork | null {
  if (inv.args.includes('--help') || inv.args.includes('--version')) return null;
  const effect = (kind: EffectKind, name: string | undefined, detail: string): DatabaseWork | null => (name ? { effects: [{ kind, objects: [name], detail }] } : null);
  switch (inv.program) {
    case 'dropdb': {
      const a = inv.parsed({ values: PG_CONNECTION });
      const work = effect('drop-database', a.positionals[0], `dropdb ${a.positionals[0]}`);
      return work && { ...work, target: describeTarget(undefined, a.value('-h', '--host')) };
    }
    case 'dropuser':
      return effect('drop-role', inv.parsed({ values: PG_CONNECTION }).positionals[0], 'dropuser');
    case 'pg_dropcluster': {
      const [version, cluster] = inv.parsed().positionals;
      return cluster ? effect('drop-database', `${version}/${cluster}`, `deletes PostgreSQL cluster ${version}/${cluster} and its data directory`) : null;
    }
    case 'mysqladmin': {
      const words = parseArgs(withoutPasswords(inv.args, false), MYSQLADMIN_SPEC).positionals;
      const drop = words.findIndex((w) => w.toLowerCase() === 'drop');
      return drop >= 0 ? effect('drop-database', words[drop + 1], `mysqladmin drop ${words[drop + 1]}`) : null;
    }
  }
  return null;
}

const ADMIN_TOOLS = ['dropdb', 'dropuser', 'pg_dropcluster', 'mysqladmin'];
const MONGO_SHELLS = ['mongosh', 'mongo'];
export const DATABASE_PROGRAMS = [...Object.keys(SQL_CLIENTS), ...MONGO_SHELLS, ...ADMIN_TOOLS];

const workCache = new WeakMap<Invocation, DatabaseWork | null>();

/** Everything one invocation would do to a database, computed once for all the rules that ask. */
export function databaseWork(inv: Invocation): DatabaseWork | null {
  if (!workCache.has(inv)) {
    const client = own(SQL_CLIENTS, inv.program);
    workCache.set(inv, client ? sqlClientWork(inv, client) : MONGO_SHELLS.includes(inv.program) ? mongoWork(inv) : adminToolWork(inv));
  }
  return workCache.get(inv)!;
}
