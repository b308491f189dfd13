// The only places a secret's characters turn into something shown or kept: a short mask and a keyed hash.

import { createHmac, randomBytes } from 'node:crypto';

/** Below this length a value shows no characters at all: four of eight would give half of it away. */
const SHORTEST_WITH_PREFIX = 16;
const SHOWN = 4;

/**
 * `ghp_…(40)`: the first four characters (usually a public prefix) and the length; `…(9)` for short values, and
 * for passwords (`withPrefix: false`), which have no public prefix and little entropy to spare.
 */
export function maskSecret(secret: string, withPrefix = true): string {
  const shown = withPrefix && secret.length >= SHORTEST_WITH_PREFIX ? [...secret.slice(0, SHOWN)].filter((c) => c >= ' ' && c !== '\u007f').join('') : '';
  return `${shown}…(${secret.length})`;
}

/**
 * The process's fingerprint key, fixed at load: fingerprints made by the scanner and checked by the gate in the
 * same process match, and mean nothing to anyone reading them later or elsewhere.
 */
export const PROCESS_FINGERPRINT_KEY: Buffer = randomBytes(32);

export function fingerprint(secret: string, key: Buffer): string {
  return createHmac('sha256', key).update(secret, 'utf8').digest('hex').slice(0, 32);
}
