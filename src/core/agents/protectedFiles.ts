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
}

/** VS Code settings that decide what the guard and the agents' hooks do. */
const VSCODE_KEYS = /^(agentGuard\.|chat\.(tools|hook|useHooks|agent)|github\.copilot\.chat\.(agent|tools)|security\.workspace\.trust|terminal\.integrated\.(env|shellIntegration|profiles|defaultProfile|automationProfile))/;
/** Agents' settings that load, switch off or skip hooks, or set the environment the hooks run with. */
const AGENT_KEYS = /^(hooks|disableAllHooks|hooksConfig|enableHooks|tools|env)$/;

export const PROTECTED_FILES: readonly ProtectedFile[] = [
  { pattern: /(^|\/)\.vscode\/settings\.json$/, what: "the folder's VS Code settings (Agent Guard's label and rules)", keys: VSCODE_KEYS },
  { pattern: /(^|\/)[^/]+\.code-workspace$/, what: "a VS Code workspace's settings", keys: VSCODE_KEYS, under: 'settings' },
  { pattern: /(^|\/)User\/settings\.json$/, what: "the person's VS Code user settings", keys: VSCODE_KEYS },
  { pattern: /(^|\/)User\/keybindings\.json$/, what: "the person's VS Code key bindings" },
  { pattern: /(^|\/)User\/profiles\/[^/]+\/settings\.json$/, what: "the person's VS Code profile settings", keys: VSCODE_KEYS },
  { pattern: /(^|\/)User\/profiles\/[^/]+\/keybindings\.json$/, what: "the person's VS Code profile key bindings" },
  { pattern: /(^|\/)Machine\/settings\.json$/, what: "VS Code's machine settings", keys: VSCODE_KEYS },
  { pattern: /(^|\/)\.claude\/settings(\.local)?\.json$/, what: "Claude Code's settings (hooks, disableAllHooks)", keys: AGENT_KEYS },
  { pattern: /(^|\/)\.gemini\/settings\.json$/, what: "Gemini CLI's settings (hooks, hooksConfig)", keys: AGENT_KEYS },
  { pattern: /(^|\/)\.qwen\/settings\.json$/, what: "Qwen Code's settings (hooks, hooksConfig)", keys: AGENT_KEYS },
  { pattern: /(^|\/)\.codex\/(config\.toml|hooks\.json)$/, what: "Codex's configuration (hooks and their trust)" },
  { pattern: /(^|\/)\.github\/hooks\/[^/]+$/, what: "Copilot's hook files" },
  { pattern: /(^|\/)\.copilot\/(hooks\/[^/]+|config\.json)$/, what: "Copilot's hook files" },
  { pattern: /(^|\/)\.cursor\/hooks\.json$/, what: "Cursor's hooks" },
  { pattern: /(^|\/)agent-guard[^/]*\/.+$/, what: "Agent Guard's own files (audit log, shell hooks, hook launcher)" },
];

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

/** A changed line of a patch that touches a protection key of this file (patches are judged by their lines). */
export function patchLinesTouchProtection(file: ProtectedFile, changed: readonly string[]): boolean {
  if (!file.keys) return changed.length > 0;
  return changed.some((line) => {
    const keys = [...line.matchAll(/"([^"]+)"\s*:/g)].map((m) => m[1]);
    return keys.some((k) => file.keys!.test(k)) || /agentGuard|disableAllHooks|hooksConfig|"hooks"/.test(line);
  });
}
