// The programs that send SQL to a database, and what each one's arguments mean: which options carry SQL, a script
// file, the database, the host or a connection URL, and when the program reads SQL on stdin.

import type { ArgSpec } from '../parse/args';
import type { Dialect } from './tokens';

export interface SqlClient {
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
export const SQL_CLIENTS: Record<string, SqlClient> = {
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
