// Decides each request from a shell or hook: classify, hold for a typed approval, record in the audit log.

import { randomBytes } from 'node:crypto';
import type { AuditEntry, DecidedBy } from '../core/audit/log';
import type { Engine } from '../core/classify';
import type { Decision, Tier } from '../core/types';
import type { GateReply, GateRequest } from './protocol';
import type { GateHandler } from './server';

export interface ApprovalRequest {
  id: string;
  decision: Decision;
  /** Exactly what the person must type. */
  expected: string;
  source: string;
  cwd: string;
  terminal?: string;
  agent?: string;
  why?: string;
}

export type ApprovalOutcome =
  | { approved: true; by: string }
  | { approved: false; how: Exclude<DecidedBy, 'auto' | 'typed' | 'ticket' | 'policy' | 'unreachable'> };

/** The person. Implemented by the editor's input box; nothing else can answer it. */
export interface Approver {
  approve(req: ApprovalRequest, abort: AbortSignal): Promise<ApprovalOutcome>;
  /** Tells the person a command was refused outright (no approval is offered). */
  refused(req: ApprovalRequest): void;
}

export interface GateSettings {
  engine: Engine;
  tier: Tier;
  workspace: string;
  /** In production, the person types `production/<resource>`. */
  requireTierPrefix: boolean;
  /** Masks found credentials in text the gate keeps or shows (the audit entry's command, the agent's reason). */
  redact?: (text: string) => string;
}

export interface GateServiceDeps {
  settings(cwd: string): GateSettings;
  approver: Approver;
  record(entry: AuditEntry): void;
  now?: () => Date;
  /** How long an approval of a line also covers the same resources in the programs it starts. */
  ticketTtlMs?: number;
  /** Runs before an approved command is released (e.g. snapshots what it deletes); its failure never blocks. */
  beforeRun?: (req: ApprovalRequest) => Promise<void>;
}

interface Ticket {
  resources: Set<string>;
  expires: number;
}

/** How long a person's approval of one tool call also answers the next agent's hook for the same call. */
const HOOK_ANSWER_MS = 5000;

const SOURCE: Record<GateRequest['kind'], string> = { line: 'terminal', exec: 'exec', task: 'task', hook: 'hook', ping: 'ping' };

export function expectedText(d: Decision, requireTierPrefix: boolean): string {
  const r = d.resource ?? d.command;
  return requireTierPrefix && d.tier === 'production' ? `production/${r}` : r;
}

export class GateService implements GateHandler {
  private readonly tickets = new Map<string, Ticket>();
  private readonly pending = new Map<string, Promise<GateReply>>();
  private readonly seen = new Map<string, number>();
  private readonly hookAnswers = new Map<string, { reply: GateReply; until: number }>();

  constructor(private readonly deps: GateServiceDeps) {}

  /** Whether the gate was asked about this exact command in the last minute, or still is (for the last line). */
  recentlySeen(command: string): boolean {
    const t = this.seen.get(command.trim());
    return t !== undefined && Date.now() - t < 60_000;
  }

  handle(req: GateRequest, progress: (text: string) => void, abort: AbortSignal): Promise<GateReply> {
    if (req.kind === 'ping') return Promise.resolve({ verdict: 'allow', message: 'pong' });
    // Identical commands waiting in one terminal share one approval.
    // Hooks of several agents (VS Code runs Copilot's and Claude's) ask about one tool call: one approval serves them.
    const key = req.kind === 'hook' ? `hook\u0000${req.cwd}\u0000${req.command}` : `${req.pid}\u0000${req.command}`;
    const existing = this.pending.get(key);
    if (existing) return existing;
    const answered = this.hookAnswers.get(key);
    if (answered && answered.until > Date.now()) return Promise.resolve(answered.reply);
    if (this.seen.size > 500) this.seen.clear();
    this.seen.set(req.command.trim(), Date.now());
    const p = this.decide(req, progress, abort).finally(() => {
      this.pending.delete(key);
      this.seen.set(req.command.trim(), Date.now());
    });
    if (req.kind === 'hook') {
      // Only an approval is reused: after a refusal (a mistyped name, say) the next ask goes to the person again.
      void p.then((reply) => {
        for (const [k, a] of this.hookAnswers) if (a.until < Date.now()) this.hookAnswers.delete(k);
        if (reply.verdict === 'allow') this.hookAnswers.set(key, { reply, until: Date.now() + HOOK_ANSWER_MS });
      });
    }
    this.pending.set(key, p);
    return p;
  }

  private async decide(req: GateRequest, progress: (text: string) => void, abort: AbortSignal): Promise<GateReply> {
    const s = this.deps.settings(req.cwd);
    const d = s.engine.classify(req.command);
    const source = req.kind === 'hook' ? `hook:${req.agent ?? 'unknown'}` : SOURCE[req.kind];
    const redact = s.redact ?? ((text: string) => text);
    const why = req.why === undefined ? undefined : redact(req.why);
    const base = { id: randomBytes(6).toString('hex'), decision: d, expected: expectedText(d, s.requireTierPrefix), source, cwd: req.cwd, terminal: req.terminal, agent: req.agent, why };
    const record = (outcome: AuditEntry['outcome'], decidedBy: DecidedBy, approver?: string) =>
      this.deps.record({
        time: (this.deps.now?.() ?? new Date()).toISOString(),
        workspace: s.workspace,
        tier: d.tier,
        ...(d.freeze ? { freeze: true } : {}),
        source,
        terminal: req.terminal,
        cwd: req.cwd,
        command: redact(req.command),
        rules: d.rules,
        resource: d.resource,
        severity: d.severity,
        decision: d.decision,
        outcome,
        decidedBy,
        approver,
        agent: req.agent,
        why,
        sessionId: req.sessionId,
        reason: d.reason,
      });

    if (d.decision === 'allow') {
      // Allowed but still a delete (`rm notes.txt` in development): snapshot it all the same, so nothing is lost.
      if (d.findings.length) await this.beforeRun(base);
      // A shim's plain allow repeats what the line gate already logged; keep the log to decisions that say something.
      if (req.kind !== 'exec' || d.findings.length) record('ran', 'auto');
      return { verdict: 'allow', message: d.findings.length ? d.reason : 'allowed' };
    }
    const rules = d.rules.join(', ');
    if (d.decision === 'deny') {
      record('refused', 'policy');
      this.deps.approver.refused(base);
      return { verdict: 'deny', message: `refused by Agent Guard — ${rules}: ${d.reason}` };
    }
    if (this.coveredByTicket(req.ticket, d)) {
      await this.beforeRun(base);
      record('ran', 'ticket');
      return { verdict: 'allow', message: `covered by the approval of the line that started it — ${rules}` };
    }
    progress(`held by Agent Guard (${d.tier}) — ${rules}. Approve in VS Code by typing: ${base.expected}`);
    const outcome = await this.deps.approver.approve(base, abort);
    if (!outcome.approved) {
      record('refused', outcome.how);
      return { verdict: 'deny', message: `refused (${describe(outcome.how)}) — ${rules}` };
    }
    await this.beforeRun(base);
    record('ran', 'typed', outcome.by);
    const ticket = this.issueTicket(d);
    return { verdict: 'allow', ticket, message: `approved by ${outcome.by} (typed "${base.expected}") — ${rules}` };
  }

  private async beforeRun(req: ApprovalRequest): Promise<void> {
    if (!this.deps.beforeRun) return;
    try {
      await this.deps.beforeRun(req);
    } catch {
      /* a snapshot that fails must not turn an approval into a refusal */
    }
  }

  private issueTicket(d: Decision): string {
    const id = randomBytes(16).toString('hex');
    const now = (this.deps.now?.() ?? new Date()).getTime();
    for (const [k, t] of this.tickets) if (t.expires < now) this.tickets.delete(k);
    this.tickets.set(id, { resources: new Set(d.findings.map((f) => f.resource).concat(d.resource ?? [])), expires: now + (this.deps.ticketTtlMs ?? 10 * 60_000) });
    return id;
  }

  /** A program started by an approved line may do what the person approved, and nothing else. */
  private coveredByTicket(id: string | undefined, d: Decision): boolean {
    const t = id ? this.tickets.get(id) : undefined;
    if (!t || t.expires < (this.deps.now?.() ?? new Date()).getTime()) return false;
    const gating = d.findings.filter((f) => d.rules.includes(f.rule));
    return gating.length > 0 && gating.every((f) => t.resources.has(f.resource));
  }
}

function describe(how: string): string {
  return { 'wrong-name': 'the typed name did not match', dismissed: 'dismissed', timeout: 'no answer in time', cancelled: 'the command was cancelled', unfocused: 'the window was not focused' }[how] ?? how;
}
