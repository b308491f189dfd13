// Which reader a command line is for: bash (and zsh, fish, sh: the POSIX reader), PowerShell, or cmd.exe.

export type ShellKind = 'bash' | 'powershell' | 'cmd';

export const SHELL_KINDS: readonly ShellKind[] = ['bash', 'powershell', 'cmd'];

/**
 * A shell named by a hook payload's tool or shell field, a terminal's shell path, or `--shell`: `pwsh`,
 * `powershell.exe`, `C:\Windows\System32\cmd.exe`, `/bin/zsh`. Undefined when the name says nothing.
 */
export function shellKindOf(name: string | undefined): ShellKind | undefined {
  if (!name) return undefined;
  const base = name.trim().split(/[\\/]/).pop()!.toLowerCase().replace(/\.exe$/, '');
  if (base === 'pwsh' || base === 'powershell' || base === 'pwsh-preview' || base === 'ps') return 'powershell';
  if (base === 'cmd' || base === 'command') return 'cmd';
  if (/^(ba|z|da|k|mk|a|fi|rba|c|tc)?sh$/.test(base) || base === 'git-bash' || base === 'gitbash' || base === 'wsl') return 'bash';
  return undefined;
}

/**
 * The shells a command line may be meant for when nothing names one: a terminal tool on Windows (its cwd a drive
 * path) runs in whatever shell the terminal has, PowerShell by default, so the line is read both ways and the
 * stricter reading wins.
 */
export function candidateShells(named: ShellKind | undefined, terminalTool: boolean, cwd: string, platform: string = process.platform): ShellKind[] {
  if (named) return [named];
  if (!terminalTool) return ['bash'];
  return platform === 'win32' || /^[A-Za-z]:[\\/]|^\\\\/.test(cwd) ? ['bash', 'powershell'] : ['bash'];
}
