// Decides each request from a shell or hook: classify, hold for a typed approval, record in the audit log.

import { createHash, randomBytes } from 'node:crypto';
import type { AuditEntry, DecidedBy } from '../core/audit/log';
import type { Engine } from '../core/classify';
import { nameInPlace, Place } from '../core/place';
import type { Decision, Tier } from '../core/types';
import { Judge } from './judge';
import { readPlace } from './place';
import type { GateReply, GateRequest } from './protocol';
import type { GateHandler } from './server';
import { ShellRegistry, type TerminalReport } from './shells';

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
  /** Said in the approval box before the person types: the audit log is failing, so this decision may go unrecorded. */
  auditProblem?: string;
  /** Said in the approval box before the person types: what the snapshot of what it deletes holds. */
  snapshotNote?: string;
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
  /** Writes the decision to the audit log; rejects when it cannot (the service then refuses in staging and production). */
  record(entry: AuditEntry): unknown;
  /** Why the audit log is failing right now, if it is: shown in the approval box before the person types. */
  auditProblem?: () => string | undefined;
  /** Judges command lines; long ones off the event loop. */
  judge?: Judge;
  /** At most this many commands of this window wait for a person at once; more are refused. */
  maxPendingApprovals?: number;
  now?: () => Date;
  /** How long an approval of a line also covers the same resources in the programs it starts. */
  ticketTtlMs?: number;
  /**
   * Runs before a command that deletes is released, and for held ones before the person is asked (it snapshots what
   * it deletes); returns a line saying what it kept, shown in the approval box and told to the shell. Never blocks.
   */
  beforeRun?: (req: ApprovalRequest) => Promise<string | void>;
  /** What names resources in a working folder (default: read from the disk by gate/place). */
  place?: (cwd: string) => Place;
  /** Called, synchronously, before any allowed command runs (the local history captures pending changes). */
  beforeCommand?: (req: ApprovalRequest) => void;
}

interface Ticket {
  resources: Set<string>;
  expires: number;
}

/** How long a person's approval of one tool call also answers the next agent's hook for the same call. */
const HOOK_ANSWER_MS = 5000;

/** Tiers where a decision that cannot be written to the audit log is refused rather than run unrecorded. */
const MUST_AUDIT = new Set<Tier>(['production', 'staging']);
const MAX_PENDING_APPROVALS = 16;

const SOURCE: Record<GateRequest['kind'], string> = { line: 'terminal', exec: 'exec', task: 'task', hook: 'hook', ping: 'ping' };

export function expectedText(d: Decision, requireTierPrefix: boolean): string {
  const r = d.resource ?? d.command;
  return requireTierPrefix && d.tier === 'production' ? `production/${r}` : r;
}

export class GateService implements GateHandler {
  private readonly tickets = new Map<string, Ticket>();
  private readonly pending = new Map<string, Promise<GateReply>>();
  private readonly seen = new Map<string, number>();
  /** The shells that announced their line gate, by process id. */
  readonly shells = new ShellRegistry();
  /** The window's terminals and whether each has the line gate (set by the editor), for `agent-guard doctor`. */
  terminalReport?: () => Promise<TerminalReport[]>;
  private readonly hookAnswers = new Map<string, { reply: GateReply; until: number }>();
  private readonly judge: Judge;
  private approvalsWaiting = 0;

  constructor(private readonly deps: GateServiceDeps) {
    this.judge = deps.judge ?? new Judge();
  }

  dispose(): void {
    this.judge.dispose();
  }

  /** Whether the gate was asked about this exact command in the last minute, or still is (for the last line). */
  recentlySeen(command: string): boolean {
    const t = this.seen.get(commandKey(command.trim()));
    return t !== undefined && Date.now() - t < 60_000;
  }

  handle(req: GateRequest, progress: (text: string) => void, abort: AbortSignal): Promise<GateReply> {
    if (req.kind === 'ping') return this.ping(req);
    if (req.kind === 'line' || req.kind === 'exec') this.shells.seen(req.pid);
    // Identical commands waiting in one terminal share one approval.
    // Hooks of several agents (VS Code runs Copilot's and Claude's) ask about one tool call: one approval serves them.
    const command = commandKey(req.command.trim());
    const key = req.kind === 'hook' ? `hook\u0000${req.cwd}\u0000${command}` : `${req.pid}\u0000${command}`;
    const existing = this.pending.get(key);
    if (existing) return existing;
    const answered = this.hookAnswers.get(key);
    if (answered && answered.until > Date.now()) return Promise.resolve(answered.reply);
    if (this.seen.size > 500) this.seen.clear();
    this.seen.set(command, Date.now());
    const p = this.decide(req, progress, abort).finally(() => {
      this.pending.delete(key);
      this.seen.set(command, Date.now());
    });
    if (req.kind === 'hook') {
      // Only an approval is reused: after a refusal (a mistyped name, say) the next ask goes to the person again.
      void p.then(
        (reply) => {
          for (const [k, a] of this.hookAnswers) if (a.until < Date.now()) this.hookAnswers.delete(k);
          if (reply.verdict === 'allow') this.hookAnswers.set(key, { reply, until: Date.now() + HOOK_ANSWER_MS });
        },
        // The server answers a failure itself (refused, and logged); nothing is kept for the next ask.
        () => undefined,
      );
    }
    this.pending.set(key, p);
    return p;
  }

  /**
   * The gate could not judge the line (the engine did not load, the settings could not be read): it is refused by the
   * server, and the refusal is recorded with why. The command itself is not written: without the engine its secrets
   * cannot be masked. Rethrows for the server, which answers "held" and logs it.
   */
  private async failed(req: GateRequest, e: unknown): Promise<never> {
    const why = e instanceof Error ? e.message : String(e);
    try {
      await this.deps.record({
        time: (this.deps.now?.() ?? new Date()).toISOString(),
        tier: 'unknown',
        source: req.kind === 'hook' ? `hook:${req.agent ?? 'unknown'}` : SOURCE[req.kind],
        terminal: req.terminal,
        cwd: req.cwd,
        command: `(${Buffer.byteLength(req.command)} bytes, not written: Agent Guard could not judge it, so could not mask its secrets)`,
        rules: [],
        resource: null,
        decision: 'deny',
        outcome: 'refused',
        decidedBy: 'policy',
        agent: req.agent,
        sessionId: req.sessionId,
        reason: `Agent Guard failed to decide: ${why}`,
      });
    } catch {
      // The server logs the failure itself; a log that cannot be written changes nothing about the refusal.
    }
    throw e;
  }

  /** A shell announcing its gate (`loaded bash`), or a question about the window's terminals (`terminals`). */
  private async ping(req: GateRequest): Promise<GateReply> {
    if (this.shells.announce(req.pid, req.command)) return { verdict: 'allow', message: 'pong' };
    if (req.command === 'terminals') {
      try {
        return { verdict: 'allow', message: JSON.stringify(this.terminalReport ? await this.terminalReport() : []) };
      } catch (e) {
        return { verdict: 'deny', message: `could not list the terminals: ${(e as Error).message}` };
      }
    }
    return { verdict: 'allow', message: 'pong' };
  }

  private async decide(req: GateRequest, progress: (text: string) => void, abort: AbortSignal): Promise<GateReply> {
    let s: GateSettings;
    let judged: Decision;
    try {
      s = this.deps.settings(req.cwd);
      judged = await this.judge.classify(s.engine, req.command, req.shell, { cwd: req.cwd });
    } catch (e) {
      return this.failed(req, e);
    }
    // A held command's stand-in resource is renamed by its working folder (the branch, the workspace): read only then.
    const d = judged.decision !== 'allow' && judged.findings.some((f) => f.inPlace) ? nameInPlace(judged, (this.deps.place ?? readPlace)(req.cwd)) : judged;
    const source = req.kind === 'hook' ? `hook:${req.agent ?? 'unknown'}` : SOURCE[req.kind];
    const redact = s.redact ?? ((text: string) => text);
    const why = req.why === undefined ? undefined : redact(req.why);
    const base = { id: randomBytes(6).toString('hex'), decision: d, expected: expectedText(d, s.requireTierPrefix), source, cwd: req.cwd, terminal: req.terminal, agent: req.agent, why };
    /** Writes the entry; resolves to why it could not be written, or undefined. */
    const record = async (outcome: AuditEntry['outcome'], decidedBy: DecidedBy, approver?: string): Promise<string | undefined> => {
      try {
        await this.deps.record({
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
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    };
    /** An allowed command whose decision cannot be recorded runs only where the log is not required. */
    const unrecorded = (problem: string | undefined): GateReply | undefined =>
      problem && MUST_AUDIT.has(d.tier) ? { verdict: 'deny', message: `refused by Agent Guard: in ${d.tier} every decision must be recorded, and the audit log cannot be written (${problem})` } : undefined;

    if (d.decision === 'allow') {
      // Allowed but still a delete (`rm notes.txt` in development): snapshot it all the same, so nothing is lost.
      this.beforeCommand(base);
      const kept = d.findings.length ? await this.beforeRun(base) : undefined;
      // A shim's plain allow repeats what the line gate already logged; keep the log to decisions that say something.
      if (req.kind !== 'exec' || d.findings.length) {
        const refused = unrecorded(await record('ran', 'auto'));
        if (refused) return refused;
      }
      return { verdict: 'allow', message: d.findings.length ? withNote(d.reason, kept) : 'allowed' };
    }
    const rules = d.rules.join(', ');
    if (d.decision === 'deny') {
      await record('refused', 'policy');
      this.deps.approver.refused(base);
      return { verdict: 'deny', message: `refused by Agent Guard — ${rules}: ${d.reason}` };
    }
    if (this.coveredByTicket(req.ticket, d)) {
      const kept = await this.beforeRun(base);
      const refused = unrecorded(await record('ran', 'ticket'));
      if (refused) return refused;
      return { verdict: 'allow', message: withNote(`covered by the approval of the line that started it — ${rules}`, kept) };
    }
    const limit = this.deps.maxPendingApprovals ?? MAX_PENDING_APPROVALS;
    if (this.approvalsWaiting >= limit) {
      await record('refused', 'policy');
      return { verdict: 'deny', message: `refused by Agent Guard: ${limit} commands of this window are already waiting for a person; try again after answering them — ${rules}` };
    }
    const auditProblem = this.deps.auditProblem?.();
    progress(`held by Agent Guard (${d.tier}) — ${rules}. Approve in VS Code by typing: ${base.expected}`);
    // What it deletes is copied first, so the person sees what the snapshot holds before typing the name.
    const snapshotNote = await this.beforeRun(base);
    const held = { ...base, ...(auditProblem ? { auditProblem } : {}), ...(snapshotNote ? { snapshotNote } : {}) };
    this.approvalsWaiting++;
    let outcome: ApprovalOutcome;
    try {
      outcome = await this.deps.approver.approve(held, abort);
    } finally {
      this.approvalsWaiting--;
    }
    if (!outcome.approved) {
      await record('refused', outcome.how);
      return { verdict: 'deny', message: `refused (${describe(outcome.how)}) — ${rules}` };
    }
    const problem = await record('ran', 'typed', outcome.by);
    // The box said the log was failing before the person typed: their approval stands. Otherwise the failure is news.
    if (!auditProblem) {
      const refused = unrecorded(problem);
      if (refused) return refused;
    }
    const ticket = this.issueTicket(d);
    return { verdict: 'allow', ticket, message: withNote(`approved by ${outcome.by} (typed "${base.expected}") — ${rules}`, snapshotNote) };
  }

  private beforeCommand(req: ApprovalRequest): void {
    try {
      this.deps.beforeCommand?.(req);
    } catch {
      // The history is a safety net behind the gate: its failure never blocks or refuses a command.
    }
  }

  private async beforeRun(req: ApprovalRequest): Promise<string | undefined> {
    if (!this.deps.beforeRun) return undefined;
    try {
      return (await this.deps.beforeRun(req)) || undefined;
    } catch (e) {
      // A snapshot that fails must not turn an approval into a refusal; it is said, not hidden.
      return `Snapshot failed (${(e as Error).message}).`;
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

/** A map key for a command line: the line itself, or for a long one its digest (hashing a 1 MB key per lookup is slow). */
function commandKey(command: string): string {
  return command.length <= 4096 ? command : `sha1:${command.length}:${createHash('sha1').update(command).digest('hex')}`;
}

function withNote(message: string, note: string | undefined): string {
  return note ? `${message}. ${note}` : message;
}

function describe(how: string): string {
  return { 'wrong-name': 'the typed name did not match', dismissed: 'dismissed', timeout: 'no answer in time', cancelled: 'the command was cancelled', unfocused: 'the window was not focused' }[how] ?? how;
}
