// Small file-system helpers the snapshot store, its walk and its planner share.

import { createHash } from 'node:crypto';
import { createReadStream, Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { MB } from './types';

export function fmtMB(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith('..' + sep));
}

export function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);
}

export function describeError(e: unknown): string {
  const code = errCode(e);
  const words: Record<string, string> = { ENOENT: 'gone before it could be copied', EACCES: 'not readable (permission denied)', EPERM: 'not readable (operation not permitted)', ENOSPC: 'the disk is full', ELOOP: 'too many symlink levels' };
  return words[code] ?? code;
}

export async function runPool<T>(items: readonly T[], parallel: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

export async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([fsp.stat(a), fsp.stat(b)]);
  if (sa.size !== sb.size) return false;
  return (await sha256(a)) === (await sha256(b));
}

export async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fsp.lstat(p);
  } catch {
    return null;
  }
}

/** In their first order, without duplicates or paths inside another one in the list. */
export function dedupeNested(paths: string[]): string[] {
  const all = new Set(paths);
  const coveredByAncestor = (p: string) => {
    for (let d = dirname(p); ; d = dirname(d)) {
      if (all.has(d)) return true;
      if (dirname(d) === d) return false;
    }
  };
  return [...all].filter((p) => !coveredByAncestor(p));
}
