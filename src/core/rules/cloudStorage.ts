// Object-storage clients beside the clouds' own CLIs: s3cmd, rclone, MinIO's mc.

import type { ArgSpec } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { Deletion, objectRemoval } from './cloudDeletion';
import { joinResources, standIn } from './rule';

const S3CMD_ARGS: ArgSpec = { values: ['-c', '--config', '--access_key', '--secret_key', '--access_token', '--region', '--host', '--host-bucket', '--exclude', '--include', '--rexclude', '--rinclude', '--exclude-from', '--include-from', '--add-header'] };

export function s3cmdDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(S3CMD_ARGS);
  const [command, ...urls] = a.positionals;
  if (command === 'rb' && urls.length) return { target: 'bucket', resource: joinResources(urls), detail: a.has('-r', '--recursive', '-f', '--force') ? 'deletes every object in it first' : undefined };
  if ((command === 'del' || command === 'rm') && urls.length) return objectRemoval(inv, urls, a.has('-r', '--recursive'), false);
  if (command === 'sync' && a.has('--delete-removed') && !a.has('-n', '--dry-run')) return { target: 'mirror', resource: urls[urls.length - 1] ?? standIn(inv, 'sync') };
  return null;
}

const RCLONE_ARGS: ArgSpec = { values: ['--config', '--include', '--exclude', '--filter', '--include-from', '--exclude-from', '--filter-from', '--files-from', '--min-age', '--max-age', '--min-size', '--max-size', '--transfers', '--checkers', '--log-file', '--log-level', '--backup-dir', '--suffix', '--bwlimit', '--max-depth'] };

export function rcloneDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(RCLONE_ARGS);
  if (a.has('-n', '--dry-run')) return null;
  const [command, ...paths] = a.positionals;
  if ((command === 'purge' || command === 'delete') && paths.length) return { target: 'prefix', resource: joinResources(paths), detail: command === 'purge' ? 'the path and everything in it' : undefined };
  if (command === 'deletefile' && paths.length) return { target: 'object', resource: joinResources(paths) };
  if (command === 'sync' && paths.length >= 2) return { target: 'mirror', resource: paths[paths.length - 1] };
  return null;
}

const MC_ARGS: ArgSpec = { values: ['-C', '--config-dir', '--older-than', '--newer-than', '--encrypt-key', '--exclude', '--rewind', '--version-id'] };

export function mcDeletion(inv: Invocation): Deletion | null {
  const a = inv.parsed(MC_ARGS);
  if (a.has('--dry-run')) return null;
  const [command, ...paths] = a.positionals;
  if (command === 'rb' && paths.length) return { target: 'bucket', resource: joinResources(paths), detail: a.has('--force') ? 'deletes every object in it first' : undefined };
  if (command === 'rm' && paths.length) return objectRemoval(inv, paths, a.has('-r', '--recursive'), a.has('--versions'));
  if (command === 'mirror' && a.has('--remove') && paths.length >= 2) return { target: 'mirror', resource: paths[paths.length - 1] };
  return null;
}
