// Agent Guard's own detectors: each finds what secretlint's recommended preset misses. Explicit list, no discovery.

import { databaseUrls, pgpass } from './database';
import { Detector } from './detector';
import { envFileSecrets } from './envfile';
import { kubeconfig } from './kubeconfig';
import { netrc } from './netrc';
import { prefixedTokens } from './prefixed';
import { homeReferences } from './references';
import { paasVariables } from './variables';

export const DETECTORS: readonly Detector[] = [databaseUrls, envFileSecrets, homeReferences, kubeconfig, netrc, paasVariables, pgpass, prefixedTokens];

/** Binary credential containers, recognised by name alone: their bytes are not text to scan. */
export function keystoreKind(file: string): { provider: string; kind: string } | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.p12') || lower.endsWith('.pfx')) return { provider: 'keystore', kind: 'pkcs12' };
  if (lower.endsWith('.jks') || lower.endsWith('.keystore')) return { provider: 'keystore', kind: 'java' };
  return null;
}

export type { Detection, Detector } from './detector';
