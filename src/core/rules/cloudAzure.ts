// az: reads a command into the Deletion it makes.

import type { ArgSpec } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { CATASTROPHIC, Deletion, Harm, Target } from './cloudDeletion';
import { joinResources, standIn } from './rule';
import { own } from '../own';

export const AZ_ARGS: ArgSpec = {
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

export function azDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(AZ_ARGS);
  if (a.has('--help', '-h', '--dryrun', '--dry-run')) return null;
  const at = a.positionals.findIndex((w) => AZ_VERBS.has(w));
  if (at < 1) return null;
  const group = a.positionals.slice(0, at).join(' ');
  const verb = a.positionals[at];
  let target = own(AZ_TARGETS, group) ?? 'other';
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
