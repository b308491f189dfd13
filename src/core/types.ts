// Values the engine passes around. Data in, data out: nothing here touches files, sockets or UI.

import type { PlaceFact } from './place';

/** The rule a decision names when only the freeze holds it (nothing else about the command is gated). */
export const FREEZE_RULE = 'freeze.changes-state';

/** How much a command can change or lose, from least to most. */
export const SEVERITIES = ['read', 'write', 'risky', 'destructive', 'catastrophic'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The workspace's environment label. */
export const TIERS = ['production', 'staging', 'development', 'unknown'] as const;
export type Tier = (typeof TIERS)[number];

/** allow: runs; confirm: waits for a person to type the resource; deny: refused, no approval offered. */
export const VERDICTS = ['allow', 'confirm', 'deny'] as const;
export type Verdict = (typeof VERDICTS)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function verdictRank(v: Verdict): number {
  return VERDICTS.indexOf(v);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export function isTier(x: unknown): x is Tier {
  return typeof x === 'string' && (TIERS as readonly string[]).includes(x);
}

const TIER_ALIASES: Readonly<Record<string, Tier>> = { prod: 'production', live: 'production', stage: 'staging', stg: 'staging', dev: 'development', local: 'development' };

/** A tier from what a person writes (`prod`, `Production`, `staging`); undefined when it names none. */
export function parseTier(x: unknown): Tier | undefined {
  if (typeof x !== 'string') return undefined;
  const t = x.trim().toLowerCase();
  return isTier(t) ? t : TIER_ALIASES[t];
}

/** One rule that fired on one simple command. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** What the rule guards against, in words a person reads in the approval prompt. */
  summary: string;
  /** What a person must type to approve: a branch, path, table, namespace, bucket, volume id... */
  resource: string;
  /** The simple command that triggered it, as written. */
  command: string;
  /** Extra detail for the person (e.g. the SQL statement or GraphQL field). */
  detail?: string;
  /** Set when the verdict for this finding came from a user rule. */
  userRule?: string;
  /** The resource is a stand-in that this fact of the working folder names better (see core/place). */
  inPlace?: PlaceFact;
}

export interface Decision {
  decision: Verdict;
  /** The highest severity seen in the command line. */
  severity: Severity;
  /** Rule ids that decided the outcome (empty for a plain allow). */
  rules: string[];
  /** What a person must type to approve; null when nothing needs approval. */
  resource: string | null;
  /** One line a person understands. */
  reason: string;
  /** The exact sub-command that triggered the decision (the whole line for a plain allow). */
  command: string;
  tier: Tier;
  freeze: boolean;
  findings: Finding[];
  /** Set when the command line could not be fully understood. */
  parseError?: string;
}
