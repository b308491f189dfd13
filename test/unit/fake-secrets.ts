// Fake credentials for tests, assembled at run time from a seeded generator: no credential-shaped literal sits in the
// repository (secret scanners stay quiet), and tests can check that none leaks.
import * as assert from 'node:assert/strict';
import { isPlaceholder } from '../../src/core/credentials/placeholder';

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';
export const B64 = ALNUM + '+/';
export const B64URL = ALNUM + '-_';

/** A value that must not read as a placeholder, or the detectors would rightly ignore it. */
export function real(s: string, seed: number): string {
  assert.ok(!isPlaceholder(s), `seed ${seed} made a value that reads as a placeholder; pick another seed`);
  return s;
}

export function fake(length: number, seed: number, alphabet = ALNUM, check = true): string {
  let x = (seed * 2654435761) >>> 0 || 1;
  let s = '';
  while (s.length < length) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += alphabet[x % alphabet.length];
  }
  return check && length >= 16 ? real(s, seed) : s;
}

export const uuid = (seed: number): string => real(`${fake(8, seed, HEX)}-${fake(4, seed + 1, HEX)}-4${fake(3, seed + 2, HEX)}-a${fake(3, seed + 3, HEX)}-${fake(12, seed + 4, HEX)}`, seed);
