// SQL and database CLIs: DROP, TRUNCATE, DELETE/UPDATE without WHERE, dropdb, FLUSHALL, dropDatabase, ORM resets.

import { ArgSpec, Args, parseArgs } from '../parse/args';
import { basename, Invocation, staticOutput } from '../parse/invocation';
import { EffectKind, SqlEffect, sqlEffects } from '../sql/effects';
import { Dialect, skipGroup, splitStatements, Token } from '../sql/statements';
import { maxSeverity, Severity } from '../types';
import { defineRule, GatedExample, joinResources, RuleMatch, standIn } from './rule';

// ---------------------------------------------------------------------------------------------------------------
// Where the SQL comes from: the clients that send text to a database, and what each one's arguments mean.

interface SqlClient {
  dialect: Dialect;
  /** Positionals that make the program a SQL shell: `cockroach sql`, `bq query`, `wrangler d1 execute`. */
  sub?: readonly string[];
  spec: ArgSpec;
  /** Options whose value is SQL. */
  sql: readonly string[];
  /** Options whose value is a script file (`-` meaning stdin). */
  files: readonly string[];
  database: readonly string[];
  host: readonly string[];
  /** Options whose value is a connection URL. */
  url?: readonly string[];
  /** What the positionals after `sub` are, in order; `sql` takes all that remain. */
  positionals: readonly ('database' | 'skip' | 'sql')[];
  /** Reads SQL on stdin only with one of these flags; by default, whenever the command line gives none. */
  stdinFlags?: readonly string[];
  /** `-p`/`--password` carry a password inline or prompt for one (`mysql -psecret`). */
  inlinePassword?: boolean;
}

const PSQL: SqlClient = {
  dialect: 'ansi',
  spec: { values: ['-c', '--command', '-d', '--dbname', '-f', '--file', '-h', '--host', '-p', '--port', '-U', '--username', '-v', '--set', '--variable', '-o', '--output', '-L', '--log-file', '-F', '--field-separator', '-R', '--record-separator', '-P', '--pset', '-T', '--table-attr'] },
  sql: ['-c', '--command'],
  files: ['-f', '--file'],
  database: ['-d', '--dbname'],
  host: ['-h', '--host'],
  positionals: ['database', 'skip'],
};

const MYSQL: SqlClient = {
  dialect: 'mysql',
  spec: { values: ['-e', '--execute', '-D', '--database', '-h', '--host', '-u', '--user', '-P', '--port', '-S', '--socket', '--protocol', '--default-character-set', '--defaults-file', '--defaults-extra-file', '--defaults-group-suffix', '--login-path', '--init-command', '--ssl-ca', '--ssl-cert', '--ssl-key', '--ssl-mode', '--connect-timeout', '--pager', '--prompt', '--tee', '--delimiter', '--bind-address', '--plugin-dir', '--default-auth', '--character-sets-dir', '--myclirc', '-R', '-l', '--logfile'] },
  sql: ['-e', '--execute'],
  files: [],
  database: ['-D', '--database'],
  host: ['-h', '--host'],
  positionals: ['database'],
  inlinePassword: true,
};

const SQLITE: SqlClient = {
  dialect: 'ansi',
  spec: { singleDashLong: true, values: ['-cmd', '--cmd', '-c', '-s', '-f', '-init', '--init', '-separator', '-newline', '-nullvalue', '-vfs', '-maxsize', '-mmap', '-pagecache', '-lookaside', '-heap'] },
  sql: ['-cmd', '--cmd', '-c', '-s'],
  files: ['-init', '--init', '-f'],
  database: [],
  host: [],
  positionals: ['database', 'sql'],
};

const CLICKHOUSE: SqlClient = {
  dialect: 'mysql',
  spec: { values: ['-q', '--query', '-d', '--database', '-h', '--host', '--port', '-u', '--user', '--password', '--queries-file', '-f', '--format', '-C', '--config-file', '--history_file', '--max_threads'] },
  sql: ['-q', '--query'],
  files: ['--queries-file'],
  database: ['-d', '--database'],
  host: ['-h', '--host'],
  positionals: [],
};

/** Every program that takes SQL, by name; some only with a subcommand (`cockroach sql`). */
const SQL_CLIENTS: Record<string, SqlClient> = {
  psql: PSQL,
  mysql: MYSQL,
  mariadb: MYSQL,
  mycli: MYSQL,
  sqlite3: SQLITE,
  sqlite: SQLITE,
  duckdb: SQLITE,
  'clickhouse-client': CLICKHOUSE,
  clickhouse: { ...CLICKHOUSE, sub: ['client'] },
  usql: { ...PSQL, positionals: ['database'] },
  // pgcli takes psql's connection options and runs one statement with -e/--execute.
  pgcli: { ...PSQL, spec: { values: [...(PSQL.spec.values ?? []), '-e', '--execute', '-D', '--dsn', '-W'] }, sql: ['-e', '--execute'], files: [], positionals: ['database', 'skip'] },
  // cqlsh (Cassandra): CQL's DROP KEYSPACE / TABLE and TRUNCATE read as SQL's.
  cqlsh: {
    dialect: 'ansi',
    spec: { values: ['-e', '--execute', '-f', '--file', '-k', '--keyspace', '-u', '--username', '-p', '--password', '--cqlshrc', '--cqlversion', '--protocol-version', '--connect-timeout', '--request-timeout', '--encoding'] },
    sql: ['-e', '--execute'],
    files: ['-f', '--file'],
    database: ['-k', '--keyspace'],
    host: [],
    positionals: ['skip', 'skip'],
  },
  cockroach: {
    dialect: 'ansi',
    sub: ['sql'],
    spec: { values: ['-e', '--execute', '-f', '--file', '-d', '--database', '--url', '--host', '-u', '--user', '--certs-dir', '--format', '--set', '--port', '-p'] },
    sql: ['-e', '--execute'],
    files: ['-f', '--file'],
    database: ['-d', '--database'],
    host: ['--host'],
    url: ['--url'],
    positionals: [],
  },
  sqlcmd: {
    dialect: 'ansi',
    spec: { values: ['-Q', '-q', '--query', '--initial-query', '-d', '--database-name', '-S', '--server', '-U', '--user-name', '-P', '--password', '-i', '--input-file', '-o', '--output-file', '-v', '--variables', '-s', '-h', '-w', '-l', '-t', '-a', '-c', '-H', '-f', '-y', '-Y'] },
    sql: ['-Q', '-q', '--query', '--initial-query'],
    files: ['-i', '--input-file'],
    database: ['-d', '--database-name'],
    host: ['-S', '--server'],
    positionals: [],
  },
  snowsql: {
    dialect: 'ansi',
    spec: { values: ['-q', '--query', '-f', '--filename', '-d', '--dbname', '-s', '--schemaname', '-a', '--accountname', '-u', '--username', '-w', '--warehouse', '-r', '--rolename', '-c', '--connection', '-o', '--option', '-D', '--variable', '--config', '-h', '--host', '-p', '--port'] },
    sql: ['-q', '--query'],
    files: ['-f', '--filename'],
    database: ['-d', '--dbname'],
    host: ['-a', '--accountname'],
    positionals: [],
  },
  snow: {
    dialect: 'ansi',
    sub: ['sql'],
    spec: { values: ['-q', '--query', '-f', '--filename', '-c', '--connection', '--database', '--schema', '--role', '--warehouse', '--account', '--user', '-D', '--variable'] },
    sql: ['-q', '--query'],
    files: ['-f', '--filename'],
    database: ['--database'],
    host: ['--account'],
    positionals: [],
    stdinFlags: ['-i', '--stdin'],
  },
  bq: {
    dialect: 'mysql',
    sub: ['query'],
    spec: { values: ['--project_id', '--dataset_id', '--location', '--format', '--destination_table', '--parameter', '--max_rows', '-n', '--job_id', '--label', '--maximum_bytes_billed', '--schedule', '--display_name', '--target_dataset', '--api', '--flagfile', '--bigqueryrc', '--credential_file', '--time_partitioning_field', '--time_partitioning_type', '--clustering_fields', '--destination_kms_key', '--external_table_definition', '--udf_resource', '--connection_property', '--session_id'] },
    sql: [],
    files: [],
    database: ['--dataset_id'],
    host: ['--project_id'],
    positionals: ['sql'],
  },
  heroku: {
    dialect: 'ansi',
    sub: ['pg:psql'],
    spec: { values: ['-c', '--command', '-f', '--file', '-a', '--app', '-r', '--remote', '--credential'] },
    sql: ['-c', '--command'],
    files: ['-f', '--file'],
    database: [],
    host: ['-a', '--app'],
    positionals: ['database'],
  },
  turso: {
    dialect: 'ansi',
    sub: ['db', 'shell'],
    spec: { values: ['--instance', '--location', '--proxy'] },
    sql: [],
    files: [],
    database: [],
    host: [],
    positionals: ['database', 'sql'],
  },
  wrangler: {
    dialect: 'ansi',
    sub: ['d1', 'execute'],
    spec: { values: ['--command', '--file', '--env', '-e', '--config', '-c', '--persist-to', '--batch-size'] },
    sql: ['--command'],
    files: ['--file'],
    database: [],
    host: [],
    positionals: ['database'],
    stdinFlags: [],
  },
  prisma: {
    dialect: 'ansi',
    sub: ['db', 'execute'],
    spec: { values: ['--file', '--schema', '--url', '--config'] },
    sql: [],
    files: ['--file'],
    database: [],
    host: [],
    url: ['--url'],
    positionals: [],
    stdinFlags: ['--stdin'],
  },
};

const MONGO_SPEC: ArgSpec = { values: ['--eval', '-f', '--file', '--host', '--port', '-u', '--username', '-p', '--password', '--authenticationDatabase', '--authenticationMechanism', '--tlsCAFile', '--tlsCertificateKeyFile', '--apiVersion'] };
const PASSWORD_OPTIONS = ['-p', '--password'];

/**
 * Drops password options so a password never becomes a database name and a bare `-p` (a prompt) never eats the
 * next word. Inline ones (`-psecret`, `--password=x`) always go; `-p secret` is a value only where `separate`.
 */
function withoutPasswords(args: readonly string[], separate: boolean): string[] {
  return args.filter((a, i) => {
    if (PASSWORD_OPTIONS.includes(a)) return separate && !!args[i + 1] && !args[i + 1].startsWith('-');
    return !(a.startsWith('--password=') || (a.startsWith('-p') && a.length > 2 && !a.startsWith('--')));
  });
}

/** The database and host a connection string or name points at. The password part is never read. */
export function connectionTarget(s: string): { database?: string; host?: string } {
  const url = s.replace(/^jdbc:/, '');
  if (url.includes('://')) {
    try {
      const u = new URL(url);
      const database = decodeURIComponent(u.pathname.replace(/^\/+/, '').split('/')[0]);
      return { ...(database ? { database } : {}), ...(u.hostname ? { host: u.hostname } : {}) };
    } catch {
      return {};
    }
  }
  if (/^[a-z_]+=/.test(s)) {
    const kv = new Map(s.split(/\s+/).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
    return { ...(kv.get('dbname') ? { database: kv.get('dbname') } : {}), ...(kv.get('host') ? { host: kv.get('host') } : {}) };
  }
  return { database: s };
}

function describeTarget(database: string | undefined, host: string | undefined): string | undefined {
  if (database) return `database ${database}${host ? ` on ${host}` : ''}`;
  return host ? `server ${host}` : undefined;
}

/** Where unreadable input comes from: the file a cat/zcat/gunzip reads, else the piping command itself. */
function pipeSource(from: Invocation): string {
  const files = [...from.parsed().positionals, ...from.redirects.filter((r) => r.op === '<' && r.target).map((r) => r.target!.text)];
  return ['cat', 'zcat', 'gunzip', 'gzip', 'bzcat', 'bzip2', 'xzcat', 'xz', 'zstdcat', 'zstd'].includes(from.program) && files.length ? joinResources(files) : standIn(from);
}

/** What a client reads on stdin: the text when the command line shows it, else where it comes from. */
function stdinInput(inv: Invocation): { text?: string; unread?: string } | null {
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
interface DatabaseWork {
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
  const effects = texts.flatMap((t) => sqlEffects(t, client.dialect));
  const script = (file: string, from: string): SqlEffect => ({ kind: 'script', objects: [file], detail: `runs ${from}, which cannot be read here` });
  for (const f of files.filter((f) => f !== '-')) effects.push(script(f, f));
  const readsStdin = client.stdinFlags ? a.has(...client.stdinFlags) : files.includes('-') || (!texts.length && !files.length);
  const input = readsStdin ? stdinInput(inv) : null;
  if (input?.text !== undefined) effects.push(...sqlEffects(input.text, client.dialect));
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
  for (const t of texts) effects.push(...mongoEffects(t, database || 'test'));
  return { effects, target: describeTarget(database, url?.host ?? a.value('--host')) };
}

const isPunct = (t: Token | undefined, value: string) => !!t && t.kind === 'punct' && t.value === value;

/** Calls on `db` in mongo shell JavaScript: `db.users.drop()`, `db.getSiblingDB('x').dropDatabase()`, `use x`. */
export function mongoEffects(js: string, defaultDatabase: string): SqlEffect[] {
  const t = splitStatements(js, 'javascript').flatMap((s) => [...s, { kind: 'punct', value: ';', upper: ';', spaced: true, lineStart: false } as Token]);
  const out: SqlEffect[] = [];
  let database = defaultDatabase;
  for (let i = 0; i < t.length; i++) {
    if (t[i].kind === 'word' && t[i].value === 'use' && t[i].lineStart && t[i + 1] && t[i + 1].kind !== 'punct') database = t[i + 1].value;
    if (t[i].kind !== 'word' || t[i].value !== 'db' || isPunct(t[i - 1], '.')) continue;
    let db = database;
    let collection: string | undefined;
    let j = i + 1;
    for (;;) {
      if (isPunct(t[j], '[')) {
        // db[name]: a collection named at run time could be any of them.
        collection = t[j + 1]?.kind === 'string' && isPunct(t[j + 2], ']') ? t[j + 1].value : db;
        j += 3;
      } else if (isPunct(t[j], '.') && t[j + 1]?.kind === 'word' && !isPunct(t[j + 2], '(')) {
        collection = collection ? `${collection}.${t[j + 1].value}` : t[j + 1].value;
        j += 2;
      } else if (isPunct(t[j], '.') && t[j + 1]?.kind === 'word' && ['getSiblingDB', 'getCollection'].includes(t[j + 1].value)) {
        const arg = t[j + 3]?.kind === 'string' ? t[j + 3].value : db;
        if (t[j + 1].value === 'getSiblingDB') db = arg;
        else collection = arg;
        j = skipGroup(t, j + 2);
      } else break;
    }
    if (!isPunct(t[j], '.') || t[j + 1]?.kind !== 'word' || !isPunct(t[j + 2], '(')) continue;
    const method = t[j + 1].value;
    const args = t.slice(j + 3, skipGroup(t, j + 2) - 1);
    // No filter, or `{}` as the filter: every document matches.
    const matchesAll = !args.length || (isPunct(args[0], '{') && isPunct(args[1], '}') && (args.length === 2 || isPunct(args[2], ',')));
    const arg = args[0]?.kind === 'string' ? args[0].value : db;
    if (!collection && method === 'dropDatabase') out.push({ kind: 'drop-database', objects: [db], detail: `db.dropDatabase() on ${db}` });
    else if (!collection && (method === 'dropUser' || method === 'dropRole')) out.push({ kind: 'drop-role', objects: [arg], detail: `db.${method}() on ${db}` });
    else if (!collection && (method === 'dropAllUsers' || method === 'dropAllRoles')) out.push({ kind: 'drop-role', objects: [db], detail: `db.${method}() on ${db}` });
    else if (collection && method === 'drop') out.push({ kind: 'drop', objects: [collection], detail: `drops collection ${collection} in ${db}` });
    else if (collection && (method === 'deleteMany' || method === 'remove') && matchesAll) out.push({ kind: 'delete-all', objects: [collection], detail: `${method}({}) on ${collection}: every document` });
    else if (collection && method === 'updateMany' && matchesAll && args.length) out.push({ kind: 'update-all', objects: [collection], detail: `updateMany({}) on ${collection}: every document` });
  }
  return out;
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
const DATABASE_PROGRAMS = [...Object.keys(SQL_CLIENTS), ...MONGO_SHELLS, ...ADMIN_TOOLS];

const workCache = new WeakMap<Invocation, DatabaseWork | null>();

/** Everything one invocation would do to a database, computed once for all the rules that ask. */
function databaseWork(inv: Invocation): DatabaseWork | null {
  if (!workCache.has(inv)) {
    const client = SQL_CLIENTS[inv.program];
    workCache.set(inv, client ? sqlClientWork(inv, client) : MONGO_SHELLS.includes(inv.program) ? mongoWork(inv) : adminToolWork(inv));
  }
  return workCache.get(inv)!;
}

const MAX_DETAIL = 300;

function effectRule(
  id: string,
  severity: Severity,
  summary: string,
  kinds: readonly EffectKind[],
  examples: { gated: GatedExample[]; allowed: string[] },
) {
  return defineRule({
    id,
    severity,
    summary,
    programs: DATABASE_PROGRAMS,
    match(inv): RuleMatch | null {
      const work = databaseWork(inv);
      const hits = work?.effects.filter((e) => kinds.includes(e.kind)) ?? [];
      if (!hits.length) return null;
      const worst = hits.map((e) => e.severity ?? severity).reduce(maxSeverity);
      const said = [...new Set(hits.map((e) => e.detail))].join('; ') + (work?.target ? ` (${work.target})` : '');
      return {
        resource: joinResources(hits.flatMap((e) => e.objects)),
        detail: said.length > MAX_DETAIL ? said.slice(0, MAX_DETAIL - 1) + '…' : said,
        ...(worst !== severity ? { severity: worst } : {}),
      };
    },
    examples,
  });
}

export const dropDatabase = effectRule(
  'sql.drop-database',
  'catastrophic',
  'Drops a whole database, schema or cluster and every table in it',
  ['drop-database'],
  {
    gated: [
      ['psql -c "DROP DATABASE shop"', 'shop'],
      ['mysql -u root -e "DROP DATABASE IF EXISTS \\`analytics\\`"', 'analytics'],
      ['psql -d app -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"', 'public'],
      ['dropdb -h db.internal -U postgres --if-exists shop_prod', 'shop_prod'],
      ['mysqladmin -u root -psecret -f drop legacy', 'legacy'],
      ['sudo pg_dropcluster --stop 14 main', '14/main'],
      ['mongosh "mongodb://admin@db.example.com:27017/orders" --eval "db.dropDatabase()"', 'orders'],
      ["mongosh --eval \"db.getSiblingDB('audit').dropDatabase()\"", 'audit'],
    ],
    allowed: ['psql -c "CREATE DATABASE shop"', 'dropdb --help', 'echo "DROP DATABASE shop"', 'psql -l', 'mongosh --eval "db.stats()"'],
  },
);

export const drop = effectRule(
  'sql.drop',
  'destructive',
  'Drops tables or other objects, and the data they hold',
  ['drop'],
  {
    gated: [
      ['psql -c "DROP TABLE users"', 'users'],
      ['psql "$DATABASE_URL" -c \'DROP TABLE IF EXISTS "public"."Orders", line_items CASCADE\'', 'public.Orders line_items'],
      ["psql app <<'SQL'\nBEGIN;\nDROP VIEW monthly_revenue;\nCOMMIT;\nSQL", 'monthly_revenue'],
      ['echo "DROP TABLE sessions;" | sqlite3 app.db', 'sessions'],
      ['sqlite3 data/app.sqlite "DROP TABLE events"', 'events'],
      ['mongosh app --eval "db.carts.drop()"', 'carts'],
      ["psql -c \"DO \\$\\$ DECLARE r record; BEGIN FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP EXECUTE 'DROP TABLE ' || quote_ident(r.tablename) || ' CASCADE'; END LOOP; END \\$\\$\"", 'dynamic SQL'],
    ],
    allowed: [
      'psql -c "SELECT 1"',
      'grep -i "drop table" migrations/*.sql',
      'git commit -m "drop users table"',
      'cat schema.sql',
      "psql -c \"SELECT 'DROP TABLE users'\"",
      'psql -c "DROP TEMPORARY TABLE scratch" -c "-- DROP TABLE users"',
      "psql -c \"CREATE FUNCTION purge() RETURNS void AS \\$\\$ DROP TABLE x; \\$\\$ LANGUAGE sql\"",
    ],
  },
);

export const truncate = effectRule(
  'sql.truncate',
  'destructive',
  'Empties tables, deleting every row at once',
  ['truncate'],
  {
    gated: [
      ['psql -c "TRUNCATE orders, payments RESTART IDENTITY CASCADE"', 'orders payments'],
      ['mysql shop -e "truncate table cart_items"', 'cart_items'],
      ['clickhouse-client --query "TRUNCATE TABLE IF EXISTS logs.requests"', 'logs.requests'],
    ],
    allowed: ['psql -c "SELECT count(*) FROM orders"', 'truncate --help'],
  },
);

export const deleteAll = effectRule(
  'sql.delete-all',
  'destructive',
  'Deletes every row of a table: the DELETE has no WHERE that limits it',
  ['delete-all'],
  {
    gated: [
      ['psql -c "DELETE FROM sessions"', 'sessions'],
      ['mysql -e "DELETE FROM audit_log WHERE 1=1"', 'audit_log'],
      ["bq query --use_legacy_sql=false 'DELETE FROM ds.events WHERE true'", 'ds.events'],
      ['sqlcmd -S prod-sql -d Shop -Q "DELETE FROM dbo.Orders"', 'dbo.Orders'],
      ['mongosh shop --eval "db.orders.deleteMany({})"', 'orders'],
    ],
    allowed: ['psql -c "DELETE FROM sessions WHERE expires_at < now()"', 'mysql -e "DELETE FROM t WHERE 1=1 AND id = 7"', 'mongosh --eval "db.orders.deleteMany({ status: \'void\' })"'],
  },
);

export const updateAll = effectRule(
  'sql.update-all',
  'destructive',
  'Overwrites a column in every row: the UPDATE has no WHERE that limits it',
  ['update-all'],
  {
    gated: [
      ["psql -c \"UPDATE users SET email = 'test@example.com'\"", 'users'],
      ['cockroach sql --url "postgresql://root@crdb:26257/bank" -e "UPDATE accounts SET balance = 0"', 'accounts'],
    ],
    allowed: ["psql -c \"UPDATE users SET email = 'x@y.z' WHERE id = 42\"", 'psql -c "INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET n = 2"'],
  },
);

export const alterDrop = effectRule(
  'sql.alter-drop',
  'destructive',
  'Drops columns or partitions and the data in them (a dropped constraint only loses the check)',
  ['alter-drop'],
  {
    gated: [
      ['psql -c "ALTER TABLE users DROP COLUMN legacy_token"', 'users'],
      ['mysql app -e "ALTER TABLE orders DROP PARTITION p2019"', 'orders'],
      ['psql -c "ALTER TABLE ONLY public.orders DROP CONSTRAINT orders_user_id_fkey"', 'public.orders'],
    ],
    allowed: ['psql -c "ALTER TABLE users ADD COLUMN age int"', 'psql -c "ALTER TABLE users ALTER COLUMN name DROP NOT NULL"'],
  },
);

export const dropRole = effectRule(
  'sql.drop-role',
  'risky',
  'Drops database users or roles, locking out whoever logs in with them',
  ['drop-role'],
  {
    gated: [
      ['psql -c "DROP ROLE IF EXISTS reporting"', 'reporting'],
      ["mysql -e \"DROP USER 'app'@'%'\"", 'app@%'],
      ['dropuser -U postgres analyst', 'analyst'],
    ],
    allowed: ['psql -c "CREATE ROLE reporting"', 'psql -c "\\du"'],
  },
);

export const script = effectRule(
  'sql.script',
  'risky',
  'Runs a SQL script the guard cannot read against a database',
  ['script'],
  {
    gated: [
      ['psql -d shop -f migrations/20240101_cleanup.sql', 'migrations/20240101_cleanup.sql'],
      ['mysql -u root shop < backup.sql', 'backup.sql'],
      ['gunzip -c dump.sql.gz | psql shop', 'dump.sql.gz'],
      ['psql -c "\\i reset.sql"', 'reset.sql'],
    ],
    allowed: ['psql -c "SELECT 1" < /dev/null', "psql -c \"\\copy t FROM stdin csv\" < data.csv", 'cat schema.sql | grep users', 'psql shop'],
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Restores that drop what is there first.

const PG_RESTORE_SPEC: ArgSpec = { values: ['-d', '--dbname', '-f', '--file', '-F', '--format', '-h', '--host', '-p', '--port', '-U', '--username', '-j', '--jobs', '-n', '--schema', '-N', '--exclude-schema', '-t', '--table', '-T', '--trigger', '-I', '--index', '-P', '--function', '-L', '--use-list', '-S', '--superuser', '--role', '--section', '--filter'] };
const MONGORESTORE_SPEC: ArgSpec = { values: ['--uri', '-h', '--host', '--port', '-u', '--username', '-p', '--password', '-d', '--db', '-c', '--collection', '--nsInclude', '--nsExclude', '--nsFrom', '--nsTo', '--authenticationDatabase', '--authenticationMechanism', '-j', '--numParallelCollections', '--numInsertionWorkersPerCollection', '--dir', '--writeConcern', '--config'] };

export const restoreClean = defineRule({
  id: 'sql.restore-clean',
  severity: 'destructive',
  summary: 'Drops the existing tables or collections before restoring a backup over them',
  programs: ['pg_restore', 'mongorestore'],
  match(inv) {
    if (inv.program === 'pg_restore') {
      const a = inv.parsed(PG_RESTORE_SPEC);
      const dbname = a.value('-d', '--dbname');
      // Without -d, pg_restore only prints SQL.
      if (!a.has('-c', '--clean') || !dbname) return null;
      const database = connectionTarget(dbname).database ?? dbname;
      return { resource: database, ...(a.has('-C', '--create') ? { detail: 'drops and recreates the database named in the archive' } : {}) };
    }
    const a = parseArgs(withoutPasswords(inv.args, true), MONGORESTORE_SPEC);
    if (!a.has('--drop') || a.has('--dryRun')) return null;
    const uri = a.value('--uri') ?? a.positionals.find((p) => p.includes('://'));
    return { resource: a.value('-d', '--db') ?? (uri ? connectionTarget(uri).database : undefined) ?? a.value('--nsInclude') ?? 'mongorestore --drop' };
  },
  examples: {
    gated: [
      ['pg_restore --clean --if-exists -d shop latest.dump', 'shop'],
      ['pg_restore -c -d "postgresql://app@db:5432/orders" -j 4 orders.dump', 'orders'],
      ['mongorestore --drop --db app dump/app', 'app'],
    ],
    allowed: ['pg_restore -d shop latest.dump', 'pg_restore -c -f out.sql latest.dump', 'pg_restore -l latest.dump', 'mongorestore --drop --dryRun --db app dump/app'],
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Redis.

const REDIS_SPEC: ArgSpec = { values: ['-h', '-p', '-s', '-a', '-u', '-n', '-r', '-i', '-d', '-D', '-t', '--user', '--pass', '--cacert', '--cacertdir', '--cert', '--key', '--sni', '--tls-ciphers', '--tls-ciphersuites', '--rdb', '--pattern', '--quoted-pattern', '--count', '--eval', '--cluster', '--pipe-timeout', '--intrinsic-latency', '--memkeys-samples', '--functions-rdb', '--lru-test'] };
const REDIS_CLIS = ['redis-cli', 'valkey-cli', 'keydb-cli'];

/** The commands a redis-cli call sends: on its command line (`--cluster call` skips the node), or on stdin. */
function redisCommands(inv: Invocation, a: Args): string[][] {
  const cluster = a.value('--cluster');
  if (cluster !== undefined) return cluster === 'call' && a.positionals.length > 1 ? [a.positionals.slice(1)] : [];
  if (a.positionals.length) return [a.positionals];
  const text = stdinInput(inv)?.text ?? '';
  return text.split('\n').map((l) => l.trim().split(/\s+/).filter(Boolean)).filter((w) => w.length);
}

/** The server a call reaches: `--cluster call` names a node, else -h, the -u URL or the socket. */
function redisHost(a: Args): string {
  const uri = a.value('-u');
  if (a.value('--cluster') === 'call' && a.positionals[0]) return a.positionals[0];
  return a.value('-h') ?? (uri ? connectionTarget(uri).host : undefined) ?? a.value('-s') ?? 'localhost';
}

export const redisFlush = defineRule({
  id: 'sql.redis-flush',
  severity: 'catastrophic',
  summary: 'Deletes every key in a Redis database (FLUSHDB) or in all of them (FLUSHALL)',
  programs: REDIS_CLIS,
  match(inv) {
    const a = inv.parsed(REDIS_SPEC);
    const verbs = redisCommands(inv, a).map((c) => c[0].toUpperCase());
    const uri = a.value('-u');
    const host = redisHost(a);
    if (verbs.includes('FLUSHALL')) return { resource: host, detail: `FLUSHALL on ${host}` };
    if (!verbs.includes('FLUSHDB')) return null;
    const db = a.value('-n') ?? (uri ? connectionTarget(uri).database : undefined) ?? '0';
    return { resource: `db ${db}`, detail: `FLUSHDB on ${host}` };
  },
  examples: {
    gated: [
      ['redis-cli FLUSHALL', 'localhost'],
      ['redis-cli -h cache.prod.internal -a "$REDIS_PASSWORD" flushall async', 'cache.prod.internal'],
      ['redis-cli -n 2 flushdb', 'db 2'],
      ['echo FLUSHDB | redis-cli -u redis://default@cache:6379/3', 'db 3'],
    ],
    allowed: ['redis-cli ping', 'redis-cli get key', 'redis-cli --scan --pattern "session:*"', 'redis-cli info keyspace'],
  },
});

export const redisDelete = defineRule({
  id: 'sql.redis-delete',
  severity: 'risky',
  summary: 'Deletes Redis keys',
  programs: REDIS_CLIS,
  match(inv) {
    const a = inv.parsed(REDIS_SPEC);
    const keys = redisCommands(inv, a).filter((c) => ['DEL', 'UNLINK'].includes(c[0].toUpperCase())).flatMap((c) => c.slice(1));
    if (keys.length) return { resource: joinResources(keys) };
    if (!inv.argsFromStdin || !['del', 'unlink'].includes(a.positionals[0]?.toLowerCase())) return null;
    // `redis-cli --scan --pattern p | xargs redis-cli del`: the keys are whatever the pattern matches.
    const from = inv.pipeFrom && REDIS_CLIS.includes(inv.pipeFrom.program) ? inv.pipeFrom.parsed(REDIS_SPEC) : undefined;
    const pattern = from?.value('--pattern') ?? (from?.positionals[0]?.toLowerCase() === 'keys' ? from.positionals[1] : undefined);
    return { resource: pattern ?? 'keys from stdin', detail: 'keys arrive on stdin' };
  },
  examples: {
    gated: [
      ['redis-cli del session:42 session:43', 'session:42 session:43'],
      ['redis-cli --scan --pattern "cache:*" | xargs redis-cli del', 'cache:*'],
      ["redis-cli -n 1 KEYS 'tmp:*' | xargs -n 100 redis-cli -n 1 unlink", 'tmp:*'],
    ],
    allowed: ['redis-cli get session:42', 'redis-cli --scan --pattern "cache:*"', 'redis-cli ttl session:42'],
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Framework and migration tools that reset a database or run migrations backwards.

interface SchemaTask {
  /** The command as a person recognises it: `rails db:drop`, `prisma migrate reset`. */
  task: string;
  /** Resets or drops everything (true), or rolls back some migrations (false). */
  reset: boolean;
  /** A connection URL given on the command line. */
  url?: string;
  /** The task names the production environment, or a remote database. */
  production?: boolean;
  detail?: string;
}

const PRODUCTION_VARIABLES = ['RAILS_ENV', 'RACK_ENV', 'APP_ENV', 'MIX_ENV', 'NODE_ENV', 'FLASK_ENV', 'DJANGO_ENV'];
const isProductionName = (v: string | undefined) => v === 'production' || v === 'prod';

/** A task word found after the tool's options, or undefined. */
function taskAfter(a: Args, ...path: string[]): string | undefined {
  return path.every((w, i) => a.positionals[i] === w) ? a.positionals[path.length] : undefined;
}

const SCHEMA_TOOLS: Record<string, (inv: Invocation) => SchemaTask | null> = {
  prisma(inv) {
    const a = inv.parsed({ values: ['--schema', '--url', '--config'] });
    if (taskAfter(a, 'migrate') === 'reset') return { task: 'prisma migrate reset', reset: true };
    if (taskAfter(a, 'db') === 'push' && a.has('--force-reset', '--accept-data-loss')) {
      return { task: 'prisma db push', reset: true, detail: a.has('--force-reset') ? 'drops the database and recreates it from the schema' : 'applies changes that lose data without asking' };
    }
    return null;
  },
  rails: railsTasks,
  rake: railsTasks,
  python: djangoTasks,
  python3: djangoTasks,
  py: djangoTasks,
  'manage.py': djangoTasks,
  'django-admin': djangoTasks,
  supabase(inv) {
    const a = inv.parsed({ values: ['--db-url', '--version', '--workdir', '--project-ref', '-o', '--output', '--profile'] });
    if (taskAfter(a, 'db') !== 'reset') return null;
    const remote = a.has('--linked', '--db-url');
    return { task: 'supabase db reset', reset: true, url: a.value('--db-url'), production: remote, ...(remote ? { detail: 'resets a remote database, not the local one' } : {}) };
  },
  sequelize: sequelizeTasks,
  'sequelize-cli': sequelizeTasks,
  knex(inv) {
    const a = inv.parsed({ values: ['--knexfile', '--cwd', '--env', '--specific', '--migrations-directory', '--migrations-table-name', '--client', '--connection'] });
    const task = a.positionals[0];
    if (task !== 'migrate:rollback' && task !== 'migrate:down') return null;
    return { task: `knex ${task}`, reset: task === 'migrate:rollback' && a.has('--all'), production: isProductionName(a.value('--env')) };
  },
  typeorm: typeormTasks,
  'typeorm-ts-node-commonjs': typeormTasks,
  'typeorm-ts-node-esm': typeormTasks,
  'drizzle-kit'(inv) {
    const a = inv.parsed({ values: ['--config', '--dialect', '--schema', '--url', '--out', '--host', '--port', '--user', '--password', '--database'] });
    if (a.positionals[0] !== 'push' || !a.has('--force')) return null;
    return { task: 'drizzle-kit push --force', reset: true, url: a.value('--url'), detail: 'applies data-loss statements (drops, truncates) without asking' };
  },
  php: artisanTasks,
  sail: artisanTasks,
  mix(inv) {
    const a = inv.parsed({ values: ['-r', '--repo', '--to', '--step', '-n'] });
    const task = a.positionals[0];
    if (task === 'ecto.drop' || task === 'ecto.reset') return { task: `mix ${task}`, reset: true };
    if (task === 'ecto.rollback') return { task: 'mix ecto.rollback', reset: a.has('--all') };
    return null;
  },
  alembic(inv) {
    const at = inv.args.indexOf('downgrade');
    if (at < 0 || inv.args.includes('--sql')) return null;
    const revision = inv.args.slice(at + 1).find((x) => !x.startsWith('--')) ?? '';
    return { task: `alembic downgrade ${revision}`.trim(), reset: revision === 'base' };
  },
  flask(inv) {
    const a = inv.parsed({ values: ['--app', '-A', '--env-file', '-e'] });
    if (taskAfter(a, 'db') !== 'downgrade' || inv.args.includes('--sql')) return null;
    const revision = inv.args.slice(inv.args.indexOf('downgrade') + 1).find((x) => !x.startsWith('--'));
    return { task: `flask db downgrade${revision ? ` ${revision}` : ''}`, reset: revision === 'base' };
  },
  dotnet: efTasks,
  'dotnet-ef': efTasks,
  goose(inv) {
    const a = inv.parsed({ singleDashLong: true, values: ['-dir', '-table', '-certfile', '-ssl-cert', '-ssl-key', '-env'] });
    const at = a.positionals.findIndex((p) => ['reset', 'down', 'down-to'].includes(p));
    if (at < 0) return null;
    const task = a.positionals[at];
    return { task: `goose ${task}`, reset: task === 'reset' || (task === 'down-to' && a.positionals[at + 1] === '0'), url: at >= 2 ? a.positionals[at - 1] : undefined };
  },
  migrate(inv) {
    const a = inv.parsed({ singleDashLong: true, values: ['-path', '-database', '-source', '-lock-timeout', '-prefetch'] });
    // Only golang-migrate's shape: a bare `migrate` could be any project's script.
    if (!a.has('-database', '-path', '-source')) return null;
    const [task, count] = a.positionals;
    if (task !== 'drop' && task !== 'down') return null;
    return { task: `migrate ${task}`, reset: task === 'drop' || !/^\d+$/.test(count ?? ''), url: a.value('-database') };
  },
  dbmate(inv) {
    const a = inv.parsed({ values: ['-u', '--url', '-e', '--env', '-d', '--migrations-dir', '-s', '--schema-file', '--migrations-table', '--wait-timeout'] });
    const task = a.positionals[0];
    if (task === 'drop') return { task: 'dbmate drop', reset: true, url: a.value('-u', '--url') };
    if (task === 'rollback' || task === 'down') return { task: `dbmate ${task}`, reset: false, url: a.value('-u', '--url') };
    return null;
  },
  flyway(inv) {
    const a = inv.parsed({ singleDashLong: true });
    return a.positionals.includes('clean') ? { task: 'flyway clean', reset: true, url: a.value('-url'), detail: 'drops every object in the configured schemas' } : null;
  },
  liquibase(inv) {
    const a = inv.parsed({ values: ['--url', '--changelog-file', '--changeLogFile', '--username', '--password', '--defaults-file', '--count', '--tag', '--date'] });
    const task = a.positionals[0] ?? '';
    const url = a.value('--url');
    if (/^drop-?all$/i.test(task)) return { task: `liquibase ${task}`, reset: true, url };
    // rollback-sql and friends only print the SQL.
    if (/^rollback/i.test(task) && !/sql$/i.test(task)) return { task: `liquibase ${task}`, reset: false, url };
    return null;
  },
};

const RAILS_RESETS = /^db:(drop|purge|reset|schema:load|structure:load|migrate:reset|truncate_all|seed:replant)(:[\w-]+)?$/;
const RAILS_ROLLBACKS = /^db:(rollback|migrate:down|migrate:redo)(:[\w-]+)?$/;

function railsTasks(inv: Invocation): SchemaTask | null {
  const a = inv.parsed({ values: ['-e', '--environment', '-f', '--rakefile', '-C', '--directory', '-I', '--libdir', '-r', '--require'] });
  if (a.has('-n', '--dry-run', '-T', '--tasks', '-P', '--prereqs')) return null;
  const task = a.positionals.find((p) => RAILS_RESETS.test(p)) ?? a.positionals.find((p) => RAILS_ROLLBACKS.test(p));
  if (!task) return null;
  const production = isProductionName(a.value('-e', '--environment')) || a.positionals.some((p) => /^(RAILS|RACK)_ENV=(production|prod)$/.test(p));
  return { task: `${inv.program} ${task}`, reset: RAILS_RESETS.test(task), production };
}

function djangoTasks(inv: Invocation): SchemaTask | null {
  const script = ['manage.py', 'django-admin'].includes(inv.program) ? -1 : inv.args.findIndex((x) => basename(x) === 'manage.py');
  if (script < 0 && !['manage.py', 'django-admin'].includes(inv.program)) return null;
  const a = parseArgs(inv.args.slice(script + 1), { values: ['--settings', '--pythonpath', '--database', '-v', '--verbosity', '--skip-checks'] });
  const [command, app, target] = a.positionals;
  const alias = a.value('--database');
  const detail = alias ? `database alias ${alias}` : undefined;
  if (command === 'flush' || command === 'reset_db') return { task: `manage.py ${command}`, reset: true, detail };
  // `migrate app zero` unapplies every migration of the app, dropping its tables.
  if (command === 'migrate' && target === 'zero' && !a.has('--plan', '--fake')) return { task: `manage.py migrate ${app} zero`, reset: true, detail };
  return null;
}

function sequelizeTasks(inv: Invocation): SchemaTask | null {
  const a = inv.parsed({ values: ['--env', '--config', '--url', '--to', '--name', '--migrations-path', '--seeders-path', '--models-path', '--options-path', '--seed'] });
  const task = a.positionals[0];
  const base = { url: a.value('--url'), production: isProductionName(a.value('--env')) };
  if (task === 'db:drop' || (task === 'db:migrate:undo:all' && !a.has('--to'))) return { task: `sequelize ${task}`, reset: true, ...base };
  if (task === 'db:migrate:undo' || task === 'db:migrate:undo:all' || task === 'db:seed:undo' || task === 'db:seed:undo:all') return { task: `sequelize ${task}`, reset: false, ...base };
  return null;
}

function typeormTasks(inv: Invocation): SchemaTask | null {
  const task = inv.parsed({ values: ['-d', '--dataSource', '--config', '-c', '--connection'] }).positionals[0];
  if (task === 'schema:drop') return { task: 'typeorm schema:drop', reset: true };
  if (task === 'migration:revert') return { task: 'typeorm migration:revert', reset: false };
  return null;
}

const ARTISAN_RESETS = ['migrate:fresh', 'migrate:reset', 'migrate:refresh', 'db:wipe'];

function artisanTasks(inv: Invocation): SchemaTask | null {
  const a = inv.parsed({ values: ['--env', '--database', '--path', '--step', '--seeder', '--realpath'] });
  const at = a.positionals.findIndex((p) => basename(p) === 'artisan');
  const task = at >= 0 ? a.positionals[at + 1] : undefined;
  if (!task || a.has('--pretend')) return null;
  const production = isProductionName(a.value('--env'));
  if (ARTISAN_RESETS.includes(task)) return { task: `artisan ${task}`, reset: true, production };
  if (task === 'migrate:rollback') return { task: 'artisan migrate:rollback', reset: false, production };
  return null;
}

function efTasks(inv: Invocation): SchemaTask | null {
  const a = inv.parsed({ values: ['-p', '--project', '-s', '--startup-project', '-c', '--context', '--connection', '--configuration', '--framework', '--runtime', '--msbuildprojectextensionspath'] });
  const words = inv.program === 'dotnet' ? a.positionals.slice(1) : a.positionals;
  if (inv.program === 'dotnet' && a.positionals[0] !== 'ef') return null;
  if (words[0] !== 'database' || a.has('--dry-run')) return null;
  if (words[1] === 'drop') return { task: 'dotnet ef database drop', reset: true };
  // Updating to migration 0 reverts every migration.
  if (words[1] === 'update' && words[2] === '0') return { task: 'dotnet ef database update 0', reset: true };
  return null;
}

/** The task, with the database it resets when the environment or the command line names one. */
function schemaTask(inv: Invocation): (SchemaTask & { resource: string; production: boolean }) | null {
  if (inv.args.includes('--help')) return null;
  const t = SCHEMA_TOOLS[inv.program]?.(inv);
  if (!t) return null;
  const url = t.url ?? inv.env.DATABASE_URL;
  const database = url ? connectionTarget(url).database : undefined;
  const production = !!t.production || PRODUCTION_VARIABLES.some((v) => isProductionName(inv.env[v]));
  return { ...t, resource: database ?? t.task, production };
}

/** Production (or a remote database) raises the rule's severity one step. */
function schemaMatch(t: NonNullable<ReturnType<typeof schemaTask>>, raised: Severity): RuleMatch {
  const said = [t.task, t.detail, t.production ? 'against production' : undefined].filter(Boolean).join(': ');
  return { resource: t.resource, detail: said, ...(t.production ? { severity: raised } : {}) };
}

export const frameworkReset = defineRule({
  id: 'sql.framework-reset',
  severity: 'destructive',
  summary: "Drops or wipes the app's database through its framework, losing all its data",
  programs: Object.keys(SCHEMA_TOOLS),
  match(inv) {
    const t = schemaTask(inv);
    return t?.reset ? schemaMatch(t, 'catastrophic') : null;
  },
  examples: {
    gated: [
      ['npx prisma migrate reset --force', 'prisma migrate reset'],
      ['DATABASE_URL="postgresql://app:s3cret@db.internal:5432/shop" npx prisma migrate reset', 'shop'],
      ['npx prisma db push --force-reset', 'prisma db push'],
      ['bundle exec rails db:drop db:create db:migrate', 'rails db:drop'],
      ['bin/rake db:schema:load', 'rake db:schema:load'],
      ['python manage.py flush --noinput', 'manage.py flush'],
      ['supabase db reset --linked', 'supabase db reset'],
      ['php artisan migrate:fresh --seed', 'artisan migrate:fresh'],
      ['mix ecto.reset', 'mix ecto.reset'],
      ['alembic downgrade base', 'alembic downgrade base'],
      ['npx knex migrate:rollback --all', 'knex migrate:rollback'],
      ['flyway -url=jdbc:postgresql://db:5432/billing clean', 'billing'],
    ],
    allowed: ['npx prisma migrate dev', 'rails db:migrate', 'python manage.py migrate', 'php artisan migrate:fresh --pretend', 'npx drizzle-kit drop', 'alembic downgrade base --sql', 'rails db:drop --help'],
  },
});

export const migrationRollback = defineRule({
  id: 'sql.migration-rollback',
  severity: 'risky',
  summary: 'Runs migrations backwards, which can drop the tables and columns they created',
  programs: Object.keys(SCHEMA_TOOLS),
  match(inv) {
    const t = schemaTask(inv);
    return t && !t.reset ? schemaMatch(t, 'destructive') : null;
  },
  examples: {
    gated: [
      ['rails db:rollback STEP=3', 'rails db:rollback'],
      ['alembic downgrade -1', 'alembic downgrade -1'],
      ['npx sequelize-cli db:migrate:undo', 'sequelize db:migrate:undo'],
      ['php artisan migrate:rollback --step=2', 'artisan migrate:rollback'],
    ],
    allowed: ['rails db:migrate:status', 'alembic upgrade head', 'npx typeorm migration:run -d src/data-source.ts'],
  },
});

export const sqliteRestore = defineRule({
  id: 'sql.sqlite-restore',
  severity: 'destructive',
  summary: 'Overwrites a whole SQLite database with a backup file (`.restore`), losing what it holds now',
  programs: ['sqlite3'],
  match(inv) {
    const texts = [...inv.args, inv.stdin ?? ''];
    const restores = texts.some((t) => t.split(/\n|;/).some((line) => /^\s*\.restore\b/.test(line)));
    if (!restores) return null;
    const db = inv.args.find((a) => !a.startsWith('-') && !a.trim().startsWith('.'));
    return { resource: db ?? 'main database' };
  },
  examples: {
    gated: [['sqlite3 app.db ".restore old.db"', 'app.db'], ["sqlite3 data/shop.sqlite <<'EOF'\n.restore backup.sqlite\nEOF", 'data/shop.sqlite']],
    allowed: ['sqlite3 app.db ".backup copy.db"', 'sqlite3 app.db ".tables"'],
  },
});
