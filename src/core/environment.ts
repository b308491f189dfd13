// Which environment a workspace points at, from signals a person would recognise, with the evidence shown.

import type { Tier } from './types';

export interface EnvironmentSignals {
  /** File names present at the workspace root. */
  files: readonly string[];
  /** Contents of .terraform/environment (the selected Terraform workspace). */
  terraformWorkspace?: string;
  /** current-context of the kubeconfig the terminals would use. */
  kubeContext?: string;
  gitBranch?: string;
}

export interface Detection {
  tier: Tier;
  evidence: string[];
}

const TIER_ORDER: readonly Tier[] = ['unknown', 'development', 'staging', 'production'];

export function tierRank(t: Tier): number {
  return TIER_ORDER.indexOf(t);
}

export function stricterTier(a: Tier, b: Tier): Tier {
  return tierRank(a) >= tierRank(b) ? a : b;
}

/** Reads a name like `prod-eu`, `staging`, `dev` as a tier, or undefined. */
export function tierFromName(name: string): Tier | undefined {
  const n = name.toLowerCase();
  if (/(^|[^a-z])(prod|production|prd|live)([^a-z]|$)/.test(n)) return 'production';
  if (/(^|[^a-z])(stag|staging|stage|stg|preprod|uat)([^a-z]|$)/.test(n)) return 'staging';
  if (/(^|[^a-z])(dev|development|local|test|sandbox)([^a-z]|$)/.test(n)) return 'development';
  return undefined;
}

export function detectTier(s: EnvironmentSignals): Detection {
  const found: { tier: Tier; why: string }[] = [];
  for (const f of s.files) {
    const m = /^\.env\.(.+)$/.exec(f);
    const t = m && !/example|sample|template/i.test(m[1]) ? tierFromName(m[1]) : undefined;
    if (t) found.push({ tier: t, why: `${f} is in the workspace` });
  }
  if (s.terraformWorkspace) {
    const t = tierFromName(s.terraformWorkspace.trim());
    if (t) found.push({ tier: t, why: `Terraform workspace is "${s.terraformWorkspace.trim()}"` });
  }
  if (s.kubeContext) {
    const t = tierFromName(s.kubeContext);
    if (t) found.push({ tier: t, why: `kubectl context is "${s.kubeContext}"` });
  }
  if (s.gitBranch && /^(production|prod|live|release\/.+|staging|stage)$/.test(s.gitBranch)) {
    const t = tierFromName(s.gitBranch.replace(/^release\/.+$/, 'production'));
    if (t) found.push({ tier: t, why: `git branch is "${s.gitBranch}"` });
  }
  if (!found.length) return { tier: 'unknown', evidence: ['no environment signal found; label it with the agentGuard.environment setting'] };
  const tier = found.reduce<Tier>((acc, f) => stricterTier(acc, f.tier), 'unknown');
  return { tier, evidence: found.filter((f) => f.tier === tier).map((f) => f.why).concat(found.filter((f) => f.tier !== tier).map((f) => `${f.why} (${f.tier})`)) };
}

