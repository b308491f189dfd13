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
  if (/^(ba|z|da|k|mk|a|fi|rba)?sh$/.test(base) || base === 'git-bash' || base === 'wsl') return 'bash';
  return undefined;
}
