// What a rule is: a small declaration a reader can check at a glance, carrying its own examples.

import type { Invocation } from '../parse/invocation';
import type { Place, PlaceFact } from '../place';
import type { Severity } from '../types';

export interface RuleMatch {
  /** What a person must type to approve. */
  resource: string;
  /** Overrides the rule's severity for this match (e.g. `rm -rf /` is worse than `rm -rf build`). */
  severity?: Severity;
  /** Extra detail shown with the summary (the SQL statement, the GraphQL field…). */
  detail?: string;
  /** The resource is a stand-in: this fact of the working folder names it better (the branch, the workspace…). */
  inPlace?: PlaceFact;
}

/**
 * A gated example: the command, the resource a person must type, and for a rule that names its resource by the
 * working folder (`inPlace`), the resource in a given place.
 */
export type GatedExample = readonly [command: string, resource: string, inPlace?: readonly [place: Place, resource: string]];

export interface Rule {
  /** `family.name`, e.g. `git.force-push`; family is the file the rule lives in. */
  readonly id: string;
  readonly severity: Severity;
  /** What the rule guards against, in words a person reads in the approval prompt. */
  readonly summary: string;
  /** Programs whose invocations the rule looks at; `*` for every invocation. */
  readonly programs: readonly string[];
  match(inv: Invocation): RuleMatch | null | undefined | false;
  /** gated: must fire with this resource; allowed: must not fire. Both run as tests. */
  readonly examples: { readonly gated: readonly GatedExample[]; readonly allowed: readonly string[] };
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** A short, unambiguous stand-in when nothing names the resource better: the command word plus its target. */
export function standIn(inv: Invocation, target?: string): string {
  const t = target ?? inv.args.find((a) => !a.startsWith('-'));
  return t ? `${inv.program} ${t}` : inv.program;
}

/** Joins several resources into the one string a person types. */
export function joinResources(resources: readonly string[]): string {
  return [...new Set(resources.filter((r) => r !== ''))].join(' ');
}
