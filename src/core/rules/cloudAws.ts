// aws: reads a command into the Deletion it makes (API operations by name, the high-level `aws s3` commands by path).

import { Args, ArgSpec } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { CATASTROPHIC, Deletion, Harm, Target } from './cloudDeletion';
import { joinResources, standIn } from './rule';
import { own } from '../own';

const AWS_GLOBAL_VALUES = [
  '--profile', '--region', '--output', '--query', '--endpoint-url', '--cli-input-json', '--cli-input-yaml', '--color',
  '--ca-bundle', '--cli-read-timeout', '--cli-connect-timeout', '--cli-binary-format',
];

/** Global options plus the value options of the high-level `aws s3` commands, so their paths are positionals. */
export const AWS_ARGS: ArgSpec = {
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
export function awsParameters(args: readonly string[]): AwsParameters {
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
export function isLocalEndpoint(url: string | undefined): boolean {
  return !!url && /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|host\.docker\.internal)(:|\/|$)/.test(url);
}

export function awsDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(AWS_ARGS);
  const [service, operation, ...paths] = a.positionals;
  if (!operation || a.positionals.includes('help') || a.has('--help', '--dry-run', '--dryrun', '--generate-cli-skeleton')) return null;
  if (isLocalEndpoint(a.value('--endpoint-url'))) return null;
  if (service === 's3') return s3Deletion(inv, operation, paths, a);
  const key = `${service} ${operation}`;
  const target = own(AWS_TARGETS, key) ?? (isAwsDeleteVerb(operation) ? 'other' : undefined);
  if (!target) return null;
  const p = awsParameters(inv.args.slice(a.positionalIndex[1] + 1));
  const harm = own(AWS_HARM, key)?.(p) ?? {};
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
