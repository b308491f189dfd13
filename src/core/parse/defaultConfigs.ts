// The configuration files a program reads without being told (`~/.tmux.conf`, `~/.ssh/config`): one the line writes
// before running the program is not understood, as a script the line writes before running it is; one already there
// is the person's own, and is not read.

import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';
import { own } from '../own';

const DEFAULT_CONFIGS: Record<string, string[]> = {
  tmux: ['~/.tmux.conf', '~/.config/tmux/tmux.conf'],
  byobu: ['~/.tmux.conf', '~/.config/tmux/tmux.conf', '~/.byobu/.tmux.conf'],
  screen: ['~/.screenrc'],
  kitty: ['~/.config/kitty/kitty.conf'],
  kitten: ['~/.config/kitty/kitty.conf'],
  wezterm: ['~/.wezterm.lua', '~/.config/wezterm/wezterm.lua'],
  zellij: ['~/.config/zellij/config.kdl'],
  ssh: ['~/.ssh/config'],
  scp: ['~/.ssh/config'],
  sftp: ['~/.ssh/config'],
};

/** Reports inv's default configuration files that the line writes before inv runs (their text is not judged). */
export function defaultConfigsWritten(inv: Invocation, host: LauncherHost): void {
  for (const f of own(DEFAULT_CONFIGS, inv.program) ?? []) host.file(inv, f, `${inv.program} reads its configuration`);
}
