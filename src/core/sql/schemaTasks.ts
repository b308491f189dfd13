// Framework and migration tools that reset a database or run migrations backwards: which task a command runs, whether
// it wipes everything or rolls some migrations back, and whether it aims at production or a remote database.

import { parseArgs, type Args } from '../parse/args';
import { basename, type Invocation } from '../parse/invocation';
import { connectionTarget } from './connection';
import { own } from '../own';

export interface SchemaTask {
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

export const SCHEMA_TOOLS: Record<string, (inv: Invocation) => SchemaTask | null> = {
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
export function schemaTask(inv: Invocation): (SchemaTask & { resource: string; production: boolean }) | null {
  if (inv.args.includes('--help')) return null;
  const t = own(SCHEMA_TOOLS, inv.program)?.(inv);
  if (!t) return null;
  const url = t.url ?? inv.env.DATABASE_URL;
  const database = url ? connectionTarget(url).database : undefined;
  const production = !!t.production || PRODUCTION_VARIABLES.some((v) => isProductionName(inv.env[v]));
  return { ...t, resource: database ?? t.task, production };
}
