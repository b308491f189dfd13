// Around the guard's sessions: a shell start-up file that would switch it off in the next terminal, keys typed into
// the approval box by software, and an agent started with its hooks off (the guard family, with guard.ts).

import { HOOK_OFF_VARS } from '../agents/protectedFiles';
import { expand, Invocation, staticOutput } from '../parse/invocation';
import { touchedPaths, WRITE_REDIRECT } from '../parse/writes';
import { tamper } from './guard';
import { defineRule } from './rule';

/** The shells' start-up files: what they hold runs in every new terminal before the guard's hook is loaded. */
const STARTUP_FILE = /(^|\/)(\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|\.zshenv|\.zprofile|\.zlogin|\.inputrc|bash\.bashrc|profile|zshrc|zshenv|zprofile|zlogin)$|(^|\/)(etc\/profile\.d|etc\/zsh|\.bashrc\.d|\.config\/bash|\.config\/zsh)\//;
/** Start-up code that would switch the guard off in the next terminal (unloads its hooks, keys, variables or PATH). */
const STARTUP_TAMPER = /AGENT_GUARD|PROMPT_COMMAND|BASH_ENV|ZDOTDIR|precmd|preexec|\bzle\b|bindkey|\bbind\b|\btrap\b|\benable\b|\bunset\b|\bunalias\b|\bunfunction\b|\bexec\b|\bhash\b|\bset\s+[-+]o\s+(vi|emacs)|\bpath=\(|command_not_found|\bsource\b|^\s*\.\s|\beval\b/m;

/** What a command writes into a file when the text shows it: echo, printf, cat of a heredoc, tee of a here-string. */
function writtenText(inv: Invocation): string | undefined {
  if (inv.program === 'tee') return inv.stdin ?? (inv.pipeFrom ? staticOutput(inv.pipeFrom) : undefined);
  return staticOutput(inv);
}

export const startupFiles = defineRule({
  id: 'guard.startup-file',
  severity: 'destructive',
  summary: "Changes a shell start-up file in a way that could switch Agent Guard off in the next terminal",
  programs: ['*'],
  match(inv: Invocation) {
    const targets = touchedPaths(inv).filter((t) => STARTUP_FILE.test(t.replace(/^["']|["']$/g, '')));
    if (!targets.length || inv.program === 'cd' || inv.program === 'pushd') return null;
    const appended = inv.redirects.some((r) => r.op === '>>') && !inv.redirects.some((r) => r.op !== '>>' && WRITE_REDIRECT.test(r.op));
    const text = appended || inv.program === 'tee' ? writtenText(inv) : undefined;
    // Appending known lines that leave the guard alone (a PATH entry, an alias of ls) is everyday setup.
    if (text !== undefined && (inv.program !== 'tee' || inv.args.some((a) => a === '-a' || a === '--append'))) {
      const lines = expand(text).invocations;
      if (!STARTUP_TAMPER.test(text) && !lines.some((l) => tamper.match(l))) return null;
      return { resource: targets[0], detail: 'the lines it adds would run in every new terminal before the guard' };
    }
    return { resource: targets[0], severity: 'risky', detail: 'its new content is not known when the command is checked' };
  },
  examples: {
    gated: [
      ["echo 'unset PROMPT_COMMAND' >> ~/.bashrc", '~/.bashrc'],
      ["printf 'unfunction precmd\\n' >> ~/.zshrc", '~/.zshrc'],
      ['echo "export PATH=/usr/bin:/bin" >> ~/.profile', '~/.profile'],
      ['cp /tmp/rc ~/.bashrc', '~/.bashrc'],
      ["sed -i '$a trap - DEBUG' ~/.bashrc", '~/.bashrc'],
      ['echo "set -o vi" | tee -a ~/.bashrc', '~/.bashrc'],
      ['echo x > ~/.zshrc', '~/.zshrc'],
    ],
    allowed: ['echo \'export PATH="$HOME/.cargo/bin:$PATH"\' >> ~/.bashrc', "echo 'alias ll=\"ls -la\"' >> ~/.zshrc", 'cat ~/.bashrc', 'grep PATH ~/.profile', 'echo \'export NVM_DIR="$HOME/.nvm"\' >> ~/.bashrc'],
  },
});

export const keystrokeInjection = defineRule({
  id: 'guard.keystroke-injection',
  severity: 'destructive',
  summary: 'Types or clicks on the screen by software, which could answer an approval meant for a person',
  programs: ['xdotool', 'ydotool', 'wtype', 'osascript', 'cliclick', 'AutoHotkey', 'nircmd'],
  match(inv: Invocation) {
    if (inv.program === 'osascript') return inv.args.some((a) => /keystroke|key code|click/i.test(a)) || inv.stdin?.match(/keystroke|key code/i) ? { resource: 'osascript' } : null;
    return inv.args.length ? { resource: inv.program } : null;
  },
  examples: {
    gated: [
      ['xdotool type "production/data"', 'xdotool'],
      ['osascript -e \'tell application "System Events" to keystroke "main"\'', 'osascript'],
    ],
    allowed: ['osascript -e \'display notification "done"\'', 'xdotool'],
  },
});

const AGENT_PROGRAMS = new Set(['claude', 'qwen', 'codex', 'gemini', 'copilot']);
const HOOK_OFF_NAMES = new Set<string>(HOOK_OFF_VARS);

/**
 * An agent started with its hooks off runs its own tool calls with no hook to hold them: Claude Code and Qwen Code
 * with `--bare`, `--safe-mode` or settings passed on the command line that switch hooks off, Codex with its hooks
 * feature disabled (`-c features.codex_hooks=false`, `--disable codex_hooks`), or any program given a variable that
 * turns hooks off or moves an agent's settings (CLAUDE_CODE_SIMPLE, QWEN_CODE_SAFE_MODE, QWEN_HOME, CODEX_HOME…).
 */
export const unhookedAgent = defineRule({
  id: 'guard.unhooked-agent',
  severity: 'destructive',
  summary: "Starts an agent with its hooks switched off, so nothing holds what it runs",
  programs: ['*'],
  match(inv: Invocation) {
    const p = inv.program;
    const assigned = Object.keys(inv.env).find((k) => HOOK_OFF_NAMES.has(k));
    if (assigned) return { resource: assigned };
    if (p === 'export' || p === 'declare' || p === 'typeset' || p === 'setenv') {
      const v = inv.args.map((a) => a.split('=')[0]).find((k) => HOOK_OFF_NAMES.has(k));
      if (v) return { resource: v };
    }
    if (!AGENT_PROGRAMS.has(p)) return null;
    const args = inv.args.join(' ');
    if ((p === 'claude' || p === 'qwen') && /(^|\s)--(bare|safe-mode)(\s|=|$)|disableAllHooks|hooksConfig/.test(args)) return { resource: p };
    if (p === 'codex' && /codex_hooks|(^|\s)hooks\b/.test(args)) return { resource: p };
    if (p === 'gemini' && /hooksConfig|disableAllHooks/.test(args)) return { resource: p };
    return null;
  },
  examples: {
    gated: [
      ['CLAUDE_CODE_SIMPLE=1 claude -p "tidy up"', 'CLAUDE_CODE_SIMPLE'],
      ['claude --bare -p "tidy up"', 'claude'],
      ["claude --settings '{\"disableAllHooks\":true}' -p x", 'claude'],
      ['qwen --safe-mode -p "tidy up"', 'qwen'],
      ['export QWEN_CODE_SIMPLE=1', 'QWEN_CODE_SIMPLE'],
      ['env QWEN_HOME=/tmp/q qwen -p x', 'QWEN_HOME'],
      ['codex exec -c features.codex_hooks=false "tidy up"', 'codex'],
      ['CODEX_HOME=/tmp/c codex exec x', 'CODEX_HOME'],
      ['GEMINI_CLI_HOME=/tmp/g gemini -p x --yolo', 'GEMINI_CLI_HOME'],
    ],
    allowed: ['claude -p "tidy up"', 'qwen --approval-mode yolo -p x', 'codex exec "tidy up"', 'export NODE_ENV=test', 'gemini -p hi'],
  },
});
