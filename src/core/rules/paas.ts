// PaaS CLIs (railway, heroku, fly, vercel, netlify, supabase, firebase, wrangler): app, database and volume destruction.
//
// Each CLI's command is read once into a Removal (what kind of thing goes, its name, how bad), and one rule per kind
// decides, so a person reads the same words for `railway volume delete` and `fly volumes destroy`.

import { ArgSpec, Args } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import type { Severity } from '../types';
import { defineRule, GatedExample, joinResources, standIn } from './rule';
import { own } from '../own';

type Kind = 'project' | 'database' | 'data' | 'volume' | 'deployment' | 'config';

interface Removal {
  kind: Kind;
  resource: string;
  severity?: Severity;
  detail?: string;
}

const CATASTROPHIC = 'catastrophic' as const;
const DELETE_VERBS = new Set(['delete', 'remove', 'rm', 'destroy']);

/** The names given, else the value of the first option present (in the order listed), else the command word and target. */
function named(inv: Invocation, a: Args, names: readonly (string | undefined)[], options: readonly string[], target: string): string {
  const given = names.filter((n): n is string => !!n);
  if (given.length) return joinResources(given);
  for (const option of options) {
    const v = a.value(option);
    if (v !== undefined) return v;
  }
  return standIn(inv, target);
}

// ---------------------------------------------------------------------------------------------------------------
// railway

const RAILWAY_ARGS: ArgSpec = { values: ['-s', '--service', '-e', '--environment', '-p', '--project', '-v', '--volume', '-b', '--bucket', '--2fa-code'] };
const RAILWAY_ALIASES: Record<string, string> = { env: 'environment', variables: 'variable', vars: 'variable', var: 'variable' };

function railwayRemoval(inv: Invocation): Removal | null {
  const a = inv.parsed(RAILWAY_ARGS);
  if (a.has('--help', '-h')) return null;
  const [first, verb, name] = a.positionals;
  const noun = own(RAILWAY_ALIASES, first) ?? first;
  if (noun === 'delete' || (noun === 'project' && DELETE_VERBS.has(verb))) {
    return { kind: 'project', resource: named(inv, a, [], ['-p', '--project'], 'project'), detail: 'every environment, service, database and volume in it' };
  }
  if (noun === 'down') return { kind: 'deployment', resource: named(inv, a, [], ['-s', '--service'], 'down'), severity: 'risky', detail: 'removes the latest deployment' };
  if (!DELETE_VERBS.has(verb)) return null;
  switch (noun) {
    case 'environment':
      return { kind: 'project', resource: named(inv, a, [name], ['-e', '--environment'], 'environment'), detail: 'every service, database and volume in the environment' };
    case 'volume':
      return { kind: 'volume', resource: named(inv, a, [], ['-v', '--volume'], 'volume'), severity: CATASTROPHIC, detail: "a Railway volume's backups are deleted with it" };
    case 'service':
      return { kind: 'deployment', resource: named(inv, a, [], ['-s', '--service'], 'service'), detail: 'the service and all its deployments' };
    case 'bucket':
      return { kind: 'data', resource: named(inv, a, [], ['-b', '--bucket'], 'bucket'), detail: 'the bucket and every object in it' };
    case 'variable':
      return name ? { kind: 'config', resource: name } : null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// heroku

const HEROKU_ARGS: ArgSpec = { values: ['-a', '--app', '-r', '--remote', '--confirm', '-t', '--team'] };

/** A topic command (`pg:reset`) with its invocation, parsed flags and the words after it. */
interface TopicCall {
  inv: Invocation;
  a: Args;
  args: string[];
}

type TopicCommand = (c: TopicCall) => Removal | null;

/** The app a command acts on: -a/--app, else the --confirm answer (which Heroku checks is the app), else the first argument. */
function herokuApp(inv: Invocation, a: Args, args: string[], command: string): string {
  return a.value('-a', '--app') ?? a.value('--confirm') ?? args[0] ?? standIn(inv, command);
}

const unsetVariables: TopicCommand = ({ args }) => (args.length ? { kind: 'config', resource: joinResources(args) } : null);

const destroyApp: TopicCommand = ({ inv, a, args }) => ({ kind: 'project', resource: herokuApp(inv, a, args, 'apps:destroy'), detail: 'its dynos, add-ons and databases' });

const deleteBackup: TopicCommand = ({ inv, args }) => ({ kind: 'database', resource: args[0] ?? standIn(inv, 'pg:backups:delete'), severity: 'destructive', detail: 'a database backup' });
const destroyAddon: TopicCommand = ({ inv, args }) => ({ kind: 'database', resource: args.length ? joinResources(args) : standIn(inv, 'addons:destroy'), severity: 'destructive', detail: 'a database add-on takes its data with it' });

const HEROKU_COMMANDS: Record<string, TopicCommand> = {
  'apps:destroy': destroyApp,
  'apps:delete': destroyApp,
  destroy: destroyApp,
  'pg:reset': ({ inv, a, args }) => ({ kind: 'database', resource: herokuApp(inv, a, args, 'pg:reset'), detail: `${args[0] ?? 'the database'}: every table dropped` }),
  'pg:backups:delete': deleteBackup,
  'pg:backups:destroy': deleteBackup,
  'pg:backups:restore': ({ inv, a }) => ({ kind: 'database', resource: herokuApp(inv, a, [], 'pg:backups:restore'), severity: 'destructive', detail: "replaces the database's current data with the backup" }),
  'pg:copy': ({ inv, args }) => ({ kind: 'database', resource: args[1] ?? standIn(inv, 'pg:copy'), severity: 'destructive', detail: "replaces the target database's data with the source's" }),
  'addons:destroy': destroyAddon,
  'addons:remove': destroyAddon,
  'config:unset': unsetVariables,
  'config:remove': unsetVariables,
};

/** `apps:destroy`, or the same command spelled with spaces (`apps destroy`). */
function topicCommand<T>(table: Record<string, T>, words: string[]): { command: T; args: string[] } | null {
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const command = own(table, words.slice(0, n).join(':'));
    if (command) return { command, args: words.slice(n) };
  }
  return null;
}

function herokuRemoval(inv: Invocation): Removal | null {
  const a = inv.parsed(HEROKU_ARGS);
  if (a.has('--help', '-h')) return null;
  const found = topicCommand(HEROKU_COMMANDS, a.positionals);
  return found ? found.command({ inv, a, args: found.args }) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// fly

const FLY_ARGS: ArgSpec = { values: ['-a', '--app', '-c', '--config', '-t', '--access-token', '-r', '--region', '-o', '--org'] };
const FLY_ALIASES: Record<string, string> = { app: 'apps', volume: 'volumes', vol: 'volumes', machines: 'machine', m: 'machine', secret: 'secrets', 'managed-postgres': 'mpg' };

function flyRemoval(inv: Invocation): Removal | null {
  const a = inv.parsed(FLY_ARGS);
  if (a.has('--help', '-h')) return null;
  const [first, verb, ...names] = a.positionals;
  const noun = own(FLY_ALIASES, first) ?? first;
  if (noun === 'destroy') {
    return { kind: 'project', resource: named(inv, a, [verb, ...names], ['-a', '--app'], 'destroy'), detail: 'its machines and volumes, and with them their snapshots' };
  }
  if (noun === 'secrets' && verb === 'unset' && names.length) return { kind: 'config', resource: joinResources(names) };
  if (!DELETE_VERBS.has(verb)) return null;
  switch (noun) {
    case 'apps':
      return { kind: 'project', resource: named(inv, a, names, ['-a', '--app'], 'apps'), detail: 'its machines and volumes, and with them their snapshots' };
    case 'volumes':
      return names.length ? { kind: 'volume', resource: joinResources(names), detail: 'its snapshots are kept for their retention period' } : null;
    case 'machine':
      return names.length ? { kind: 'deployment', resource: joinResources(names), severity: 'risky' } : null;
    case 'mpg':
      return { kind: 'database', resource: named(inv, a, names, [], 'mpg'), detail: 'the managed Postgres cluster and all its data' };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// vercel, netlify

const VERCEL_ARGS: ArgSpec = { values: ['-t', '--token', '-S', '--scope', '--cwd', '-A', '--local-config', '-Q', '--global-config', '-T', '--team'] };

/** A deployment URL or id, rather than a project name. */
const isDeployment = (name: string) => name.includes('.') || name.startsWith('dpl_') || name.startsWith('https://');

function vercelRemoval(inv: Invocation): Removal | null {
  const a = inv.parsed(VERCEL_ARGS);
  if (a.has('--help', '-h')) return null;
  const [command, ...rest] = a.positionals;
  if ((command === 'remove' || command === 'rm') && rest.length) {
    if (rest.every(isDeployment)) return { kind: 'deployment', resource: joinResources(rest), severity: 'risky', detail: 'those deployments only' };
    return { kind: 'project', resource: joinResources(rest), severity: 'destructive', detail: 'the project and all its deployments' };
  }
  const [verb, name, environment] = rest;
  if (!name || (verb !== 'rm' && verb !== 'remove')) return null;
  if (command === 'project' || command === 'projects') return { kind: 'project', resource: name, severity: 'destructive', detail: 'the project, its deployments, domains and environment variables' };
  if (command === 'env') return { kind: 'config', resource: name, detail: environment ? `in ${environment}` : undefined };
  if (command === 'domains' || command === 'domain') return { kind: 'deployment', resource: name, severity: 'risky', detail: 'the site stops being served on this domain' };
  return null;
}

const NETLIFY_ARGS: ArgSpec = { values: ['--auth', '--site', '--filter', '--context', '--scope'] };

const NETLIFY_COMMANDS: Record<string, TopicCommand> = {
  'sites:delete': ({ inv, a, args }) => ({ kind: 'project', resource: named(inv, a, [args[0]], ['--site'], 'sites:delete'), severity: 'destructive', detail: 'the site, its deploys and its form submissions' }),
  'env:unset': unsetVariables,
  'env:delete': unsetVariables,
  'env:remove': unsetVariables,
};

function netlifyRemoval(inv: Invocation): Removal | null {
  const a = inv.parsed(NETLIFY_ARGS);
  if (a.has('--help', '-h')) return null;
  const found = topicCommand(NETLIFY_COMMANDS, a.positionals);
  return found ? found.command({ inv, a, args: found.args }) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// supabase

const SUPABASE_ARGS: ArgSpec = { values: ['--project-ref', '--db-url', '--workdir', '-o', '--output', '--profile', '--schema', '-s', '--password', '-p', '--network-id', '--version'] };

/** `supabase db reset`, local or remote, is the sql family's (sql.framework-reset); the rest of the CLI is here. */
function supabaseRemoval(inv: Invocation): Removal | null {
  const a = inv.parsed(SUPABASE_ARGS);
  if (a.has('--help', '-h')) return null;
  const [group, verb, ...names] = a.positionals;
  if (group === 'projects' && verb === 'delete') return { kind: 'project', resource: named(inv, a, names, ['--project-ref'], 'projects delete'), detail: 'its database, storage and backups' };
  if (group === 'branches' && verb === 'delete') return { kind: 'project', resource: named(inv, a, names, [], 'branches delete'), severity: 'destructive', detail: 'the preview branch and its database' };
  if (group === 'functions' && verb === 'delete' && names.length) return { kind: 'deployment', resource: joinResources(names) };
  if (group === 'secrets' && verb === 'unset' && names.length) return { kind: 'config', resource: joinResources(names) };
  if (group === 'storage' && verb === 'rm' && names.length && !a.has('--local')) {
    return a.has('-r', '--recursive') ? { kind: 'data', resource: joinResources(names), detail: 'every object under these paths' } : { kind: 'data', resource: joinResources(names), severity: 'risky' };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// firebase

const FIREBASE_ARGS: ArgSpec = { values: ['-P', '--project', '--token', '--account', '--config', '--instance', '--database', '--only', '--except', '--site', '--region'] };

function firestoreDelete(inv: Invocation, a: Args, path: string | undefined): Removal | null {
  // The emulator's data is a local scratch copy.
  if (inv.env.FIRESTORE_EMULATOR_HOST) return null;
  if (a.has('--all-collections')) {
    return { kind: 'database', resource: named(inv, a, [], ['--database', '-P', '--project'], 'firestore:delete'), detail: 'every collection and document in the database' };
  }
  if (!path) return null;
  const segments = path.split('/').filter(Boolean).length;
  if (a.has('-r', '--recursive')) return { kind: 'data', resource: path, detail: 'and every subcollection under it' };
  // An even number of segments names a document (users/42), an odd one a collection (users).
  return segments > 0 && segments % 2 === 0 ? { kind: 'data', resource: path, severity: 'risky' } : { kind: 'data', resource: path, detail: 'every document in the collection' };
}

function firebaseRemoval(inv: Invocation): Removal | null {
  const a = inv.parsed(FIREBASE_ARGS);
  if (a.has('--help', '-h')) return null;
  const [command, ...args] = a.positionals;
  switch (command) {
    case 'firestore:delete':
      return firestoreDelete(inv, a, args[0]);
    case 'firestore:databases:delete':
      return { kind: 'database', resource: named(inv, a, [args[0]], ['--database'], command), detail: 'the whole database' };
    case 'database:remove':
      if (inv.env.FIREBASE_DATABASE_EMULATOR_HOST || !args[0]) return null;
      return args[0] === '/' ? { kind: 'database', resource: named(inv, a, [], ['--instance', '-P', '--project'], command), detail: 'the whole Realtime Database' } : { kind: 'data', resource: args[0] };
    case 'functions:delete':
      return args.length ? { kind: 'deployment', resource: joinResources(args) } : null;
    case 'projects:delete':
      return { kind: 'project', resource: named(inv, a, [args[0]], ['-P', '--project'], command), detail: 'the Firebase and Google Cloud project and every resource in it' };
    case 'hosting:disable':
      return { kind: 'deployment', resource: named(inv, a, [], ['--site', '-P', '--project'], command), severity: 'risky', detail: 'the site stops serving traffic' };
    case 'hosting:sites:delete':
      return args[0] ? { kind: 'project', resource: args[0], severity: 'destructive', detail: 'the Hosting site and its releases' } : null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// wrangler

const WRANGLER_ARGS: ArgSpec = {
  values: ['-c', '--config', '-e', '--env', '--cwd', '--name', '--namespace-id', '--binding', '--command', '--file', '--env-file', '--jurisdiction', '--account-id', '--preview-id'],
};

/** `d1 execute --command` is read by the sql family, which classifies the statements themselves. */
function wranglerRemoval(inv: Invocation): Removal | null {
  const a = inv.parsed(WRANGLER_ARGS);
  if (a.has('--help', '-h')) return null;
  // Wrangler 2 spelled groups with a colon: kv:namespace, kv:key.
  const words = a.positionals.flatMap((w, i) => (i === 0 ? w.split(':') : [w]));
  const [group, sub, verb, name] = words;
  const local = a.has('--local');
  if (group === 'delete') return { kind: 'deployment', resource: named(inv, a, [sub], ['--name'], 'delete'), detail: 'the Worker and its routes' };
  if (group === 'secret' && sub === 'delete' && verb) return { kind: 'config', resource: verb };
  if (group === 'queues' && sub === 'delete' && verb) return { kind: 'data', resource: verb, detail: 'the queue and its unread messages' };
  if (group === 'd1' && sub === 'delete' && verb) return { kind: 'database', resource: verb, detail: 'the D1 database and its Time Travel history' };
  if (verb !== 'delete' || local) return null;
  if (group === 'r2' && sub === 'bucket' && name) return { kind: 'data', resource: name, detail: 'the R2 bucket' };
  if (group === 'r2' && sub === 'object' && name) return { kind: 'data', resource: name, severity: 'risky' };
  if (group === 'kv' && sub === 'namespace') return { kind: 'data', resource: named(inv, a, [name], ['--namespace-id', '--binding'], 'kv namespace'), detail: 'the namespace and every key in it' };
  if (group === 'kv' && sub === 'key' && name) return { kind: 'data', resource: name, severity: 'risky' };
  if (group === 'kv' && sub === 'bulk' && name) return { kind: 'data', resource: name, detail: 'every key listed in the file' };
  if (group === 'pages' && sub === 'project' && name) return { kind: 'project', resource: name, severity: 'destructive', detail: 'the Pages project and its deployments' };
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// The rules

const READERS: Record<string, (inv: Invocation) => Removal | null> = {
  railway: railwayRemoval,
  heroku: herokuRemoval,
  fly: flyRemoval,
  flyctl: flyRemoval,
  vercel: vercelRemoval,
  netlify: netlifyRemoval,
  'netlify-cli': netlifyRemoval,
  supabase: supabaseRemoval,
  firebase: firebaseRemoval,
  'firebase-tools': firebaseRemoval,
  wrangler: wranglerRemoval,
};

const PAAS_CLIS = Object.keys(READERS);

function removalRule(id: string, severity: Severity, summary: string, kind: Kind, examples: { gated: GatedExample[]; allowed: string[] }) {
  return defineRule({
    id,
    severity,
    summary,
    programs: PAAS_CLIS,
    match(inv) {
      const r = own(READERS, inv.program)?.(inv);
      if (!r || r.kind !== kind) return null;
      return { resource: r.resource, severity: r.severity, detail: r.detail };
    },
    examples,
  });
}

export const projectDelete = removalRule('paas.project-delete', 'catastrophic', 'Deletes a whole app, project, site or environment, with its deployments and data', 'project', {
  gated: [
    ['railway delete -p acme-prod --yes', 'acme-prod'],
    ['railway environment delete staging --yes', 'staging'],
    ['heroku apps:destroy -a acme-api --confirm acme-api', 'acme-api'],
    ['fly apps destroy acme-db -y', 'acme-db'],
    ['supabase projects delete abcdefghijklmnopqrst', 'abcdefghijklmnopqrst'],
    ['vercel projects rm acme-web', 'acme-web'],
    ['netlify sites:delete 1a2b3c4d --force', '1a2b3c4d'],
    ['firebase projects:delete prod-project', 'prod-project'],
  ],
  allowed: ['railway list', 'heroku apps:info -a acme-api', 'fly apps list', 'vercel projects ls', 'railway environment new staging'],
});

export const databaseDelete = removalRule('paas.database-delete', 'catastrophic', 'Erases, overwrites or deletes a hosted database or its backups', 'database', {
  gated: [
    ['heroku pg:reset DATABASE_URL -a acme-api --confirm acme-api', 'acme-api'],
    ['heroku pg:backups:delete b101 -a acme-api --confirm acme-api', 'b101'],
    ['heroku addons:destroy heroku-postgresql -a acme-api', 'heroku-postgresql'],
    ['heroku pg:backups:restore b101 DATABASE_URL -a acme-api --confirm acme-api', 'acme-api'],
    ['firebase firestore:databases:delete staging-db -P acme-prod --force', 'staging-db'],
    ['firebase firestore:delete --all-collections -P acme-prod -f', 'acme-prod'],
    ['wrangler d1 delete prod-db -y', 'prod-db'],
    ['fly mpg destroy 4k9p2x -y', '4k9p2x'],
  ],
  allowed: ['heroku pg:info -a acme-api', 'heroku pg:backups:capture -a acme-api', 'supabase db push --linked', 'supabase db dump --linked -f schema.sql', 'wrangler d1 list'],
});

export const dataDelete = removalRule('paas.data-delete', 'destructive', 'Deletes stored data: documents, objects, keys, queue messages or table rows', 'data', {
  gated: [
    ['firebase firestore:delete users -r -P acme-prod', 'users'],
    ['firebase firestore:delete users/42 -P acme-prod', 'users/42'],
    ['firebase database:remove /sessions -f', '/sessions'],
    ['wrangler r2 bucket delete acme-uploads', 'acme-uploads'],
    ['wrangler kv namespace delete --namespace-id 0f2ac74b498b48028cb68387c421e279', '0f2ac74b498b48028cb68387c421e279'],
    ['supabase storage rm -r ss:///avatars/2023 --experimental', 'ss:///avatars/2023'],
    ['railway bucket delete -b media --yes', 'media'],
  ],
  allowed: [
    'wrangler r2 object get acme-uploads/logo.png --file logo.png',
    'wrangler kv key delete user:42 --namespace-id 0f2ac74b498b48028cb68387c421e279 --local',
    'FIRESTORE_EMULATOR_HOST=localhost:8080 firebase firestore:delete users -r',
    'wrangler kv key list --namespace-id 0f2ac74b498b48028cb68387c421e279',
  ],
});

export const volumeDelete = removalRule('paas.volume-delete', 'destructive', 'Deletes a persistent volume and the data on it', 'volume', {
  gated: [
    ['railway volume delete --volume pgdata --yes', 'pgdata'],
    ['railway volume -s postgres rm -v 3f1c2b7e-0000-4c1d-9e7a-5b6c7d8e9f00', '3f1c2b7e-0000-4c1d-9e7a-5b6c7d8e9f00'],
    ['fly volumes destroy vol_1g67340g9y9rydxw -y', 'vol_1g67340g9y9rydxw'],
    ['flyctl vol delete vol_2n8v0xk3d4q1 --yes', 'vol_2n8v0xk3d4q1'],
  ],
  allowed: ['railway volume list', 'fly volumes list -a acme-db', 'fly volumes extend vol_1g67340g9y9rydxw -s 20'],
});

export const deploymentDelete = removalRule('paas.deployment-delete', 'destructive', 'Takes down deployed code or where it is served: a service, function, worker, machine, deployment or domain', 'deployment', {
  gated: [
    ['railway down -y', 'railway down'],
    ['railway service delete -s api --yes', 'api'],
    ['wrangler delete acme-worker', 'acme-worker'],
    ['firebase functions:delete sendWelcomeEmail --region us-central1 -f', 'sendWelcomeEmail'],
    ['supabase functions delete stripe-webhook --project-ref abcdefghijklmnopqrst', 'stripe-webhook'],
    ['fly machine destroy 148e21ea7e8089 --force', '148e21ea7e8089'],
    ['vercel rm acme-web-8fj3k2.vercel.app --yes', 'acme-web-8fj3k2.vercel.app'],
  ],
  allowed: ['railway up', 'wrangler deploy', 'firebase deploy --only functions', 'fly machine list', 'vercel ls acme-web'],
});

export const configDelete = removalRule('paas.config-delete', 'risky', 'Removes environment variables or secrets the running app may depend on', 'config', {
  gated: [
    ['railway variables delete STRIPE_SECRET_KEY', 'STRIPE_SECRET_KEY'],
    ['heroku config:unset DATABASE_URL REDIS_URL -a acme-api', 'DATABASE_URL REDIS_URL'],
    ['fly secrets unset SENTRY_DSN -a acme-api', 'SENTRY_DSN'],
    ['vercel env rm NEXT_PUBLIC_API_URL production --yes', 'NEXT_PUBLIC_API_URL'],
    ['netlify env:unset API_TOKEN --context production', 'API_TOKEN'],
    ['wrangler secret delete OPENAI_API_KEY --env production', 'OPENAI_API_KEY'],
  ],
  allowed: ['railway variables', 'heroku config:set FOO=bar -a acme-api', 'fly secrets list', 'vercel env pull .env.local', 'netlify env:list'],
});
