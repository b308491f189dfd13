// The human keystroke: an input box that stays open when focus moves, approves only on an exact match, and
// refuses on anything else, Escape, or a timeout. No command or argument can fill it in.

import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import { approvalText, timeLeft } from '../gate/approvalText';
import type { ApprovalOutcome, ApprovalRequest, Approver } from '../gate/service';

export type TypedAnswer = 'match' | 'wrong-name' | 'dismissed' | 'timeout' | 'cancelled';

export interface TypedQuestion {
  /** What is being decided, in a person's words (never a rule id alone). */
  title: string;
  /** The line under the input: starts with what to type; the box adds the time left. */
  prompt: string;
  expected: string;
  /** What typing the name does, for the hint inside the input ("run it", "lower it"). */
  action: string;
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
      clearInterval(tick);
      q.abort?.removeEventListener('abort', onAbort);
      box.dispose();
      resolve(a);
    };
    const onAbort = () => finish('cancelled');
    const deadline = Date.now() + q.timeoutMs;
    const timer = setTimeout(() => finish('timeout'), q.timeoutMs);
    // The time left is part of the question: it counts down where the person reads it.
    const showPrompt = () => (box.prompt = `${q.prompt} Refused in ${timeLeft(deadline - Date.now())} if unanswered.`);
    const tick = setInterval(showPrompt, 1000);
    q.abort?.addEventListener('abort', onAbort);
    box.title = q.title;
    showPrompt();
    // Inside the input, where the cursor is: the exact name, and what Escape does.
    box.placeholder = `Type ${q.expected} to ${q.action} — Escape refuses`;
    box.ignoreFocusOut = true;
    box.onDidChangeValue((v) => {
      box.validationMessage = v && !q.expected.startsWith(v) ? `Does not match ${q.expected}: pressing Enter now refuses.` : undefined;
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
    const text = approvalText(req);
    const answer = await askTyped({ ...text, expected: req.expected, action: 'run it', timeoutMs: this.timeoutMs(), abort });
    if (answer === 'match') return { approved: true, by: approver() };
    return { approved: false, how: answer };
  }

  refused(req: ApprovalRequest): void {
    this.onRefused(req);
  }
}
