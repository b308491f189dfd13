// What the approval box says, in a person's words: a title from the rule's summary, the name to type first, the
// command, who asked and why, and the rule ids last. Pure, so its wording is tested without an editor.

import { FREEZE_RULE } from '../core/types';
import type { ApprovalRequest } from './service';

export interface ApprovalText {
  /** The box's title: what the command would do, and where. */
  title: string;
  /** The line under the input, starting with the name to type. The box adds how long is left. */
  prompt: string;
}

const MAX_COMMAND = 160;

/** What the held command would do, from the summary of the rule that held it. */
export function headline(req: ApprovalRequest): string {
  const d = req.decision;
  const gating = d.findings.find((f) => d.rules.includes(f.rule)) ?? d.findings[0];
  if (d.rules.includes('parse.not-understood') && !gating) return 'A command Agent Guard could not understand';
  if (gating) return gating.summary;
  if (d.rules.includes(FREEZE_RULE)) return 'Changes state while the freeze is on';
  const user = d.rules.find((r) => r.startsWith('user:'));
  if (user) return `Matches your rule "${user.slice('user:'.length)}"`;
  return 'A command that needs your approval';
}

export function approvalText(req: ApprovalRequest): ApprovalText {
  const d = req.decision;
  const where = d.freeze ? `${d.tier}, frozen` : d.tier;
  const more = d.rules.filter((r) => r !== 'parse.not-understood').length - 1;
  const title = `Agent Guard (${where}): ${headline(req)}${more > 0 ? ` (+${more} more)` : ''}`;
  const command = d.command.length > MAX_COMMAND ? `${d.command.slice(0, MAX_COMMAND)}…` : d.command;
  const who = req.agent ? `, from ${req.agent}` : req.terminal ? `, in terminal "${req.terminal}"` : '';
  const detail = d.findings.find((f) => f.detail && d.rules.includes(f.rule))?.detail;
  const parts = [
    `Type ${req.expected} to run: ${command}${who}.`,
    detail ? `(${detail})` : '',
    req.why ? `The agent says: "${req.why}".` : '',
    req.snapshotNote ?? '',
    req.auditProblem ? `The audit log cannot be written (${req.auditProblem}): this approval may go unrecorded.` : '',
    `Rule: ${d.rules.join(', ')}.`,
  ];
  return { title, prompt: parts.filter(Boolean).join(' ') };
}

/** `4:05`, `0:09`: time left before the box refuses on its own. */
export function timeLeft(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
