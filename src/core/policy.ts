// Severity x environment tier x freeze x user rules -> allow | confirm | deny. The strictest verdict wins.

import type { Minimatch } from 'minimatch';
import { late } from './late';
import type { Severity, Tier, Verdict } from './types';

/** The built-in policy: how each tier treats each severity. */
export const DEFAULT_POLICY: Readonly<Record<Tier, Readonly<Record<Severity, Verdict>>>> = {
  development: { read: 'allow', write: 'allow', risky: 'allow', destructive: 'confirm', catastrophic: 'confirm' },
  unknown: { read: 'allow', write: 'allow', risky: 'allow', destructive: 'confirm', catastrophic: 'confirm' },
  staging: { read: 'allow', write: 'allow', risky: 'confirm', destructive: 'confirm', catastrophic: 'confirm' },
  production: { read: 'allow', write: 'allow', risky: 'confirm', destructive: 'confirm', catastrophic: 'deny' },
};

/** A freeze (plan-only mode) holds everything that changes state and refuses what destroys. */
export const FREEZE_POLICY: Readonly<Record<Severity, Verdict>> = {
  read: 'allow',
  write: 'confirm',
  risky: 'confirm',
  destructive: 'deny',
  catastrophic: 'deny',
};

/** What happens to a command the engine cannot fully understand. */
export const UNPARSEABLE_POLICY: Readonly<Record<Tier, Verdict>> = {
  production: 'confirm',
  staging: 'confirm',
  unknown: 'confirm',
  development: 'allow',
};

/**
 * A person's own rules. Each entry is either a rule id glob (`git.force-push`, `sql.*`) or a command glob matched
 * against one simple command as written after its wrappers (`rm -rf node_modules`, `terraform destroy *`).
 */
export interface UserRules {
  allow?: readonly string[];
  confirm?: readonly string[];
  deny?: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const globs = late((): typeof import('./globs') => require('./globs'));

const RULE_ID_PATTERN = /^[a-z0-9*?-]+\.[a-z0-9*?.-]+$/;

export function isRuleIdPattern(entry: string): boolean {
  return RULE_ID_PATTERN.test(entry);
}

interface CompiledEntry {
  source: string;
  matcher: Minimatch;
  kind: 'rule' | 'command';
}

export class CompiledUserRules {
  private readonly lists: Record<Verdict, CompiledEntry[]>;
  /** Entries that could not be used, with why: shown to the person, never silently dropped. */
  readonly problems: string[] = [];

  constructor(rules: UserRules = {}) {
    this.lists = { allow: this.compile(rules.allow), confirm: this.compile(rules.confirm), deny: this.compile(rules.deny) };
  }

  get empty(): boolean {
    return !this.lists.allow.length && !this.lists.confirm.length && !this.lists.deny.length;
  }

  private compile(entries: readonly string[] | undefined): CompiledEntry[] {
    const out: CompiledEntry[] = [];
    if (entries !== undefined && !Array.isArray(entries)) {
      this.problems.push('a rule list must be an array of strings');
      return out;
    }
    for (const e of entries ?? []) {
      if (typeof e !== 'string' || !e.trim()) {
        this.problems.push(`ignored a rule entry that is not a non-empty string: ${JSON.stringify(e)}`);
        continue;
      }
      const source = e.trim();
      const kind = isRuleIdPattern(source) ? 'rule' : 'command';
      const matcher = new (globs().Minimatch)(kind === 'command' ? foldSlashes(source) : source, { dot: true, nocomment: true, nonegate: true });
      out.push({ source, matcher, kind });
    }
    return out;
  }

  /**
   * The strictest user verdict that applies to one simple command and the rules that fired on it.
   * Returns the entry that matched so the decision can say which.
   */
  verdictFor(commandText: string, ruleIds: readonly string[]): { verdict: Verdict; entry: string } | null {
    for (const verdict of ['deny', 'confirm', 'allow'] as const) {
      for (const e of this.lists[verdict]) {
        const hit = e.kind === 'rule' ? ruleIds.some((id) => e.matcher.match(id)) : e.matcher.match(foldSlashes(commandText));
        if (hit) return { verdict, entry: e.source };
      }
    }
    return null;
  }
}

/** A command is one string, not a path: fold `/` away so `*` spans slashes and spaces alike. */
function foldSlashes(s: string): string {
  return s.replace(/\//g, '\u2215');
}
