// Per terminal of this window: whether its shell announced the line gate to this window's gate server (matched by the
// shell's process id), and whether a command later started there without passing it. The protection view, the badge
// and `agent-guard doctor` (through the gate channel) read the same report.

import * as vscode from 'vscode';
import { describeTerminal, type TerminalReport } from '../gate/shells';
import type { GateService } from '../gate/service';

/** A terminal's shell process id, or undefined when VS Code does not say within a second (a pty still starting). */
async function pidOf(t: vscode.Terminal): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([Promise.resolve(t.processId), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 1000)))]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

export async function terminalReports(service: GateService): Promise<TerminalReport[]> {
  return Promise.all(
    vscode.window.terminals.map(async (t) => {
      const pid = await pidOf(t);
      return describeTerminal(t.name, pid, t.state.shell, service.shells.get(pid));
    }),
  );
}
