// The engine: a command line in, a Decision out. Every surface (terminals, tasks, agent hooks, the CLI) calls this.

import { expand, Invocation } from './parse/invocation';
import { CompiledUserRules, DEFAULT_POLICY, FREEZE_POLICY, UNPARSEABLE_POLICY, UserRules } from './policy';
import { isReadOnly } from './readonly';
import { RULES } from './rules';
import type { Rule } from './rules/rule';
import { joinResources, standIn } from './rules/rule';
import { Decision, Finding, maxSeverity, Severity, severityRank, Tier, Verdict, verdictRank } from './types';

export interface EngineOptions {
  tier?: Tier;
  /** Plan-only mode: everything that changes state is held. */
  freeze?: boolean;
  rules?: UserRules;
}

/** Command lines longer than this are checked up to this length and treated as not understood. */
export const MAX_COMMAND_LENGTH = 2 * 1024 * 1024;

const RULE_INDEX: ReadonlyMap<string, readonly Rule[]> = indexRules(RULES);
const EVERY_PROGRAM: readonly Rule[] = RULE_INDEX.get('*') ?? [];

function indexRules(rules: readonly Rule[]): Map<string, Rule[]> {
  const index = new Map<string, Rule[]>();
  for (const r of rules) {
    for (const p of r.programs) {
      const list = index.get(p);
      if (list) list.push(r);
      else index.set(p, [r]);
    }
  }
  return index;
}

/** The rules that fired on one invocation. A rule that throws is reported, never fatal. */
export function findingsFor(inv: Invocation): Finding[] {
  const out: Finding[] = [];
  const candidates = RULE_INDEX.get(inv.program);
  for (const list of candidates ? [candidates, EVERY_PROGRAM] : [EVERY_PROGRAM]) {
    for (const rule of list) {
      let m;
      try {
        m = rule.match(inv);
      } catch (e) {
        m = { resource: inv.program, detail: `rule error: ${(e as Error).message}` };
      }
      if (!m) continue;
      out.push({
        rule: rule.id,
        severity: m.severity ?? rule.severity,
        summary: rule.summary,
        // A resource is what a person types: never let it be blank.
        resource: m.resource.trim() || standIn(inv),
        command: inv.text,
        ...(m.detail ? { detail: m.detail } : {}),
      });
    }
  }
  return out;
}

interface Judged {
  verdict: Verdict;
  severity: Severity;
  findings: Finding[];
  command: string;
  userRule?: string;
}

export class Engine {
  readonly tier: Tier;
  readonly freeze: boolean;
  readonly userRules: CompiledUserRules;

  constructor(options: EngineOptions = {}) {
    this.tier = options.tier ?? 'unknown';
    this.freeze = !!options.freeze;
    this.userRules = new CompiledUserRules(options.rules);
  }

  classify(commandLine: unknown): Decision {
    if (typeof commandLine !== 'string') {
      return this.notUnderstood('', 'the command is not text');
    }
    let text = commandLine;
    const errors: string[] = [];
    if (text.length > MAX_COMMAND_LENGTH) {
      errors.push(`longer than ${MAX_COMMAND_LENGTH} characters`);
      text = text.slice(0, MAX_COMMAND_LENGTH);
    }
    let invocations: Invocation[];
    try {
      const ex = expand(text);
      invocations = ex.invocations;
      errors.push(...ex.errors);
    } catch (e) {
      return this.notUnderstood(text, `internal parser error: ${(e as Error).message}`);
    }

    const judged = invocations.map((inv) => this.judge(inv));
    let worst: Judged | undefined;
    let severity: Severity = 'read';
    for (const j of judged) {
      severity = maxSeverity(severity, j.severity);
      if (!worst || verdictRank(j.verdict) > verdictRank(worst.verdict) || (j.verdict === worst.verdict && severityRank(j.severity) > severityRank(worst.severity))) worst = j;
    }
    const findings = judged.flatMap((j) => j.findings);
    const parseError = errors.length ? errors.join('; ') : undefined;

    let decision: Verdict = worst?.verdict ?? 'allow';
    if (parseError && verdictRank(UNPARSEABLE_POLICY[this.tier]) > verdictRank(decision)) {
      return this.notUnderstood(text, parseError, findings, severity);
    }
    const gating = judged.filter((j) => j.verdict === decision && decision !== 'allow');
    const gatingFindings = gating.flatMap((j) => j.findings);
    const rules = [...new Set((decision === 'allow' ? [] : gatingFindings).map((f) => f.rule).concat(gating.flatMap((j) => (j.userRule && !j.findings.length ? [`user:${j.userRule}`] : []))))];
    if (parseError && decision !== 'allow') rules.push('parse.not-understood');
    const resource = decision === 'allow' ? null : joinResources(gating.flatMap((j) => (j.findings.length ? j.findings.map((f) => f.resource) : [standInFor(j.command)])));
    return {
      decision,
      severity,
      rules,
      resource,
      reason: this.reason(decision, worst, parseError),
      command: decision === 'allow' ? text.trim() : (worst?.command ?? text.trim()),
      tier: this.tier,
      freeze: this.freeze,
      findings,
      ...(parseError ? { parseError } : {}),
    };
  }

  private judge(inv: Invocation): Judged {
    const findings = findingsFor(inv);
    let severity: Severity = isReadOnly(inv) ? 'read' : 'write';
    for (const f of findings) severity = maxSeverity(severity, f.severity);
    let verdict = DEFAULT_POLICY[this.tier][severity];
    let userRule: string | undefined;
    if (!this.userRules.empty) {
      const u = this.userRules.verdictFor(userText(inv), findings.map((f) => f.rule));
      if (u) {
        verdict = u.verdict;
        userRule = u.entry;
        for (const f of findings) f.userRule = u.entry;
      }
    }
    if (this.freeze && verdictRank(FREEZE_POLICY[severity]) > verdictRank(verdict)) verdict = FREEZE_POLICY[severity];
    return { verdict, severity, findings, command: inv.text, userRule };
  }

  private reason(decision: Verdict, worst: Judged | undefined, parseError: string | undefined): string {
    const where = this.freeze ? `${this.tier} (frozen)` : this.tier;
    if (!worst || decision === 'allow') {
      if (parseError) return `Allowed in ${where}, though not fully understood: ${parseError}.`;
      return worst && worst.findings.length
        ? `Allowed by ${worst.userRule ? `your rule "${worst.userRule}"` : `the ${where} policy`}: ${worst.findings[0].summary}.`
        : 'Nothing destructive found.';
    }
    const f = worst.findings[0];
    const what = f ? `${f.summary}${f.detail ? ` (${f.detail})` : ''}` : this.freeze && worst.severity !== 'read' ? 'it changes state' : `matches your rule "${worst.userRule}"`;
    const by = worst.userRule ? ` — your rule "${worst.userRule}"` : this.freeze ? ' — freeze is on' : '';
    if (decision === 'deny') return `Refused in ${where}: ${what}${by}.`;
    return `Held in ${where}: ${what}${by}.`;
  }

  private notUnderstood(text: string, why: string, findings: Finding[] = [], severity: Severity = 'write'): Decision {
    const verdict = UNPARSEABLE_POLICY[this.tier];
    const decision: Verdict = findings.length && findings.some((f) => f.severity === 'catastrophic') && this.tier === 'production' ? 'deny' : verdict;
    return {
      decision,
      severity,
      rules: ['parse.not-understood', ...new Set(findings.map((f) => f.rule))],
      resource: decision === 'allow' ? null : joinResources(findings.length ? findings.map((f) => f.resource) : [standInFor(text)]),
      reason: `${decision === 'allow' ? 'Allowed' : decision === 'deny' ? 'Refused' : 'Held'} in ${this.tier}: the command could not be understood (${why}).`,
      command: text.length > 500 ? text.slice(0, 500) + '…' : text.trim(),
      tier: this.tier,
      freeze: this.freeze,
      findings,
      parseError: why,
    };
  }
}

/** The text user command globs match: the program and its arguments, after wrappers. */
function userText(inv: Invocation): string {
  return [inv.program, ...inv.args].join(' ');
}

/** A stand-in resource for a command held without a rule (freeze, a user rule, not understood). */
function standInFor(text: string): string {
  const words = text.trim().split(/\s+/).filter((w) => w && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  const cmd = words.slice(0, 2).join(' ');
  return cmd.length > 60 ? cmd.slice(0, 60) : cmd || 'command';
}

/** Classifies one command line with the given options. For many lines, build one Engine and reuse it. */
export function classify(commandLine: string, options: EngineOptions = {}): Decision {
  return new Engine(options).classify(commandLine);
}
