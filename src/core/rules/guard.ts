// The guard itself: commands that would switch it off, or type into the approval box for a person.

import { protectedFile } from '../agents/protectedFiles';
import type { Invocation } from '../parse/invocation';
import { defineRule } from './rule';

const GUARD_VARS = /^(AGENT_GUARD_[A-Z_]*|BASH_ENV|PROMPT_COMMAND|ZDOTDIR)$/;
/** Editors and in-place tools: every file argument is written. */
const EDITORS = new Set(['vi', 'vim', 'nvim', 'nano', 'emacs', 'ed', 'ex', 'code', 'code-insiders', 'codium', 'cursor', 'sponge', 'chmod', 'chown', 'chattr', 'setfacl', 'shred', 'unlink', 'rm', 'truncate', 'tee']);
/** Programs whose last argument is the file written. */
const LAST_IS_TARGET = new Set(['cp', 'mv', 'ln', 'install', 'rsync', 'scp']);
/** Interpreters whose inline code can open any file for writing. */
const INLINE_CODE = new Set(['python', 'python3', 'python2', 'node', 'nodejs', 'deno', 'bun', 'perl', 'ruby', 'php', 'jq', 'awk', 'gawk']);

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

/** Names a protected file can have inside a folder that holds one (`.vscode`, `.claude`, `.codex`, `.github/hooks`, the state folder). */
const HELD_INSIDE = ['settings.json', 'settings.local.json', 'config.toml', 'hooks.json', 'x'];

/**
 * Where `cp`/`mv`/`install`/`rsync` put files besides their last argument: a source copied into a folder lands as
 * `<folder>/<its name>` (`cp conf/settings.json .vscode/`), and a folder moved away takes what it holds with it
 * (`mv .vscode .vscode.old` moves the folder's label).
 */
function landsInFolder(p: string, positional: readonly string[]): string[] {
  if (!LAST_IS_TARGET.has(p) || positional.length < 2) return [];
  const strip = (x: string) => x.replace(/[\\/]+$/, '');
  const dest = strip(positional[positional.length - 1]);
  const sources = positional.slice(0, -1).map(strip);
  const into = sources.map((s) => `${dest}/${s.split(/[\\/]/).pop()}`);
  const moved = p === 'mv' ? sources.flatMap((s) => HELD_INSIDE.map((f) => `${s}/${f}`)) : [];
  return [...into, ...moved];
}

export const guardFiles = defineRule({
  id: 'guard.config-edit',
  severity: 'destructive',
  summary: "Rewrites the guard's, VS Code's or an agent's hook configuration from the shell",
  programs: ['*'],
  match(inv: Invocation) {
    const p = inv.program;
    const written = inv.redirects.filter((r) => /^(>|>>|>\||&>|&>>|<>)$/.test(r.op)).map((r) => r.target?.text ?? '');
    const positional = inv.args.filter((a) => !a.startsWith('-'));
    const edited =
      p === 'sed' || p === 'perl' || p === 'ruby' ? (inv.args.some((a) => /^-[a-z]*i/.test(a) || a.startsWith('--in-place')) ? positional : [])
      : LAST_IS_TARGET.has(p) ? [...positional.slice(-1), ...inv.args.filter((a) => a.startsWith('--target-directory=')).map((a) => a.slice(19))]
      : EDITORS.has(p) ? positional
      : p === 'dd' ? inv.args.filter((a) => a.startsWith('of=')).map((a) => a.slice(3))
      : [];
    const hit = [...written, ...edited, ...landsInFolder(p, positional)].find((t) => protectedFile(t));
    if (hit) return { resource: hit };
    // Inline code (`python -c "open('.claude/settings.json','w')…"`, `node -e`) that names such a file.
    if (INLINE_CODE.has(p) || (p === 'sed' && inv.args.some((a) => /w /.test(a)))) {
      // Only words that read as code: a bare path argument is a file the program reads.
      for (const a of inv.args.filter((x) => /[\s(;'"=]/.test(x))) {
        for (const m of a.matchAll(/[~\w./-]*(?:\.vscode|\.claude|\.gemini|\.qwen|\.codex|\.github\/hooks|\.copilot|\.cursor|User|Machine|agent-guard)[\w./-]*/g)) {
          if (protectedFile(m[0])) return { resource: m[0] };
        }
      }
    }
    return null;
  },
  examples: {
    gated: [
      ['echo \'{"agentGuard.environment":"development"}\' > .vscode/settings.json', '.vscode/settings.json'],
      ["sed -i 's/production/development/' .vscode/settings.json", '.vscode/settings.json'],
      ['rm ~/.copilot/hooks/agent-guard.json', '~/.copilot/hooks/agent-guard.json'],
      ['jq \'.disableAllHooks=true\' s.json > .claude/settings.local.json', '.claude/settings.local.json'],
      ['python3 -c "import json; json.dump({\'hooksConfig\': {\'enabled\': False}}, open(\'.gemini/settings.json\', \'w\'))"', '.gemini/settings.json'],
      ["sed -i 's/\\}/,\"agentGuard.rules.allow\":[\"*\"]}/' ~/.config/Code/User/settings.json", '~/.config/Code/User/settings.json'],
      ['cp /tmp/x.json .claude/./settings.json', '.claude/./settings.json'],
      ['dd if=/dev/null of=/root/.local/state/agent-guard/audit.jsonl', '/root/.local/state/agent-guard/audit.jsonl'],
      ['vim .gemini/settings.json', '.gemini/settings.json'],
      ['awk \'{print > ".claude/settings.json"}\' in.json', '.claude/settings.json'],
      ['cp conf/settings.json .vscode/', '.vscode/settings.json'],
      ['mv /tmp/settings.local.json .claude', '.claude/settings.local.json'],
      ['mv .vscode .vscode.old', '.vscode/settings.json'],
      ['mv .claude/ /tmp/', '.claude/settings.json'],
    ],
    allowed: ['cp conf/app.json .vscode/', 'mv build dist', 'mv src/settings.json src/old.json', 'cp settings.json backup/', 'cat .vscode/settings.json', 'cp .vscode/settings.json /tmp/backup.json.txt', 'sed -n 1,5p .vscode/settings.json', 'python3 -c "print(1)"', 'vim src/app.ts', 'jq . .claude/settings.json', 'python3 check.py .vscode/settings.json'],
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
