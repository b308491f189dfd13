// The human keystroke: an input box that stays open when focus moves, approves only on an exact match, and
// refuses on anything else, Escape, or a timeout. No command or argument can fill it in.

import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import type { ApprovalOutcome, ApprovalRequest, Approver } from '../gate/service';

export type TypedAnswer = 'match' | 'wrong-name' | 'dismissed' | 'timeout' | 'cancelled';

export interface TypedQuestion {
  title: string;
  prompt: string;
  expected: string;
  timeoutMs: number;
  abort?: AbortSignal;
}

/** Prompts are shown one at a time; the next waits for the one before it. */
let queue: Promise<unknown> = Promise.resolve();

export function askTyped(q: TypedQuestion): Promise<TypedAnswer> {
  const run = () => showOnce(q);
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

function showOnce(q: TypedQuestion): Promise<TypedAnswer> {
  if (q.abort?.aborted) return Promise.resolve('cancelled');
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    let settled = false;
    const finish = (a: TypedAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      q.abort?.removeEventListener('abort', onAbort);
      box.dispose();
      resolve(a);
    };
    const onAbort = () => finish('cancelled');
    const timer = setTimeout(() => finish('timeout'), q.timeoutMs);
    q.abort?.addEventListener('abort', onAbort);
    box.title = q.title;
    box.prompt = q.prompt;
    box.placeholder = 'Type the name exactly to approve. Escape refuses.';
    box.ignoreFocusOut = true;
    box.onDidChangeValue((v) => {
      box.validationMessage = v && !q.expected.startsWith(v) ? 'Does not match: pressing Enter now refuses.' : undefined;
    });
    box.onDidAccept(() => finish(box.value === q.expected ? 'match' : 'wrong-name'));
    box.onDidHide(() => finish('dismissed'));
    box.show();
  });
}

export function approver(): string {
  try {
    return userInfo().username;
  } catch {
    return 'a person at this computer';
  }
}

export class InputBoxApprover implements Approver {
  constructor(
    private readonly timeoutMs: () => number,
    private readonly onRefused: (req: ApprovalRequest) => void,
  ) {}

  async approve(req: ApprovalRequest, abort: AbortSignal): Promise<ApprovalOutcome> {
    const d = req.decision;
    const where = d.freeze ? `${d.tier.toUpperCase()}, FROZEN` : d.tier.toUpperCase();
    const who = req.agent ? ` — from ${req.agent}` : req.terminal ? ` — terminal "${req.terminal}"` : '';
    const why = req.why ? ` The agent says: "${req.why}".` : '';
    const notes = [req.snapshotNote, req.auditProblem ? `The audit log cannot be written (${req.auditProblem}): this approval may go unrecorded.` : ''].filter(Boolean).map((n) => ` ${n}`).join('');
    const answer = await askTyped({
      title: `Agent Guard (${where}): held ${d.rules.join(', ')}${who}`,
      prompt: `${d.reason} Command: ${d.command}.${why}${notes} To run it, type: ${req.expected}`,
      expected: req.expected,
      timeoutMs: this.timeoutMs(),
      abort,
    });
    if (answer === 'match') return { approved: true, by: approver() };
    return { approved: false, how: answer };
  }

  refused(req: ApprovalRequest): void {
    this.onRefused(req);
  }
}
