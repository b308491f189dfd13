// SQL and database CLIs: DROP, TRUNCATE, DELETE/UPDATE without WHERE, dropdb, FLUSHALL, dropDatabase, ORM resets.

import { ArgSpec, Args, parseArgs } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { connectionTarget, withoutPasswords } from '../sql/connection';
import { DATABASE_PROGRAMS, databaseWork, stdinInput } from '../sql/databaseWork';
import type { EffectKind } from '../sql/statements';
import { SCHEMA_TOOLS, schemaTask } from '../sql/schemaTasks';
import { maxSeverity, Severity } from '../types';
import { defineRule, GatedExample, joinResources, RuleMatch } from './rule';

// ---------------------------------------------------------------------------------------------------------------
// What SQL clients, the mongo shell and admin tools would do (read in ../sql/databaseWork.ts): one rule per effect.

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
