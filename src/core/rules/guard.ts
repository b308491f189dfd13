// The guard itself: commands that would switch it off, or type into the approval box for a person.

import type { Invocation } from '../parse/invocation';
import { defineRule } from './rule';

const GUARD_VARS = /^(AGENT_GUARD_[A-Z_]*|BASH_ENV|PROMPT_COMMAND|ZDOTDIR)$/;
/** Files where a person configures the guard and the agents' hooks; an agent editing them loosens protection. */
const GUARD_FILES = /(^|\/)(\.vscode\/settings\.json|\.github\/hooks\/[^/]*|\.claude\/settings(\.local)?\.json|\.cursor\/hooks\.json|\.copilot\/hooks\/[^/]*|\.codex\/(config\.toml|hooks\.json)|\.gemini\/settings\.json|agent-guard\/[^/]*)$/;

function touchesGuardVar(words: string[]): string | undefined {
  for (const w of words) {
    const name = w.replace(/^-[a-z]+$/, '').split('=')[0];
    if (GUARD_VARS.test(name)) return name;
  }
  return undefined;
}

const SHELL_NAMES = new Set(['bash', 'sh', 'zsh', 'dash', 'fish', 'ksh']);

/** A PATH that no longer starts from the old PATH drops the guard's shims. */
function replacesPath(value: string): boolean {
  return !/\$\{?PATH\}?/.test(value);
}

export const tamper = defineRule({
  id: 'guard.tamper',
  severity: 'destructive',
  summary: 'Changes or switches off Agent Guard in this shell',
  programs: ['*'],
  match(inv: Invocation) {
    const p = inv.program;
    const assigned = Object.entries(inv.env).find(([k, v]) => GUARD_VARS.test(k) || (k === 'PATH' && replacesPath(v)));
    if (assigned) return { resource: assigned[0] };
    if (p === 'unset' || p === 'export' || p === 'declare' || p === 'typeset' || p === 'readonly') {
      const v = touchesGuardVar(inv.args);
      if (v) return { resource: v };
      const path = inv.args.find((a) => a.startsWith('PATH=') && replacesPath(a.slice(5)));
      if (path) return { resource: 'PATH' };
      if (p === 'unset' && inv.args.some((a) => a.startsWith('__agent_guard'))) return { resource: 'agent guard' };
      return null;
    }
    // `env -i bash` (or `env -u AGENT_GUARD_PORT …`) starts a shell the guard's variables never reach.
    const envCall = inv.parent?.program === 'env' ? inv.parent : p === 'env' ? inv : undefined;
    if (envCall) {
      const cleared = envCall.args.some((a) => a === '-i' || a === '--ignore-environment');
      const unsetsGuard = envCall.args.some((a, i) => (a === '-u' || a === '--unset') && GUARD_VARS.test(envCall.args[i + 1] ?? ''));
      if (unsetsGuard || (cleared && (inv === envCall || SHELL_NAMES.has(p)))) return { resource: 'environment' };
    }
    if (p === 'bind') return inv.args.some((a) => /\\C-[mjo]|accept-line|^-r$|^-f$|^-x$/.test(a)) ? { resource: 'key bindings' } : null;
    if (p === 'trap') return inv.args.includes('DEBUG') || inv.args.includes('-') ? { resource: 'trap' } : null;
    return null;
  },
  examples: {
    gated: [
      ['unset AGENT_GUARD_PORT', 'AGENT_GUARD_PORT'],
      ['export PATH=/usr/bin:/bin', 'PATH'],
      ['AGENT_GUARD_NESTED=1 bash -c "rm -rf data"', 'AGENT_GUARD_NESTED'],
      ["bind '\"\\C-m\": accept-line'", 'key bindings'],
      ['env -i bash', 'environment'],
    ],
    allowed: ['export PATH=$HOME/bin:$PATH', 'export NODE_ENV=test', 'unset FOO', 'bind -p', 'trap cleanup EXIT'],
  },
});

export const guardFiles = defineRule({
  id: 'guard.config-edit',
  severity: 'destructive',
  summary: "Rewrites the guard's or an agent's hook configuration from the shell",
  programs: ['sed', 'tee', 'cp', 'mv', 'rm', 'truncate', 'perl', 'python', 'python3', 'echo', 'printf', 'cat', 'ln', ''],
  match(inv: Invocation) {
    const written = inv.redirects.filter((r) => /^(>|>>|>\||&>|&>>)$/.test(r.op)).map((r) => r.target?.text ?? '');
    const p = inv.program;
    const positional = inv.args.filter((a) => !a.startsWith('-'));
    const edited =
      p === 'sed' || p === 'perl' ? (inv.args.some((a) => /^-[a-z]*i/.test(a)) ? positional : [])
      : p === 'cp' || p === 'mv' || p === 'ln' ? positional.slice(-1)
      : p === 'tee' || p === 'rm' || p === 'truncate' ? positional
      : [];
    const touched = [...written, ...edited];
    const hit = touched.find((t) => GUARD_FILES.test(t));
    return hit ? { resource: hit } : null;
  },
  examples: {
    gated: [
      ['echo \'{"agentGuard.environment":"development"}\' > .vscode/settings.json', '.vscode/settings.json'],
      ["sed -i 's/production/development/' .vscode/settings.json", '.vscode/settings.json'],
      ['rm ~/.copilot/hooks/agent-guard.json', '~/.copilot/hooks/agent-guard.json'],
    ],
    allowed: ['cat .vscode/settings.json', 'cp .vscode/settings.json /tmp/backup.json.txt', 'sed -n 1,5p .vscode/settings.json'],
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
