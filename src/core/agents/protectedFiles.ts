// The files that switch protection on or off: each agent's hook configuration and off-switches, VS Code's own
// settings and key bindings, and Agent Guard's state. An agent writing any of them — with its file tools or from the
// shell — could take the guard out, so such writes are held for a person (rule guard.config-edit), and the editor's
// watchers read the same list for each agent's real off-switches.

import { posix } from 'node:path';
import { parseJsonc } from '../jsonc';

export interface ProtectedFile {
  /** Matches the end of a path written with forward slashes. */
  pattern: RegExp;
  /** What the file is, as a person reads it. */
  what: string;
  /**
   * For settings files that also hold everyday settings: the keys that matter to protection (a file tool's write that
   * changes none of them is not held). Absent: every change matters.
   */
  keys?: RegExp;
  /** The settings sit under this key (a .code-workspace file's `settings`). */
  under?: string;
  /** `dotenv`: KEY=value lines (the `.env` files agents load into their environment); JSON otherwise. */
  format?: 'dotenv';
}

/** VS Code settings that decide what the guard and the agents' hooks do. */
const VSCODE_KEYS = /^(agentGuard\.|chat\.(tools|hook|useHooks|agent)|github\.copilot\.chat\.(agent|tools)|security\.workspace\.trust|terminal\.integrated\.(env|shellIntegration|profiles|defaultProfile|automationProfile))/;
/**
 * Agents' settings that load, switch off or skip hooks, and `env`: Claude Code hands it to its hooks, so it could point
 * Agent Guard's hook at a gate of the agent's own (AGENT_GUARD_PORT) or set variables such as CLAUDE_CODE_SIMPLE.
 */
const AGENT_KEYS = /^(hooks|disableAllHooks|hooksConfig|enableHooks|tools|env)$/;

/**
 * Environment variables that turn an agent's hooks off, or move its user settings (and so its hook) elsewhere, read
 * from each agent's shipped code: Claude Code's `--bare` (CLAUDE_CODE_SIMPLE, also honoured from a settings file's
 * `env`), Qwen Code's `--safe-mode` and `--bare` (QWEN_CODE_SAFE_MODE, QWEN_CODE_SIMPLE, also from a project `.env`,
 * `.qwen/.env` or settings `env`) and its QWEN_HOME and system settings paths, Gemini CLI's GEMINI_CLI_HOME (its
 * home folder) and system settings paths (where `hooksConfig.enabled: false` outranks the user's file).
 */
export const HOOK_OFF_VARS = ['CLAUDE_CODE_SIMPLE', 'CLAUDE_CODE_SAFE_MODE', 'CLAUDE_CONFIG_DIR', 'QWEN_CODE_SAFE_MODE', 'QWEN_CODE_SIMPLE', 'QWEN_HOME', 'QWEN_CODE_SYSTEM_SETTINGS_PATH', 'QWEN_CODE_SYSTEM_DEFAULTS_PATH', 'CODEX_HOME', 'COPILOT_HOME', 'GEMINI_CLI_HOME', 'GEMINI_CLI_SYSTEM_SETTINGS_PATH', 'GEMINI_CLI_SYSTEM_DEFAULTS_PATH'] as const;
/**
 * What an .env file agents load must not set: a hook off-switch, or what tells the hook where its state, registry and
 * gate are (AGENT_GUARD_*, XDG_STATE_HOME, HOME) or which programs it finds (PATH).
 */
const DOTENV_KEYS = new RegExp(`^(${HOOK_OFF_VARS.join('|')}|AGENT_GUARD_\\w*|XDG_STATE_HOME|XDG_CONFIG_HOME|HOME|PATH)$`);
/** The same names anywhere in a text (a command line, a sed expression), with quotes and backslashes taken out. */
export function namesHookOffVar(text: string): string | undefined {
  const plain = text.replace(/["'\\]/g, '');
  return HOOK_OFF_VARS.find((v) => plain.includes(v));
}

export const PROTECTED_FILES: readonly ProtectedFile[] = [
  { pattern: /(^|\/)\.vscode\/settings\.json$/, what: "the folder's VS Code settings (Agent Guard's label and rules)", keys: VSCODE_KEYS },
  { pattern: /(^|\/)[^/]+\.code-workspace$/, what: "a VS Code workspace's settings", keys: VSCODE_KEYS, under: 'settings' },
  { pattern: /(^|\/)User\/settings\.json$/, what: "the person's VS Code user settings", keys: VSCODE_KEYS },
  { pattern: /(^|\/)User\/keybindings\.json$/, what: "the person's VS Code key bindings" },
  { pattern: /(^|\/)User\/profiles\/[^/]+\/settings\.json$/, what: "the person's VS Code profile settings", keys: VSCODE_KEYS },
  { pattern: /(^|\/)User\/profiles\/[^/]+\/keybindings\.json$/, what: "the person's VS Code profile key bindings" },
  { pattern: /(^|\/)Machine\/settings\.json$/, what: "VS Code's machine settings", keys: VSCODE_KEYS },
  { pattern: /(^|\/)\.claude\/settings(\.local)?\.json$/, what: "Claude Code's settings (hooks, disableAllHooks, env)", keys: AGENT_KEYS },
  { pattern: /(^|\/)\.gemini\/settings\.json$/, what: "Gemini CLI's settings (hooks, hooksConfig)", keys: AGENT_KEYS },
  { pattern: /(^|\/)\.qwen\/settings\.json$/, what: "Qwen Code's settings (hooks, hooksConfig)", keys: AGENT_KEYS },
  { pattern: /(^|\/)\.codex\/(config\.toml|hooks\.json)$/, what: "Codex's configuration (hooks and their trust)" },
  { pattern: /(^|\/)\.github\/hooks\/[^/]+$/, what: "Copilot's hook files" },
  { pattern: /(^|\/)\.copilot\/(hooks\/[^/]+|config\.json)$/, what: "Copilot's hook files" },
  { pattern: /(^|\/)\.cursor\/hooks\.json$/, what: "Cursor's hooks" },
  { pattern: /(^|\/)agent-guard[^/]*\/.+$/, what: "Agent Guard's own files (audit log, shell hooks, hook launcher)" },
  // Qwen Code loads the project's .env (or .qwen/.env) and the home folder's into its environment at start.
  // Its templates too (.env.example…), which `cp .env.example .env` turns into one.
  { pattern: /(^|\/)\.env(\.[\w.-]+)?$/, what: 'an .env file agents load at start (a variable there can switch their hooks off or move their state)', keys: DOTENV_KEYS, format: 'dotenv' },
];

/**
 * A path each entry protects (every alternative its pattern names), for checking a path the shell expands
 * (`.v?code/settings.json`, `$d/settings.json`) against: `\u0000` stands for any name. VS Code's user and machine
 * folders are named with the folder above them (`Code/User`), so that a glob over any folder is not taken for them.
 */
export const PROTECTED_EXAMPLES: readonly string[] = [
  '.vscode/settings.json',
  '\u0000.code-workspace',
  'Code/User/settings.json',
  'Code/User/keybindings.json',
  'Code/User/profiles/\u0000/settings.json',
  'Code/User/profiles/\u0000/keybindings.json',
  'data/Machine/settings.json',
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.gemini/settings.json',
  '.qwen/settings.json',
  '.codex/config.toml',
  '.codex/hooks.json',
  '.github/hooks/\u0000',
  '.copilot/hooks/\u0000',
  '.copilot/config.json',
  '.cursor/hooks.json',
  'agent-guard/\u0000',
  '.env',
  '.env.\u0000',
];

/** Each of PROTECTED_DIRS by one name, for a pattern (`.vs*`) to be checked against. */
export const PROTECTED_DIR_EXAMPLES: readonly string[] = ['.claude', '.gemini', '.qwen', '.codex', '.copilot', '.copilot/hooks', '.cursor', '.github', '.github/hooks', '.vscode', 'Code/User', 'data/Machine', 'agent-guard'];

/** Folders whose files decide protection: a symlink to one of them makes every file under it writable by another name. */
const PROTECTED_DIRS = /(^|\/)(\.claude|\.gemini|\.qwen|\.codex|\.copilot|\.copilot\/hooks|\.cursor|\.github|\.github\/hooks|\.vscode|User|Machine|agent-guard[^/]*)\/?$/i;

export function protectedDir(path: string, home?: string): boolean {
  if (!path) return false;
  let p = path.replace(/\\/g, '/').replace(/^["']|["']$/g, '');
  if (home && (p === '~' || p.startsWith('~/'))) p = home.replace(/\\/g, '/') + p.slice(1);
  return PROTECTED_DIRS.test(posix.normalize(p));
}

/**
 * What `path` is, if writing it could loosen protection. `~`, `.`, `..` and doubled slashes are read the way the
 * shell and the file system would (`.claude/./settings.json` is `.claude/settings.json`); case is ignored, as on
 * macOS and Windows.
 */
export function protectedFile(path: string, home?: string): ProtectedFile | undefined {
  if (!path) return undefined;
  let p = path.replace(/\\/g, '/').replace(/^["']|["']$/g, '');
  if (home && (p === '~' || p.startsWith('~/'))) p = home.replace(/\\/g, '/') + p.slice(1);
  p = posix.normalize(p);
  const lower = p.toLowerCase();
  return PROTECTED_FILES.find((f) => f.pattern.test(p) || new RegExp(f.pattern.source, 'i').test(lower));
}

/**
 * Whether a write that turns `before` into `after` matters to protection. Settings files that also hold everyday
 * settings matter only when a protection key changes, or when the result is not readable settings at all.
 */
export function changesProtection(file: ProtectedFile, before: string | null, after: string | null): boolean {
  if (!file.keys) return before !== after;
  if (file.format === 'dotenv') {
    // Deleting an .env file can only take switches out.
    if (after === null) return false;
    const pick = (text: string | null) => JSON.stringify(dotenvEntries(text ?? '').filter(([k]) => file.keys!.test(k)).sort());
    return pick(before) !== pick(after);
  }
  if (after === null) return true;
  const pick = (text: string | null): Record<string, unknown> | null | 'unreadable' => {
    if (text === null || !text.trim()) return null;
    let v = parseJsonc(text);
    if (v && typeof v === 'object' && file.under) v = (v as Record<string, unknown>)[file.under] ?? {};
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'unreadable';
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => file.keys!.test(k)));
  };
  const a = pick(before);
  const b = pick(after);
  if (b === 'unreadable') return true;
  if (a === 'unreadable') return Object.keys(b ?? {}).length > 0;
  return JSON.stringify(sorted(a ?? {})) !== JSON.stringify(sorted(b ?? {}));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  return v;
}

/** `KEY=value` lines of an .env file as dotenv reads them (`export ` allowed, quotes kept: only the names matter). */
export function dotenvEntries(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$/.exec(line);
    if (m) out.push([m[1], m[2].trim()]);
  }
  return out;
}

/** A changed line of a patch that touches a protection key of this file (patches are judged by their lines). */
export function patchLinesTouchProtection(file: ProtectedFile, changed: readonly string[]): boolean {
  if (!file.keys) return changed.length > 0;
  if (file.format === 'dotenv') return changed.some((line) => dotenvEntries(line).some(([k]) => file.keys!.test(k)) || !!namesHookOffVar(line));
  return changed.some((line) => {
    const keys = [...line.matchAll(/"([^"]+)"\s*:/g)].map((m) => m[1]);
    return keys.some((k) => file.keys!.test(k)) || /agentGuard|disableAllHooks|hooksConfig|"hooks"/.test(line);
  });
}
