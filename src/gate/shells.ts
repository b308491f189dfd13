// Which shells have the line gate loaded, as the gate server sees them: each interactive bash or zsh announces itself
// once its hook is in place (a `ping` whose command is `loaded <shell>`, with the shell's process id), and every line
// it sends after that counts as a sign of life. The editor matches these process ids to its terminals, and marks a
// terminal whose command started without passing the gate as "lost": the gate was there and no longer protects it.

export type LineGateState = 'loaded' | 'not loaded' | 'lost';

export interface ShellRecord {
  pid: number;
  shell: string;
  loaded: string;
  lastSeen: string;
  /** Why the gate no longer protects this shell (a command ran without passing it), when it does not. */
  lost?: string;
}

/** One terminal of a window, as `agent-guard doctor` and the protection view print it. */
export interface TerminalReport {
  name: string;
  pid?: number;
  shell?: string;
  state: LineGateState;
  detail: string;
}

const MAX_SHELLS = 500;

export class ShellRegistry {
  private readonly shells = new Map<number, ShellRecord>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** A shell's announcement: `loaded bash`, `loaded zsh`. Anything else is ignored. */
  announce(pid: number, text: string): boolean {
    const m = /^loaded ([a-z]{1,16})$/.exec(text.trim());
    if (!m || !Number.isInteger(pid) || pid <= 0) return false;
    if (this.shells.size >= MAX_SHELLS && !this.shells.has(pid)) this.shells.delete(this.shells.keys().next().value!);
    const t = this.now().toISOString();
    this.shells.set(pid, { pid, shell: m[1], loaded: t, lastSeen: t });
    return true;
  }

  /** A line from a shell: a sign that its gate is still there. */
  seen(pid: number): void {
    const r = this.shells.get(pid);
    if (r) r.lastSeen = this.now().toISOString();
  }

  /** A command this shell ran was never asked about: the gate is no longer in front of it. */
  lost(pid: number, why: string): void {
    const r = this.shells.get(pid);
    if (r && !r.lost) r.lost = why;
  }

  get(pid: number | undefined): ShellRecord | undefined {
    return pid === undefined ? undefined : this.shells.get(pid);
  }

  /** The state of a terminal whose shell has this process id. */
  stateOf(pid: number | undefined): LineGateState {
    const r = this.get(pid);
    return !r ? 'not loaded' : r.lost ? 'lost' : 'loaded';
  }
}

/** Shell types VS Code reports for a terminal that are shells a person types commands into (not a REPL). */
const SHELL_TYPES = new Set(['sh', 'bash', 'zsh', 'fish', 'ksh', 'csh', 'tcsh', 'dash', 'pwsh', 'powershell', 'cmd', 'gitbash', 'nu', 'xonsh']);

/**
 * `shell` is the shell VS Code says the terminal runs now: a shell whose gate announced itself and that was replaced
 * in the same process (`exec sh`) is no longer protected, though its process id is the same.
 */
export function describeTerminal(name: string, pid: number | undefined, shell: string | undefined, r: ShellRecord | undefined): TerminalReport {
  if (!r) {
    return {
      name,
      ...(pid !== undefined ? { pid } : {}),
      ...(shell ? { shell } : {}),
      state: 'not loaded',
      detail: 'the line gate is not loaded in this terminal (opened before Agent Guard, a shell it does not hook, or started without its settings): commands typed here are not checked before they run; open a new terminal',
    };
  }
  if (r.lost) return { name, pid: r.pid, shell: r.shell, state: 'lost', detail: `the line gate was loaded at ${r.loaded} and no longer protects this terminal: ${r.lost}` };
  const now = shell?.toLowerCase();
  if (now && now !== r.shell && SHELL_TYPES.has(now)) {
    return { name, pid: r.pid, shell: now, state: 'lost', detail: `the line gate was loaded at ${r.loaded} in ${r.shell}, and this terminal now runs ${now}, which has no line gate: commands typed here are not checked` };
  }
  return { name, pid: r.pid, shell: r.shell, state: 'loaded', detail: `the line gate is loaded (${r.shell}, since ${r.loaded}, last line ${r.lastSeen})` };
}

export function formatTerminals(window: string, terminals: readonly TerminalReport[]): string {
  const lines = [`Terminals of ${window}:`];
  if (!terminals.length) lines.push('    (no terminals open)');
  for (const t of terminals) lines.push(`    ${t.state === 'loaded' ? '✓' : '✗'} ${t.name}${t.pid ? ` (pid ${t.pid})` : ''}: ${t.detail}`);
  return lines.join('\n') + '\n';
}
