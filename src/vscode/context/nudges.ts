// Shows a nudge and carries out the person's choice: start a fresh session (with the hand-off note on the
// clipboard), copy the hand-off note, or snooze.

import type * as vscode from 'vscode';
import { FRESH_SESSION_HINTS, SOURCE_LABELS, freshSessionCommand, handoffSummary, type HandoffAuditEntry, type Nudge, type SessionMeter } from '../../core/context';

export const ACTION_FRESH = 'Start fresh session';
export const ACTION_COPY = 'Copy hand-off summary';
export const ACTION_SNOOZE = 'Snooze';

/** The editor calls the nudges make: an interface so tests can drive them. */
export interface NudgeUi {
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  commands(): Thenable<string[]>;
  execute(command: string): Thenable<unknown>;
  copy(text: string): Thenable<void>;
}

export function vscodeNudgeUi(api: typeof vscode): NudgeUi {
  return {
    info: (m, ...a) => api.window.showInformationMessage(m, ...a),
    warn: (m, ...a) => api.window.showWarningMessage(m, ...a),
    commands: () => api.commands.getCommands(true),
    execute: (c) => api.commands.executeCommand(c),
    copy: (t) => api.env.clipboard.writeText(t),
  };
}

export interface NudgeDeps {
  ui: NudgeUi;
  auditEntries: (m: SessionMeter) => Promise<readonly HandoffAuditEntry[]>;
  snooze: (key: string) => void;
  log: (message: string) => void;
}

export function nudgeMessage(n: Nudge): string {
  const who = `${SOURCE_LABELS[n.meter.source]} session`;
  if (n.level === 'firm') return `This ${who} is very long (${n.reasons.join(', ')}). Instructions from early on are likely fading: start a fresh session with a hand-off summary.`;
  return `This ${who} is getting long (${n.reasons.join(', ')}). Consider starting a fresh session before instructions fade.`;
}

export async function copyHandoff(m: SessionMeter, deps: Pick<NudgeDeps, 'ui' | 'auditEntries' | 'log'>): Promise<string> {
  let audit: readonly HandoffAuditEntry[] = [];
  try {
    audit = await deps.auditEntries(m);
  } catch (e) {
    deps.log(`context meter: could not read the audit log for the hand-off summary: ${String(e)}`);
  }
  const text = handoffSummary(m, audit);
  await deps.ui.copy(text);
  return text;
}

/** Shows one nudge and acts on the answer. Resolves once the person chose (or dismissed). */
export async function showNudge(n: Nudge, deps: NudgeDeps): Promise<void> {
  const registered = new Set(await deps.ui.commands());
  const command = freshSessionCommand(n.meter.source, registered);
  const actions = [ACTION_FRESH, ACTION_COPY, ACTION_SNOOZE];
  const message = nudgeMessage(n);
  const choice = n.level === 'firm' ? await deps.ui.warn(message, ...actions) : await deps.ui.info(message, ...actions);
  if (choice === ACTION_SNOOZE) {
    deps.snooze(n.key);
  } else if (choice === ACTION_COPY) {
    await copyHandoff(n.meter, deps);
    void deps.ui.info('Hand-off summary copied. Paste it as the first message of the new session.');
  } else if (choice === ACTION_FRESH) {
    await copyHandoff(n.meter, deps);
    if (command) {
      try {
        await deps.ui.execute(command);
        void deps.ui.info('Started a fresh session; the hand-off summary is on the clipboard to paste as its first message.');
        return;
      } catch (e) {
        deps.log(`context meter: ${command} failed: ${String(e)}`);
      }
    }
    void deps.ui.info(`The hand-off summary is on the clipboard. ${FRESH_SESSION_HINTS[n.meter.source]}`);
  }
}
