// Cloud CLIs (aws, gcloud, gsutil, bq, az, doctl, and the storage clients s3cmd, rclone, mc): delete, terminate, remove-bucket, recursive rm.
//
// Each CLI's command is read once into a Deletion (what kind of thing goes, its name, how bad), and one rule per
// kind decides: a person reads "Deletes a managed database" whichever CLI asked. What no table names falls to the
// CLI's own catch-all (cloud.aws-delete, cloud.gcloud-delete, …).

import { Args, ArgSpec, parseArgs } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import type { Severity } from '../types';
import { defineRule, GatedExample, joinResources, RuleMatch, standIn } from './rule';

/** The kind of thing a command deletes; `other` is a deletion no table names. */
type Target = 'project' | 'cluster' | 'database' | 'instance' | 'volume' | 'backup' | 'secret' | 'bucket' | 'prefix' | 'object' | 'mirror' | 'other';

/** How a deletion differs from its rule's usual severity, and why. */
interface Harm {
  severity?: Severity;
  detail?: string;
}

interface Deletion extends Harm {
  target: Target;
  resource: string;
}

const CATASTROPHIC = 'catastrophic' as const;

/** Joins the details that apply, or undefined when none does. */
function details(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => !!p);
  return kept.length ? kept.join('; ') : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// aws

const AWS_GLOBAL_VALUES = [
  '--profile', '--region', '--output', '--query', '--endpoint-url', '--cli-input-json', '--cli-input-yaml', '--color',
  '--ca-bundle', '--cli-read-timeout', '--cli-connect-timeout', '--cli-binary-format',
];

/** Global options plus the value options of the high-level `aws s3` commands, so their paths are positionals. */
const AWS_ARGS: ArgSpec = {
  values: [
    ...AWS_GLOBAL_VALUES, '--exclude', '--include', '--acl', '--grants', '--storage-class', '--sse', '--sse-kms-key-id',
    '--sse-c', '--sse-c-key', '--sse-c-copy-source', '--sse-c-copy-source-key', '--content-type', '--cache-control',
    '--content-disposition', '--content-encoding', '--content-language', '--expires', '--metadata',
    '--metadata-directive', '--website-redirect', '--request-payer', '--page-size', '--expected-size',
    '--source-region', '--checksum-algorithm', '--checksum-mode', '--expires-in',
  ],
};

/** API operations whose target the generic verb test would not know, or would misjudge. */
const AWS_TARGETS: Record<string, Target> = {
  'cloudformation delete-stack': 'project',
  'organizations close-account': 'project',
  'eks delete-cluster': 'cluster',
  'rds delete-db-instance': 'database',
  'rds delete-db-cluster': 'database',
  'docdb delete-db-instance': 'database',
  'docdb delete-db-cluster': 'database',
  'neptune delete-db-cluster': 'database',
  'redshift delete-cluster': 'database',
  'dynamodb delete-table': 'database',
  'elasticache delete-cache-cluster': 'database',
  'elasticache delete-replication-group': 'database',
  'elasticache delete-serverless-cache': 'database',
  'opensearch delete-domain': 'database',
  'es delete-elasticsearch-domain': 'database',
  'ec2 terminate-instances': 'instance',
  'lightsail delete-instance': 'instance',
  'ec2 delete-volume': 'volume',
  'efs delete-file-system': 'volume',
  'fsx delete-file-system': 'volume',
  'ec2 delete-snapshot': 'backup',
  'rds delete-db-snapshot': 'backup',
  'rds delete-db-cluster-snapshot': 'backup',
  'rds delete-db-instance-automated-backup': 'backup',
  'rds delete-db-cluster-automated-backup': 'backup',
  'redshift delete-cluster-snapshot': 'backup',
  'dynamodb delete-backup': 'backup',
  'elasticache delete-snapshot': 'backup',
  'backup delete-recovery-point': 'backup',
  'backup delete-backup-vault': 'backup',
  'kms schedule-key-deletion': 'secret',
  'secretsmanager delete-secret': 'secret',
  's3api delete-bucket': 'bucket',
  's3api delete-object': 'object',
  's3api delete-objects': 'object',
};

type AwsParameters = Map<string, string[]>;

/** RDS-style deletes: with no final snapshot the automated backups go too (unless kept), and nothing is left to restore. */
function finalSnapshotHarm(p: AwsParameters): Harm {
  const backupsDeleted = p.has('--delete-automated-backups') || (p.has('--skip-final-snapshot') && !p.has('--no-delete-automated-backups'));
  if (p.has('--skip-final-snapshot') && backupsDeleted) return { severity: CATASTROPHIC, detail: 'no final snapshot, and its automated backups are deleted with it' };
  if (backupsDeleted) return { severity: CATASTROPHIC, detail: 'its automated backups are deleted with it' };
  return { detail: p.has('--skip-final-snapshot') ? 'no final snapshot; retained automated backups remain' : 'a final snapshot is taken' };
}

/** Operations whose harm depends on their flags. */
const AWS_HARM: Record<string, (p: AwsParameters) => Harm> = {
  'rds delete-db-instance': finalSnapshotHarm,
  'rds delete-db-cluster': finalSnapshotHarm,
  'docdb delete-db-cluster': finalSnapshotHarm,
  'neptune delete-db-cluster': finalSnapshotHarm,
  'redshift delete-cluster': (p) => (p.has('--skip-final-cluster-snapshot') ? { severity: CATASTROPHIC, detail: 'no final snapshot' } : {}),
  'secretsmanager delete-secret': (p) =>
    p.has('--force-delete-without-recovery') ? { detail: 'deleted at once, with no recovery window' } : { severity: 'risky', detail: 'recoverable until its recovery window ends' },
  'kms schedule-key-deletion': (p) => ({ detail: `everything encrypted with it becomes unreadable after ${p.get('--pending-window-in-days')?.[0] ?? '30'} days unless cancelled` }),
  's3api delete-objects': () => ({ severity: 'destructive', detail: 'every key listed in --delete' }),
};

/** Verbs that delete, for operations no table names; tag removals only change labels. */
function isAwsDeleteVerb(operation: string): boolean {
  return /^(batch-)?(delete|terminate|remove|purge)-/.test(operation) && !/(^|-)tag(s|ging)?(-|$)/.test(operation);
}

/**
 * `--name v1 v2` groups after the operation. API operations take every parameter by name, lists as several words,
 * so grouping needs no table of which options take values.
 */
function awsParameters(args: readonly string[]): AwsParameters {
  const out: AwsParameters = new Map();
  let current: string[] | undefined;
  for (const a of args) {
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      current = out.get(name) ?? [];
      out.set(name, current);
      if (eq > 0) current.push(a.slice(eq + 1));
    } else if (current) {
      current.push(a);
    }
  }
  return out;
}

const ID_SUFFIXES = ['name', 'names', 'id', 'ids', 'identifier', 'arn', 'arns', 'url'];

/** The parameter naming what an operation deletes: `--instance-ids` for terminate-instances, `--table-name` for delete-table… */
function awsResource(inv: Invocation, operation: string, p: AwsParameters): string {
  const noun = operation.replace(/^(batch-)?(delete|terminate|remove|purge|schedule|close)-/, '').replace(/-deletion$/, '');
  const words = noun.split('-');
  // Longest noun first: delete-db-cluster-snapshot tries db-cluster-snapshot, cluster-snapshot, snapshot.
  for (let i = 0; i < words.length; i++) {
    const stem = words.slice(i).join('-');
    for (const n of new Set([stem, stem.replace(/s$/, '')])) {
      for (const s of ID_SUFFIXES) {
        const v = p.get(`--${n}-${s}`);
        if (v?.length) return joinResources(v);
      }
    }
  }
  for (const name of ['--id', '--name', '--arn', '--bucket']) {
    const v = p.get(name);
    if (v?.length) return joinResources(v);
  }
  for (const [name, v] of p) if (name !== '--endpoint-url' && v.length && ID_SUFFIXES.some((s) => name.endsWith(`-${s}`))) return joinResources(v);
  return standIn(inv, operation);
}

/** LocalStack and other emulators answer on this machine; nothing real is deleted there. */
function isLocalEndpoint(url: string | undefined): boolean {
  return !!url && /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|host\.docker\.internal)(:|\/|$)/.test(url);
}

function awsDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(AWS_ARGS);
  const [service, operation, ...paths] = a.positionals;
  if (!operation || a.positionals.includes('help') || a.has('--help', '--dry-run', '--dryrun', '--generate-cli-skeleton')) return null;
  if (isLocalEndpoint(a.value('--endpoint-url'))) return null;
  if (service === 's3') return s3Deletion(inv, operation, paths, a);
  const key = `${service} ${operation}`;
  const target = AWS_TARGETS[key] ?? (isAwsDeleteVerb(operation) ? 'other' : undefined);
  if (!target) return null;
  const p = awsParameters(inv.args.slice(a.positionalIndex[1] + 1));
  const harm = AWS_HARM[key]?.(p) ?? {};
  if (service === 's3api' && (target === 'bucket' || target === 'object')) {
    const bucket = p.get('--bucket')?.[0];
    const objectKey = operation === 'delete-object' ? p.get('--key')?.[0] : undefined;
    const resource = bucket ? `s3://${bucket}${objectKey !== undefined ? `/${objectKey}` : ''}` : standIn(inv, operation);
    return { target, resource, ...harm };
  }
  return { target, resource: awsResource(inv, operation, p), ...harm };
}

/** The high-level `aws s3` commands, whose paths are positionals. */
function s3Deletion(inv: Invocation, operation: string, paths: string[], a: Args): Deletion | null {
  if (operation === 'rb') return { target: 'bucket', resource: paths[0] ?? standIn(inv, 'rb'), detail: a.has('--force') ? 'deletes every object in it first' : undefined };
  if (operation === 'rm' && paths.length) return { target: a.has('--recursive') ? 'prefix' : 'object', resource: paths[0] };
  if (operation === 'sync' && a.has('--delete')) return { target: 'mirror', resource: paths[1] ?? standIn(inv, 'sync') };
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Google Cloud: gcloud, gsutil, bq

const GCLOUD_ARGS: ArgSpec = {
  values: [
    '--project', '--account', '--configuration', '--format', '--flags-file', '--flatten', '--verbosity',
    '--impersonate-service-account', '--billing-project', '--trace-token', '--access-token-file', '--zone', '--region',
    '--location', '--instance', '--cluster', '--keyring', '--key', '--service', '--platform', '--database', '--backup',
    '--delete-disks', '--keep-disks', '--filter', '--limit', '--sort-by', '--page-size', '--final-backup-description',
    '--final-backup-retention-days', '--final-backup-expiry-time', '--namespace', '--additional-headers',
    '--if-generation-match', '--if-metageneration-match',
  ],
};

const RELEASE_TRACKS = new Set(['alpha', 'beta', 'preview']);

/** Command groups (before `delete`) that delete a known kind of thing. */
const GCLOUD_TARGETS: Record<string, Target> = {
  projects: 'project',
  'deployment-manager deployments': 'project',
  'container clusters': 'cluster',
  'sql instances': 'database',
  'sql databases': 'database',
  'spanner instances': 'database',
  'spanner databases': 'database',
  'firestore databases': 'database',
  'bigtable instances': 'database',
  'alloydb clusters': 'database',
  'redis instances': 'database',
  'compute instances': 'instance',
  'compute disks': 'volume',
  'filestore instances': 'volume',
  'compute snapshots': 'backup',
  'sql backups': 'backup',
  'spanner backups': 'backup',
  'firestore backups': 'backup',
  'filestore backups': 'backup',
  secrets: 'secret',
  'kms keys versions': 'secret',
};

const WHOLE_INSTANCE: Harm = { severity: CATASTROPHIC, detail: 'every database in it, and its backups, go with it' };

const GCLOUD_HARM: Record<string, (a: Args) => Harm> = {
  // Cloud SQL deletes an instance's automated backups with it unless a final backup is asked for.
  'sql instances': (a) => (a.has('--enable-final-backup') ? { detail: 'a final backup is kept' } : { severity: CATASTROPHIC, detail: 'its automated backups are deleted with it; no --enable-final-backup' }),
  'spanner instances': () => WHOLE_INSTANCE,
  'bigtable instances': () => WHOLE_INSTANCE,
  'firestore databases': () => ({ severity: CATASTROPHIC, detail: 'the whole database' }),
  'compute instances': (a) => ({ detail: a.has('--delete-disks') ? `with its disks (--delete-disks=${a.value('--delete-disks')})` : undefined }),
};

function gcloudDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(GCLOUD_ARGS);
  if (a.has('--help', '-h')) return null;
  const words = RELEASE_TRACKS.has(a.positionals[0]) ? a.positionals.slice(1) : a.positionals;
  if (words[0] === 'help') return null;
  const quiet = a.has('--quiet', '-q') ? "--quiet skips gcloud's own prompt" : undefined;
  if (words[0] === 'storage') {
    const d = gcloudStorageDeletion(inv, words.slice(1), a);
    return d && { ...d, detail: details(d.detail, quiet) };
  }
  const verb = words.findIndex((w) => w === 'delete' || w === 'destroy');
  if (verb < 1) return null;
  const group = words.slice(0, verb).join(' ');
  const names = words.slice(verb + 1);
  const harm = GCLOUD_HARM[group]?.(a) ?? {};
  let resource = names.length ? joinResources(names) : (a.value('--database', '--backup') ?? standIn(inv, group));
  if (group === 'kms keys versions' && a.value('--key')) resource = `${a.value('--key')}/${resource}`;
  return { target: GCLOUD_TARGETS[group] ?? 'other', resource, severity: harm.severity, detail: details(harm.detail, quiet) };
}

const BUCKET_ROOT = /^gs:\/\/[^/]+\/?$/;

/** gsutil rm and gcloud storage rm: -r on a bare bucket removes every version and then the bucket itself. */
function objectRemoval(inv: Invocation, urls: string[], recursive: boolean, allVersions: boolean): Deletion {
  const resource = urls.length ? joinResources(urls) : `${inv.program} (paths from stdin)`;
  if (recursive && urls.some((u) => BUCKET_ROOT.test(u))) {
    return { target: 'bucket', resource, severity: CATASTROPHIC, detail: 'every object and every version, then the bucket itself' };
  }
  if (recursive || urls.some((u) => u.includes('**'))) return { target: 'prefix', resource, detail: recursive || allVersions ? 'every version, not only the live one' : undefined };
  return { target: 'object', resource, detail: allVersions ? 'every version' : undefined };
}

function gcloudStorageDeletion(inv: Invocation, words: string[], a: Args): Deletion | null {
  const [command, ...rest] = words;
  if (command === 'rm') {
    if (!rest.length && !a.has('-I', '--read-paths-from-stdin')) return null;
    return objectRemoval(inv, rest, a.has('-r', '-R', '--recursive'), a.has('-a', '--all-versions'));
  }
  if (command === 'buckets' && rest[0] === 'delete') return { target: 'bucket', resource: rest.length > 1 ? joinResources(rest.slice(1)) : standIn(inv, 'storage buckets') };
  if (command === 'rsync' && a.has('--delete-unmatched-destination-objects') && !a.has('--dry-run')) {
    return { target: 'mirror', resource: rest[rest.length - 1] ?? standIn(inv, 'storage rsync') };
  }
  return null;
}

/** gsutil's own options come before the command; the command's after it. */
const GSUTIL_GLOBAL: ArgSpec = { values: ['-o', '-h', '-u', '-i'], stopAtPositional: true };
const GSUTIL_COMMAND: ArgSpec = { values: ['-j', '-x', '-y'] };
const GSUTIL_RM = new Set(['rm', 'del', 'delete', 'remove']);
const GSUTIL_RB = new Set(['rb', 'deletebucket', 'removebucket', 'removebuckets']);

function gsutilDeletion(inv: Invocation): Deletion | null {
  const [command, ...rest] = inv.parsed(GSUTIL_GLOBAL).positionals;
  const a = parseArgs(rest, GSUTIL_COMMAND);
  if (GSUTIL_RM.has(command)) {
    if (!a.positionals.length && !a.has('-I')) return null;
    return objectRemoval(inv, a.positionals, a.has('-r', '-R'), a.has('-a'));
  }
  if (GSUTIL_RB.has(command) && a.positionals.length) return { target: 'bucket', resource: joinResources(a.positionals) };
  if (command === 'rsync' && a.has('-d') && !a.has('-n')) return { target: 'mirror', resource: a.positionals[a.positionals.length - 1] ?? standIn(inv, 'rsync') };
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Other object-storage clients: s3cmd, rclone, MinIO's mc

const S3CMD_ARGS: ArgSpec = { values: ['-c', '--config', '--access_key', '--secret_key', '--access_token', '--region', '--host', '--host-bucket', '--exclude', '--include', '--rexclude', '--rinclude', '--exclude-from', '--include-from', '--add-header'] };

function s3cmdDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(S3CMD_ARGS);
  const [command, ...urls] = a.positionals;
  if (command === 'rb' && urls.length) return { target: 'bucket', resource: joinResources(urls), detail: a.has('-r', '--recursive', '-f', '--force') ? 'deletes every object in it first' : undefined };
  if ((command === 'del' || command === 'rm') && urls.length) return objectRemoval(inv, urls, a.has('-r', '--recursive'), false);
  if (command === 'sync' && a.has('--delete-removed') && !a.has('-n', '--dry-run')) return { target: 'mirror', resource: urls[urls.length - 1] ?? standIn(inv, 'sync') };
  return null;
}

const RCLONE_ARGS: ArgSpec = { values: ['--config', '--include', '--exclude', '--filter', '--include-from', '--exclude-from', '--filter-from', '--files-from', '--min-age', '--max-age', '--min-size', '--max-size', '--transfers', '--checkers', '--log-file', '--log-level', '--backup-dir', '--suffix', '--bwlimit', '--max-depth'] };

function rcloneDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(RCLONE_ARGS);
  if (a.has('-n', '--dry-run')) return null;
  const [command, ...paths] = a.positionals;
  if ((command === 'purge' || command === 'delete') && paths.length) return { target: 'prefix', resource: joinResources(paths), detail: command === 'purge' ? 'the path and everything in it' : undefined };
  if (command === 'deletefile' && paths.length) return { target: 'object', resource: joinResources(paths) };
  if (command === 'sync' && paths.length >= 2) return { target: 'mirror', resource: paths[paths.length - 1] };
  return null;
}

const MC_ARGS: ArgSpec = { values: ['-C', '--config-dir', '--older-than', '--newer-than', '--encrypt-key', '--exclude', '--rewind', '--version-id'] };

function mcDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(MC_ARGS);
  if (a.has('--dry-run')) return null;
  const [command, ...paths] = a.positionals;
  if (command === 'rb' && paths.length) return { target: 'bucket', resource: joinResources(paths), detail: a.has('--force') ? 'deletes every object in it first' : undefined };
  if (command === 'rm' && paths.length) return objectRemoval(inv, paths, a.has('-r', '--recursive'), a.has('--versions'));
  if (command === 'mirror' && a.has('--remove') && paths.length >= 2) return { target: 'mirror', resource: paths[paths.length - 1] };
  return null;
}

const BQ_ARGS: ArgSpec = { values: ['--project_id', '--location', '--format', '--dataset_id', '--api', '--apilog', '--bigqueryrc', '--credential_file', '--job_id'] };

function bqDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(BQ_ARGS);
  const [command, ...ids] = a.positionals;
  if (command !== 'rm' || !ids.length || a.has('--help')) return null;
  const wholeDataset = a.has('-r', '--recursive') && !a.has('-t', '--table');
  return { target: 'database', resource: joinResources(ids), detail: wholeDataset ? 'the dataset and every table in it' : undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// az

const AZ_ARGS: ArgSpec = {
  values: [
    '-n', '--name', '-g', '--resource-group', '--ids', '--subscription', '-o', '--output', '--query', '-s', '--source',
    '--server', '-c', '--container-name', '--account-name', '--account-key', '--connection-string', '--sas-token',
    '--auth-mode', '--pattern', '--vault-name', '--workspace-name', '--cluster-name', '--location', '-l',
    '--database-name', '--delete-snapshots', '--force-deletion-types', '--snapshot', '--version-id', '--timeout',
    '--blob-endpoint', '--vault', '--backup-management-type',
  ],
};

const AZ_VERBS = new Set(['delete', 'delete-batch', 'purge']);

const AZ_TARGETS: Record<string, Target> = {
  group: 'project',
  aks: 'cluster',
  vm: 'instance',
  vmss: 'instance',
  disk: 'volume',
  'netappfiles volume': 'volume',
  snapshot: 'backup',
  'backup vault': 'backup',
  'sql server': 'database',
  'sql mi': 'database',
  'sql db': 'database',
  cosmosdb: 'database',
  'cosmosdb sql database': 'database',
  'cosmosdb mongodb database': 'database',
  'postgres flexible-server': 'database',
  'mysql flexible-server': 'database',
  'postgres server': 'database',
  'mysql server': 'database',
  redis: 'database',
  keyvault: 'secret',
  'keyvault secret': 'secret',
  'keyvault key': 'secret',
  'keyvault certificate': 'secret',
  'storage account': 'bucket',
  'storage container': 'bucket',
  'storage blob': 'object',
};

const EVERY_DATABASE: Harm = { severity: CATASTROPHIC, detail: 'every database in it, and their backups, go with it' };

function azHarm(group: string, verb: string): Harm {
  if (group === 'group') return { detail: 'every resource in the group' };
  if (group === 'sql server' || group === 'sql mi' || group === 'cosmosdb') return EVERY_DATABASE;
  if (group === 'storage account') return { severity: CATASTROPHIC, detail: 'every container, share, table and queue in the account' };
  if (group === 'storage container') return { detail: 'with every blob in it' };
  if (group.startsWith('keyvault')) return verb === 'purge' ? { detail: 'purged: gone for good' } : { severity: 'risky', detail: 'soft-deleted: recoverable until purged' };
  return {};
}

function azDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(AZ_ARGS);
  if (a.has('--help', '-h', '--dryrun', '--dry-run')) return null;
  const at = a.positionals.findIndex((w) => AZ_VERBS.has(w));
  if (at < 1) return null;
  const group = a.positionals.slice(0, at).join(' ');
  const verb = a.positionals[at];
  let target = AZ_TARGETS[group] ?? 'other';
  if (group === 'storage blob' && verb === 'delete-batch') target = 'prefix';
  const names = [...a.values('-n', '--name'), ...a.values('--ids'), ...a.positionals.slice(at + 1)];
  // A blob lives in a container, a key vault secret in a vault: name both.
  const parent = group === 'storage blob' ? a.value('-c', '--container-name') : group.startsWith('keyvault ') ? a.value('--vault-name') : undefined;
  let resource: string;
  if (group === 'group') resource = a.value('-n', '--name', '-g', '--resource-group') ?? standIn(inv, 'group');
  else if (target === 'prefix') resource = a.value('-s', '--source') ?? standIn(inv, group);
  else resource = joinResources(names.map((n) => (parent ? `${parent}/${n}` : n)));
  return { target, resource: resource || standIn(inv, group), ...azHarm(group, verb) };
}

// ---------------------------------------------------------------------------------------------------------------
// doctl

const DOCTL_ARGS: ArgSpec = {
  values: ['-t', '--access-token', '-u', '--api-url', '-c', '--config', '--context', '-o', '--output', '--format', '--tag-name', '--http-retry-max', '--http-retry-wait-max', '--http-retry-wait-min'],
};

const DOCTL_DELETE_VERBS = new Set(['delete', 'rm', 'del', 'd']);
/** doctl's command aliases: for the first word (top level or under compute), and for words under a noun. */
const DOCTL_ALIASES: Record<string, Record<string, string>> = {
  top: { kube: 'kubernetes', k8s: 'kubernetes', k: 'kubernetes', database: 'databases', db: 'databases', dbs: 'databases', d: 'databases' },
  compute: { d: 'droplet', droplets: 'droplet', v: 'volume', volumes: 'volume', s: 'snapshot', snapshots: 'snapshot' },
  kubernetes: { c: 'cluster', clusters: 'cluster' },
};

const DOCTL_TARGETS: Record<string, Target> = {
  'kubernetes cluster': 'cluster',
  databases: 'database',
  'databases db': 'database',
  'compute droplet': 'instance',
  'compute volume': 'volume',
  'compute snapshot': 'backup',
};

function doctlDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(DOCTL_ARGS);
  if (a.has('--help', '-h')) return null;
  const compute = a.positionals[0] === 'compute';
  const words = a.positionals.slice(compute ? 1 : 0);
  const at = words.findIndex((w, i) => i >= 1 && DOCTL_DELETE_VERBS.has(w));
  if (at < 1) return null;
  const noun = DOCTL_ALIASES[compute ? 'compute' : 'top'][words[0]] ?? words[0];
  const sub = words.slice(1, at).map((w) => DOCTL_ALIASES[noun]?.[w] ?? w);
  const group = [...(compute ? ['compute'] : []), noun, ...sub].join(' ');
  const names = words.slice(at + 1);
  const resource = names.length ? joinResources(names) : (a.value('--tag-name') ?? standIn(inv, group));
  let harm: Harm = {};
  // A managed cluster's backups are deleted with it; one database inside it leaves the cluster's backups.
  if (group === 'databases') harm = { severity: CATASTROPHIC, detail: 'the whole database cluster, with its backups' };
  if (group === 'kubernetes cluster' && a.has('--dangerous')) harm = { detail: 'with its volumes and load balancers (--dangerous)' };
  return { target: DOCTL_TARGETS[group] ?? 'other', resource, ...harm };
}

// ---------------------------------------------------------------------------------------------------------------
// The rules

const READERS: Record<string, (inv: Invocation) => Deletion | null> = {
  aws: awsDeletion,
  gcloud: gcloudDeletion,
  gsutil: gsutilDeletion,
  bq: bqDeletion,
  az: azDeletion,
  doctl: doctlDeletion,
  s3cmd: s3cmdDeletion,
  rclone: rcloneDeletion,
  mc: mcDeletion,
};

const CLOUD_CLIS = Object.keys(READERS);

function cloudDeletion(inv: Invocation): Deletion | null {
  return READERS[inv.program]?.(inv) ?? null;
}

function deletionRule(
  id: string,
  severity: Severity,
  summary: string,
  target: Target,
  programs: readonly string[],
  examples: { gated: GatedExample[]; allowed: string[] },
) {
  return defineRule({
    id,
    severity,
    summary,
    programs,
    match(inv) {
      const d = cloudDeletion(inv);
      if (!d || d.target !== target) return null;
      return { resource: d.resource, severity: d.severity, detail: d.detail };
    },
    examples,
  });
}

export const projectDelete = deletionRule(
  'cloud.project-delete',
  'catastrophic',
  'Deletes a whole project, account, resource group or stack, with everything in it',
  'project',
  ['aws', 'gcloud', 'az'],
  {
    gated: [
      ['gcloud projects delete acme-prod', 'acme-prod'],
      ['az group delete --name rg-prod --yes --no-wait', 'rg-prod'],
      ['az group delete -g rg-staging -y', 'rg-staging'],
      ['aws cloudformation delete-stack --stack-name api-prod --region eu-west-1', 'api-prod'],
      ['aws organizations close-account --account-id 123456789012', '123456789012'],
    ],
    allowed: ['gcloud projects describe acme-prod', 'az group list -o table', 'aws cloudformation describe-stacks --stack-name api-prod', 'az group show -n rg-prod'],
  },
);

export const clusterDelete = deletionRule(
  'cloud.cluster-delete',
  'catastrophic',
  'Deletes a whole Kubernetes cluster and everything running in it',
  'cluster',
  ['aws', 'gcloud', 'az', 'doctl'],
  {
    gated: [
      ['aws eks delete-cluster --name prod-cluster', 'prod-cluster'],
      ['gcloud container clusters delete prod-gke --region us-central1 --quiet', 'prod-gke'],
      ['az aks delete -g rg-prod -n aks-prod --yes', 'aks-prod'],
      ['doctl kubernetes cluster delete k8s-prod --force', 'k8s-prod'],
      ['doctl k8s c rm k8s-old --dangerous', 'k8s-old'],
    ],
    allowed: ['aws eks describe-cluster --name prod-cluster', 'gcloud container clusters get-credentials prod-gke --region us-central1', 'doctl kubernetes cluster list'],
  },
);

export const databaseDelete = deletionRule(
  'cloud.database-delete',
  'destructive',
  'Deletes a managed database and the data in it',
  'database',
  CLOUD_CLIS,
  {
    gated: [
      ['aws rds delete-db-instance --db-instance-identifier orders-prod --final-db-snapshot-identifier orders-final', 'orders-prod'],
      ['aws rds delete-db-instance --db-instance-identifier orders-prod --skip-final-snapshot', 'orders-prod'],
      ['aws rds delete-db-cluster --db-cluster-identifier aurora-prod --skip-final-snapshot --delete-automated-backups', 'aurora-prod'],
      ['aws dynamodb delete-table --table-name Sessions', 'Sessions'],
      ['gcloud sql instances delete prod-pg', 'prod-pg'],
      ['gcloud sql databases delete app --instance=prod-pg', 'app'],
      ['az sql server delete -g rg-prod -n sql-prod --yes', 'sql-prod'],
      ['doctl databases delete f81d4fae-7dec-11d0-a765-00a0c91e6bf6 --force', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'],
      ['bq rm -r -f -d analytics', 'analytics'],
    ],
    allowed: ['aws rds describe-db-instances', 'aws dynamodb scan --table-name Sessions', 'gcloud sql instances list', 'az sql db show -g rg -s sql-prod -n app', 'bq ls analytics'],
  },
);

export const instanceDelete = deletionRule(
  'cloud.instance-delete',
  'destructive',
  'Deletes virtual machines, and with them whatever is on their local disks',
  'instance',
  ['aws', 'gcloud', 'az', 'doctl'],
  {
    gated: [
      ['aws ec2 terminate-instances --instance-ids i-0abc123 i-0def456', 'i-0abc123 i-0def456'],
      ['gcloud compute instances delete web-1 web-2 --zone us-central1-a', 'web-1 web-2'],
      ['az vm delete -g rg-prod -n vm-web --yes', 'vm-web'],
      ['doctl compute droplet delete 386734086 -f', '386734086'],
    ],
    allowed: ['aws ec2 describe-instances --instance-ids i-0abc123', 'aws ec2 terminate-instances --instance-ids i-0abc123 --dry-run', 'aws ec2 stop-instances --instance-ids i-0abc123', 'gcloud compute instances list'],
  },
);

export const volumeDelete = deletionRule(
  'cloud.volume-delete',
  'destructive',
  'Deletes a disk, volume or file system and the data on it',
  'volume',
  ['aws', 'gcloud', 'az', 'doctl'],
  {
    gated: [
      ['aws ec2 delete-volume --volume-id vol-049df61146c4d7901', 'vol-049df61146c4d7901'],
      ['aws efs delete-file-system --file-system-id fs-0123456789abcdef0', 'fs-0123456789abcdef0'],
      ['gcloud compute disks delete pg-data --zone europe-west1-b', 'pg-data'],
      ['doctl compute volume delete 7724db7c-e098-11e5-b522-000f53304e51', '7724db7c-e098-11e5-b522-000f53304e51'],
    ],
    allowed: ['aws ec2 describe-volumes', 'aws ec2 create-snapshot --volume-id vol-049df61146c4d7901', 'gcloud compute disks list'],
  },
);

export const backupDelete = deletionRule(
  'cloud.backup-delete',
  'destructive',
  'Deletes a backup or snapshot, the copy a restore would come from',
  'backup',
  ['aws', 'gcloud', 'az', 'doctl'],
  {
    gated: [
      ['aws ec2 delete-snapshot --snapshot-id snap-1234567890abcdef0', 'snap-1234567890abcdef0'],
      ['aws rds delete-db-snapshot --db-snapshot-identifier orders-2024-01-01', 'orders-2024-01-01'],
      ['aws backup delete-recovery-point --backup-vault-name prod-vault --recovery-point-arn arn:aws:backup:us-east-1:123:recovery-point:1', 'arn:aws:backup:us-east-1:123:recovery-point:1'],
      ['aws backup delete-backup-vault --backup-vault-name prod-vault', 'prod-vault'],
      ['gcloud sql backups delete 1700000000000 --instance=prod-pg', '1700000000000'],
    ],
    allowed: ['aws ec2 describe-snapshots --owner-ids self', 'aws backup list-recovery-points-by-backup-vault --backup-vault-name prod-vault', 'gcloud sql backups list --instance=prod-pg'],
  },
);

export const secretDelete = deletionRule(
  'cloud.secret-delete',
  'destructive',
  'Deletes an encryption key or secret; whatever depends on it stops working, and encrypted data may become unreadable',
  'secret',
  ['aws', 'gcloud', 'az'],
  {
    gated: [
      ['aws kms schedule-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --pending-window-in-days 7', '1234abcd-12ab-34cd-56ef-1234567890ab'],
      ['aws secretsmanager delete-secret --secret-id prod/db --force-delete-without-recovery', 'prod/db'],
      ['aws secretsmanager delete-secret --secret-id prod/api-key', 'prod/api-key'],
      ['gcloud secrets delete stripe-key --quiet', 'stripe-key'],
      ['az keyvault purge --name kv-prod', 'kv-prod'],
      ['az keyvault secret delete --vault-name kv-prod --name db-password', 'kv-prod/db-password'],
    ],
    allowed: ['aws kms cancel-key-deletion --key-id 1234abcd', 'aws secretsmanager get-secret-value --secret-id prod/db', 'gcloud secrets versions access latest --secret stripe-key', 'az keyvault secret show --vault-name kv-prod -n db-password'],
  },
);

export const bucketDelete = deletionRule(
  'cloud.bucket-delete',
  'destructive',
  'Deletes a storage bucket or account, with anything still in it; a freed bucket name can be claimed by anyone',
  'bucket',
  ['aws', 'gcloud', 'gsutil', 'az', 's3cmd', 'mc'],
  {
    gated: [
      ['aws s3 rb s3://acme-uploads', 's3://acme-uploads'],
      ['aws s3 rb s3://acme-uploads --force', 's3://acme-uploads'],
      ['aws s3api delete-bucket --bucket acme-logs', 's3://acme-logs'],
      ['gsutil rb gs://acme-tmp', 'gs://acme-tmp'],
      ['gsutil -m rm -r gs://acme-assets', 'gs://acme-assets'],
      ['gcloud storage buckets delete gs://acme-tmp', 'gs://acme-tmp'],
      ['az storage account delete -n acmeprodstore -g rg-prod --yes', 'acmeprodstore'],
      ['s3cmd rb s3://acme-uploads --recursive --force', 's3://acme-uploads'],
      ['mc rb --force prod/acme-uploads', 'prod/acme-uploads'],
    ],
    allowed: ['aws s3 mb s3://acme-uploads', 'aws s3 ls s3://acme-uploads', 'gsutil ls gs://acme-assets', 'gcloud storage buckets describe gs://acme-tmp'],
  },
);

export const storageRecursiveDelete = deletionRule(
  'cloud.storage-recursive-delete',
  'destructive',
  'Deletes every object under a bucket path',
  'prefix',
  ['aws', 'gcloud', 'gsutil', 'az', 's3cmd', 'rclone', 'mc'],
  {
    gated: [
      ['aws s3 rm s3://acme-uploads/tenants/42/ --recursive', 's3://acme-uploads/tenants/42/'],
      ['aws s3 rm --recursive s3://acme-backups', 's3://acme-backups'],
      ['gsutil -m rm -r gs://acme-assets/v1', 'gs://acme-assets/v1'],
      ['gcloud storage rm gs://acme-assets/cache/**', 'gs://acme-assets/cache/**'],
      ['az storage blob delete-batch -s uploads --account-name acmeprodstore --pattern "2023/*"', 'uploads'],
      ['s3cmd del --recursive --force s3://acme-uploads', 's3://acme-uploads'],
      ['rclone purge prod:acme-uploads', 'prod:acme-uploads'],
      ['rclone delete prod:acme-uploads/tenants/42 --include "*.csv"', 'prod:acme-uploads/tenants/42'],
      ['mc rm -r --force prod/acme-uploads/tenants', 'prod/acme-uploads/tenants'],
    ],
    allowed: ['rclone ls prod:acme-uploads', 'rclone purge prod:acme-uploads --dry-run', 's3cmd ls s3://acme-uploads', 'mc ls prod/acme-uploads', 'aws s3 cp s3://acme-uploads/a.txt .', 'aws s3 rm s3://acme-uploads/ --recursive --dryrun', 'aws --endpoint-url http://localhost:4566 s3 rm s3://test --recursive', 'gsutil ls -r gs://acme-assets/v1'],
  },
);

export const storageObjectDelete = deletionRule(
  'cloud.storage-object-delete',
  'risky',
  'Deletes objects from a storage bucket',
  'object',
  ['aws', 'gcloud', 'gsutil', 'az', 's3cmd', 'rclone', 'mc'],
  {
    gated: [
      ['aws s3 rm s3://acme-uploads/invoices/2024-01.pdf', 's3://acme-uploads/invoices/2024-01.pdf'],
      ['aws s3api delete-object --bucket acme-uploads --key reports/q1.csv', 's3://acme-uploads/reports/q1.csv'],
      ['aws s3api delete-objects --bucket acme-uploads --delete file://keys.json', 's3://acme-uploads'],
      ['gsutil rm gs://acme-assets/logo.png', 'gs://acme-assets/logo.png'],
      ['az storage blob delete -c uploads -n avatar.png --account-name acmeprodstore', 'uploads/avatar.png'],
      ['s3cmd del s3://acme-uploads/invoices/2024-01.pdf', 's3://acme-uploads/invoices/2024-01.pdf'],
      ['rclone deletefile prod:acme-uploads/logo.png', 'prod:acme-uploads/logo.png'],
      ['mc rm prod/acme-uploads/logo.png', 'prod/acme-uploads/logo.png'],
    ],
    allowed: ['aws s3 cp report.csv s3://acme-uploads/reports/', 'aws s3api get-object --bucket acme-uploads --key reports/q1.csv out.csv', 'gsutil cp logo.png gs://acme-assets/'],
  },
);

export const storageSyncDelete = deletionRule(
  'cloud.storage-sync-delete',
  'destructive',
  'Makes the destination match the source by deleting whatever exists only at the destination',
  'mirror',
  ['aws', 'gcloud', 'gsutil', 's3cmd', 'rclone', 'mc'],
  {
    gated: [
      ['aws s3 sync ./dist s3://acme-site --delete', 's3://acme-site'],
      ['gsutil -m rsync -r -d ./public gs://acme-site', 'gs://acme-site'],
      ['gcloud storage rsync ./public gs://acme-site --recursive --delete-unmatched-destination-objects', 'gs://acme-site'],
      ['s3cmd sync ./public/ s3://acme-site --delete-removed', 's3://acme-site'],
      ['rclone sync ./public prod:acme-site', 'prod:acme-site'],
      ['mc mirror --remove ./public prod/acme-site', 'prod/acme-site'],
    ],
    allowed: ['rclone copy ./public prod:acme-site', 'rclone sync ./public prod:acme-site --dry-run', 's3cmd sync ./public/ s3://acme-site', 'mc mirror ./public prod/acme-site', 'aws s3 sync ./dist s3://acme-site', 'aws s3 sync ./dist s3://acme-site --delete --dryrun', 'gsutil rsync -n -d -r ./public gs://acme-site'],
  },
);

export const awsDelete = deletionRule(
  'cloud.aws-delete',
  'destructive',
  'Deletes or terminates an AWS resource',
  'other',
  ['aws'],
  {
    gated: [
      ['aws lambda delete-function --function-name resize-images', 'resize-images'],
      ['aws ecr delete-repository --repository-name api --force', 'api'],
      ['aws route53 delete-hosted-zone --id Z1D633PJN98FT9', 'Z1D633PJN98FT9'],
      ['aws iam delete-role --role-name deploy-bot', 'deploy-bot'],
      ['aws logs delete-log-group --log-group-name /aws/lambda/resize-images', '/aws/lambda/resize-images'],
      ['aws sns delete-topic --topic-arn arn:aws:sns:us-east-1:123:orders', 'arn:aws:sns:us-east-1:123:orders'],
      ['aws sqs purge-queue --queue-url https://sqs.us-east-1.amazonaws.com/123/jobs', 'https://sqs.us-east-1.amazonaws.com/123/jobs'],
    ],
    allowed: ['aws lambda list-functions', 'aws iam get-role --role-name deploy-bot', 'aws ec2 delete-tags --resources i-0abc --tags Key=env', 'aws lambda delete-function help', 'aws sts get-caller-identity'],
  },
);

export const gcloudDelete = deletionRule(
  'cloud.gcloud-delete',
  'destructive',
  'Deletes a Google Cloud resource',
  'other',
  ['gcloud'],
  {
    gated: [
      ['gcloud run services delete api --region us-central1 --quiet', 'api'],
      ['gcloud functions delete resize --gen2 --region=us-east1', 'resize'],
      ['gcloud beta pubsub topics delete orders', 'orders'],
    ],
    allowed: ['gcloud run services describe api --region us-central1', 'gcloud functions list', 'gcloud help run services delete', 'gcloud run services delete --help'],
  },
);

export const azDelete = deletionRule(
  'cloud.az-delete',
  'destructive',
  'Deletes an Azure resource',
  'other',
  ['az'],
  {
    gated: [
      ['az webapp delete -g rg-prod -n acme-web', 'acme-web'],
      ['az network vnet delete --ids /subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v', '/subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v'],
    ],
    allowed: ['az webapp list -g rg-prod', 'az webapp show -g rg-prod -n acme-web', 'az webapp delete --help'],
  },
);

export const doctlDelete = deletionRule(
  'cloud.doctl-delete',
  'destructive',
  'Deletes a DigitalOcean resource',
  'other',
  ['doctl'],
  {
    gated: [
      ['doctl apps delete 5a4a3c1f-0000-4d3c-9d4a-1b2c3d4e5f60 --force', '5a4a3c1f-0000-4d3c-9d4a-1b2c3d4e5f60'],
      ['doctl compute domain delete example.com', 'example.com'],
    ],
    allowed: ['doctl apps list', 'doctl compute droplet list --format ID,Name', 'doctl compute ssh web-1'],
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Settings that delete: no deletion verb, but the data or its backups go all the same.

/** A lifecycle document (S3 or GCS) read from `file://…` or given inline; undefined when it cannot be read. */
function lifecycleText(inv: Invocation, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const file = /^(file|fileb):\/\/(.+)$/.exec(value)?.[2] ?? (inv.program === 'aws' ? undefined : value);
  if (file === undefined) return value;
  const abs = inv.site?.resolve(file);
  const r = abs === undefined ? undefined : inv.site!.read(abs);
  return r?.ok ? r.text : undefined;
}

/** Whether a lifecycle document expires or deletes objects (S3 `Expiration`, GCS `"type": "Delete"`); unknown counts. */
function lifecycleDeletes(text: string | undefined): boolean {
  return text === undefined || /Expiration|"?type"?\s*[:=]\s*"?Delete/i.test(text);
}

/** What a setting change deletes, per CLI; null when it deletes nothing. */
function deletingSetting(inv: Invocation): RuleMatch | null {
  if (inv.program === 'aws') {
    const a = inv.parsed(AWS_ARGS);
    const [service, operation] = a.positionals;
    if (!operation || a.has('--help', '--dry-run', '--generate-cli-skeleton') || isLocalEndpoint(a.value('--endpoint-url'))) return null;
    const p = awsParameters(inv.args.slice(a.positionalIndex[1] + 1));
    const key = `${service} ${operation}`;
    if (/^(rds|docdb|neptune) modify-db-(instance|cluster)$/.test(key) && p.get('--backup-retention-period')?.[0] === '0') {
      return { resource: p.get('--db-instance-identifier')?.[0] ?? p.get('--db-cluster-identifier')?.[0] ?? standIn(inv, operation), detail: 'backup retention 0: the automated backups are deleted and no more are taken' };
    }
    if (key === 's3api put-bucket-lifecycle-configuration' || key === 's3api put-bucket-lifecycle') {
      const text = lifecycleText(inv, p.get('--lifecycle-configuration')?.[0]);
      if (!lifecycleDeletes(text)) return null;
      const bucket = p.get('--bucket')?.[0];
      return { resource: bucket ? `s3://${bucket}` : standIn(inv, operation), detail: text === undefined ? 'the lifecycle rules could not be read' : 'a lifecycle rule expires (deletes) objects' };
    }
    if (key === 'dynamodb update-continuous-backups' && /PointInTimeRecoveryEnabled\s*[=:]\s*false/i.test(inv.args.join(' '))) {
      return { resource: p.get('--table-name')?.[0] ?? standIn(inv, operation), detail: 'point-in-time recovery off: its continuous backups are deleted' };
    }
    return null;
  }
  if (inv.program === 'az') {
    const a = inv.parsed(AZ_DEPLOY_ARGS);
    const words = a.positionals;
    const deployment = (words[0] === 'deployment' && words[1] === 'group') || (words[0] === 'group' && words[1] === 'deployment');
    if (!deployment || !['create', 'update'].includes(words[2]) || a.has('--help', '-h', '--what-if', '-w', '--validate')) return null;
    if ((a.value('--mode') ?? '').toLowerCase() !== 'complete') return null;
    return { resource: a.value('-g', '--resource-group') ?? standIn(inv, 'deployment'), detail: 'Complete mode deletes every resource in the group that the template does not name' };
  }
  if (inv.program === 'gsutil') {
    const a = inv.parsed(GSUTIL_LIFECYCLE_ARGS);
    const [verb, sub, file, ...buckets] = a.positionals;
    if (verb !== 'lifecycle' || sub !== 'set' || !lifecycleDeletes(lifecycleText(inv, file))) return null;
    return { resource: buckets.length ? joinResources(buckets) : standIn(inv, 'lifecycle set'), detail: 'a lifecycle rule deletes objects' };
  }
  if (inv.program === 'gcloud') {
    const a = inv.parsed(GCLOUD_ARGS);
    const words = RELEASE_TRACKS.has(a.positionals[0]) ? a.positionals.slice(1) : a.positionals;
    if (words[0] !== 'storage' || words[1] !== 'buckets' || words[2] !== 'update') return null;
    const file = inv.args.find((x) => x.startsWith('--lifecycle-file='))?.slice('--lifecycle-file='.length) ?? inv.args[inv.args.indexOf('--lifecycle-file') + 1];
    if (!inv.args.some((x) => x.startsWith('--lifecycle-file')) || !lifecycleDeletes(lifecycleText(inv, file))) return null;
    return { resource: words[3] ?? standIn(inv, 'buckets update'), detail: 'a lifecycle rule deletes objects' };
  }
  return null;
}

const AZ_DEPLOY_ARGS: ArgSpec = { values: [...(AZ_ARGS.values ?? []), '--mode', '-f', '--template-file', '-u', '--template-uri', '-p', '--parameters', '--template-spec', '--rollback-on-error', '--query-string', '--handle-extended-json-format'] };
const GSUTIL_LIFECYCLE_ARGS: ArgSpec = { values: ['-o', '-h', '-p', '-u'] };

export const deletingSettingRule = defineRule({
  id: 'cloud.deleting-setting',
  severity: 'destructive',
  summary: 'Changes a setting that deletes data or its backups (retention 0, lifecycle expiry, a Complete-mode deployment)',
  programs: ['aws', 'az', 'gsutil', 'gcloud'],
  match: deletingSetting,
  // The lifecycle files are read from the repository's root (test/fixtures).
  examples: {
    gated: [
      ['aws rds modify-db-instance --db-instance-identifier prod --backup-retention-period 0 --apply-immediately', 'prod'],
      ['aws s3api put-bucket-lifecycle-configuration --bucket prod --lifecycle-configuration file://expire.json', 's3://prod'],
      ['aws s3api put-bucket-lifecycle-configuration --bucket logs --lifecycle-configuration file://test/fixtures/overwrites/lifecycle-expire.json', 's3://logs'],
      ['aws dynamodb update-continuous-backups --table-name orders --point-in-time-recovery-specification PointInTimeRecoveryEnabled=false', 'orders'],
      ['az deployment group create -g prod --mode Complete -f empty.json', 'prod'],
      ['az deployment group create --resource-group shop --template-file main.bicep --mode complete', 'shop'],
      ['gsutil lifecycle set test/fixtures/overwrites/lifecycle-expire.json gs://logs', 'gs://logs'],
      ['gcloud storage buckets update gs://logs --lifecycle-file=test/fixtures/overwrites/lifecycle-expire.json', 'gs://logs'],
    ],
    allowed: [
      'aws rds modify-db-instance --db-instance-identifier prod --backup-retention-period 7',
      'aws s3api put-bucket-lifecycle-configuration --bucket logs --lifecycle-configuration file://test/fixtures/overwrites/lifecycle-transition.json',
      'az deployment group create -g prod -f main.bicep',
      'az deployment group create -g prod --mode Incremental -f main.bicep',
      'az deployment group what-if -g prod --mode Complete -f main.bicep',
      'gsutil lifecycle get gs://logs',
      'aws s3api get-bucket-lifecycle-configuration --bucket prod',
    ],
  },
});
