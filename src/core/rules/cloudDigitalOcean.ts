// doctl (DigitalOcean): reads a command, aliases resolved, into the Deletion it makes.

import type { ArgSpec } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { CATASTROPHIC, Deletion, Harm, Target } from './cloudDeletion';
import { joinResources, standIn } from './rule';
import { own } from '../own';

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

export function doctlDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(DOCTL_ARGS);
  if (a.has('--help', '-h')) return null;
  const compute = a.positionals[0] === 'compute';
  const words = a.positionals.slice(compute ? 1 : 0);
  const at = words.findIndex((w, i) => i >= 1 && DOCTL_DELETE_VERBS.has(w));
  if (at < 1) return null;
  const noun = own(DOCTL_ALIASES[compute ? 'compute' : 'top'], words[0]) ?? words[0];
  const sub = words.slice(1, at).map((w) => own(own(DOCTL_ALIASES, noun) ?? {}, w) ?? w);
  const group = [...(compute ? ['compute'] : []), noun, ...sub].join(' ');
  const names = words.slice(at + 1);
  const resource = names.length ? joinResources(names) : (a.value('--tag-name') ?? standIn(inv, group));
  let harm: Harm = {};
  // A managed cluster's backups are deleted with it; one database inside it leaves the cluster's backups.
  if (group === 'databases') harm = { severity: CATASTROPHIC, detail: 'the whole database cluster, with its backups' };
  if (group === 'kubernetes cluster' && a.has('--dangerous')) harm = { detail: 'with its volumes and load balancers (--dangerous)' };
  return { target: own(DOCTL_TARGETS, group) ?? 'other', resource, ...harm };
}
