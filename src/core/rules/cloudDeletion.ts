// What the cloud CLIs' readers (cloudAws, cloudGoogle, cloudAzure, cloudDigitalOcean, cloudStorage) return to the
// cloud rules: one Deletion per command, whichever CLI asked, and the object removal that gsutil, gcloud storage, s3cmd and mc share.

import type { Invocation } from '../parse/invocation';
import type { Severity } from '../types';
import { joinResources } from './rule';

/** The kind of thing a command deletes; `other` is a deletion no table names. */
export type Target = 'project' | 'cluster' | 'database' | 'instance' | 'volume' | 'backup' | 'secret' | 'bucket' | 'prefix' | 'object' | 'mirror' | 'other';

/** How a deletion differs from its rule's usual severity, and why. */
export interface Harm {
  severity?: Severity;
  detail?: string;
}

export interface Deletion extends Harm {
  target: Target;
  resource: string;
}

export const CATASTROPHIC = 'catastrophic' as const;

/** Joins the details that apply, or undefined when none does. */
export function details(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => !!p);
  return kept.length ? kept.join('; ') : undefined;
}

const BUCKET_ROOT = /^gs:\/\/[^/]+\/?$/;

/** gsutil rm and gcloud storage rm: -r on a bare bucket removes every version and then the bucket itself. */
export function objectRemoval(inv: Invocation, urls: string[], recursive: boolean, allVersions: boolean): Deletion {
  const resource = urls.length ? joinResources(urls) : `${inv.program} (paths from stdin)`;
  if (recursive && urls.some((u) => BUCKET_ROOT.test(u))) {
    return { target: 'bucket', resource, severity: CATASTROPHIC, detail: 'every object and every version, then the bucket itself' };
  }
  if (recursive || urls.some((u) => u.includes('**'))) return { target: 'prefix', resource, detail: recursive || allVersions ? 'every version, not only the live one' : undefined };
  return { target: 'object', resource, detail: allVersions ? 'every version' : undefined };
}
