// The guard itself: commands that would switch it off, or type into the approval box for a person.

import { HOOK_OFF_VARS, namesHookOffVar, protectedDir, protectedFile } from '../agents/protectedFiles';
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
/** Programs that take a file away or change its mode: an .env file losing lines cannot switch a hook off. */
const REMOVES = new Set(['rm', 'unlink', 'shred', 'truncate', 'chmod', 'chown', 'chattr', 'setfacl']);

/**
 * Whether a shell write to an .env file could add a hook off-switch (QWEN_CODE_SIMPLE=1…): when the text written is on
 * the line (echo, printf, a heredoc, a sed expression), only if it names one; when it comes from elsewhere (a copy,
 * a pipe, an editor, a variable), always, since what it writes cannot be read here.
 */
function dotenvWriteMatters(inv: Invocation, redirected: boolean): boolean {
  const p = inv.program;
  if (REMOVES.has(p)) return false;
  const seen = [inv.text, inv.stdin ?? '', ...(inv.pipeFrom ? [inv.pipeFrom.text, inv.pipeFrom.stdin ?? ''] : [])].join('\n');
  if (namesHookOffVar(seen)) return true;
  const visible = redirected && !inv.pipeFrom && (p === 'echo' || p === 'printf' || p === '' || p === 'true' || p === ':' || (p === 'cat' && inv.stdin !== undefined && !inv.args.length));
  const dynamic = /[$`]/.test(inv.args.join(' ') + (inv.stdin ?? ''));
  if (visible) return dynamic;
  if (p === 'sed' || p === 'perl' || p === 'ruby') return dynamic;
  // A copy or link from another .env file (a template): that file's own writes are guarded the same way.
  if (LAST_IS_TARGET.has(p)) {
    const sources = inv.args.filter((a) => !a.startsWith('-')).slice(0, -1);
    return !sources.length || !sources.every((a) => protectedFile(a)?.format === 'dotenv');
  }
  return true;
}

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
    for (const t of [...written, ...edited]) {
      const pf = protectedFile(t);
      if (pf && (pf.format !== 'dotenv' || dotenvWriteMatters(inv, written.includes(t)))) return { resource: t };
    }
    // A link to a settings file or folder is a second name for it, which a later write would use unnoticed.
    if (p === 'ln' || (p === 'cp' && inv.args.some((a) => /^-[a-zA-Z]*s|^--symbolic-link$/.test(a)))) {
      const linked = positional.find((a) => (protectedFile(a) && protectedFile(a)?.format !== 'dotenv') || protectedDir(a));
      if (linked) return { resource: linked };
    }
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
      ['echo QWEN_CODE_SIMPLE=1 >> .env', '.env'],
      ["printf 'QWEN_CODE_SAFE_MODE=1\\n' > .qwen/.env", '.qwen/.env'],
      ['cp /tmp/x .qwen/.env', '.qwen/.env'],
      ['ln -s ~/.claude cfg', '~/.claude'],
    ],
    allowed: ['echo API_URL=http://localhost >> .env', 'rm .env', "sed -i 's/DEBUG=1/DEBUG=0/' .env", 'cat .env', 'cat .vscode/settings.json', 'cp .vscode/settings.json /tmp/backup.json.txt', 'sed -n 1,5p .vscode/settings.json', 'python3 -c "print(1)"', 'vim src/app.ts', 'jq . .claude/settings.json', 'python3 check.py .vscode/settings.json'],
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
