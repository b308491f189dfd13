// Google Cloud: reads gcloud, gsutil and bq commands into the Deletion they make.

import { Args, ArgSpec, parseArgs } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { CATASTROPHIC, Deletion, details, Harm, objectRemoval, Target } from './cloudDeletion';
import { joinResources, standIn } from './rule';
import { own } from '../own';

export const GCLOUD_ARGS: ArgSpec = {
  values: [
    '--project', '--account', '--configuration', '--format', '--flags-file', '--flatten', '--verbosity',
    '--impersonate-service-account', '--billing-project', '--trace-token', '--access-token-file', '--zone', '--region',
    '--location', '--instance', '--cluster', '--keyring', '--key', '--service', '--platform', '--database', '--backup',
    '--delete-disks', '--keep-disks', '--filter', '--limit', '--sort-by', '--page-size', '--final-backup-description',
    '--final-backup-retention-days', '--final-backup-expiry-time', '--namespace', '--additional-headers',
    '--if-generation-match', '--if-metageneration-match',
  ],
};

export const RELEASE_TRACKS = new Set(['alpha', 'beta', 'preview']);

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

export function gcloudDeletion(inv: Invocation): Deletion | null {
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
  const harm = own(GCLOUD_HARM, group)?.(a) ?? {};
  let resource = names.length ? joinResources(names) : (a.value('--database', '--backup') ?? standIn(inv, group));
  if (group === 'kms keys versions' && a.value('--key')) resource = `${a.value('--key')}/${resource}`;
  return { target: own(GCLOUD_TARGETS, group) ?? 'other', resource, severity: harm.severity, detail: details(harm.detail, quiet) };
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

export function gsutilDeletion(inv: Invocation): Deletion | null {
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

const BQ_ARGS: ArgSpec = { values: ['--project_id', '--location', '--format', '--dataset_id', '--api', '--apilog', '--bigqueryrc', '--credential_file', '--job_id'] };

export function bqDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(BQ_ARGS);
  const [command, ...ids] = a.positionals;
  if (command !== 'rm' || !ids.length || a.has('--help')) return null;
  const wholeDataset = a.has('-r', '--recursive') && !a.has('-t', '--table');
  return { target: 'database', resource: joinResources(ids), detail: wholeDataset ? 'the dataset and every table in it' : undefined };
}
