// A short hand-off note for the next session: what the old one was doing, the commands it ran (with the guard's
// decisions from the audit log when the lead wires them in) and the files it touched.

import { formatAge, formatTokens } from './nudge';
import { SOURCE_LABELS, shortId, type SessionMeter } from './meter';
import { isWithin } from './sources';

/** The audit log fields the summary uses (a subset of core/audit's AuditEntry). */
export interface HandoffAuditEntry {
  time: string;
  command: string;
  decision: string;
  cwd?: string;
  outcome?: string;
}

export interface HandoffOptions {
  now?: number;
  maxCommands?: number;
  maxFiles?: number;
}


function oneLine(s: string, max = 200): string {
  const flat = s.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** Audit entries that belong to this session: from its start on, in its directory. */
export function sessionAuditEntries(m: SessionMeter, entries: readonly HandoffAuditEntry[]): HandoffAuditEntry[] {
  return entries.filter((e) => {
    const t = Date.parse(e.time);
    if (m.startedAt !== undefined && !Number.isNaN(t) && t < m.startedAt - 60_000) return false;
    return !e.cwd || !m.cwd || isWithin(e.cwd, m.cwd);
  });
}

export function handoffSummary(m: SessionMeter, audit: readonly HandoffAuditEntry[] = [], options: HandoffOptions = {}): string {
  const now = options.now ?? Date.now();
  const maxCommands = options.maxCommands ?? 15;
  const maxFiles = options.maxFiles ?? 15;
  const facts = [`id ${shortId(m.sessionId)}`];
  if (m.model) facts.push(m.model);
  if (m.contextTokens) facts.push(`${m.basis === 'estimated' ? '~' : ''}${formatTokens(m.contextTokens)} tokens of context`);
  if (m.startedAt !== undefined) facts.push(`${formatAge(now - m.startedAt)} long`);
  if (m.commands) facts.push(`${m.commands} commands`);
  const lines = [`Hand-off from a previous ${SOURCE_LABELS[m.source]} session (${facts.join(', ')}).`];
  if (m.title) lines.push(`Topic: ${oneLine(m.title)}`);
  if (m.cwd) lines.push(`Working directory: ${m.cwd}`);

  const mine = sessionAuditEntries(m, audit);
  if (mine.length) {
    lines.push('', 'Recent commands (newest last), with Agent Guard\'s decision:');
    for (const e of mine.slice(-maxCommands)) {
      const how = e.outcome && e.outcome !== 'ran' ? `${e.decision}, ${e.outcome}` : e.decision;
      lines.push(`- \`${oneLine(e.command)}\` (${how})`);
    }
  } else if (m.recentCommands.length) {
    lines.push('', 'Recent commands (newest last):');
    for (const c of m.recentCommands.slice(-maxCommands)) lines.push(`- \`${oneLine(c)}\``);
  }
  const held = mine.filter((e) => e.outcome === 'held' || e.outcome === 'refused' || e.decision === 'deny');
  if (held.length) {
    lines.push('', 'Held or refused by Agent Guard (do not retry without asking):');
    for (const e of held.slice(-5)) lines.push(`- \`${oneLine(e.command)}\``);
  }
  if (m.recentFiles.length) {
    lines.push('', 'Files touched:');
    for (const f of m.recentFiles.slice(-maxFiles)) lines.push(`- ${f}`);
  }
  lines.push('', 'Re-read the project\'s instructions (AGENTS.md, CLAUDE.md, .github/copilot-instructions.md) before continuing.');
  return lines.join('\n');
}
