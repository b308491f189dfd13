// Changes that loosen protection: a hook file that no longer runs Agent Guard, settings and environment variables that
// switch hooks off or move an agent's settings elsewhere, and VS Code settings that approve gated commands or stop
// running the hook files. Each check returns one line a person reads per finding.

import { Engine } from '../classify';
import { isJsonObject, parseJsonc } from '../jsonc';
import { RULES } from '../rules';
import { isConnected, isOurCommand } from './hookConfig';
import { AGENT_NAMES, type AgentId } from './ids';
import { dotenvEntries, HOOK_OFF_VARS } from './protectedFiles';

/**
 * The switches in one settings file (user or project) that keep Agent Guard's hook from running, one line each:
 * Claude Code's `disableAllHooks`, Gemini CLI's and Qwen Code's `hooksConfig.enabled: false` and
 * `hooksConfig.disabled` naming our hook (by name or command).
 */
export function hookOffSwitches(path: string, text: string | null): string[] {
  if (text === null) return [];
  // An .env file an agent loads at start (Qwen Code: the project's .env or .qwen/.env, and the home folder's).
  if (/(^|[\\/])\.env$/.test(path)) return envOffSwitches(path, dotenvEntries(text));
  const v = parseJsonc(text);
  if (!isJsonObject(v)) return [];
  const out: string[] = [];
  if (v.disableAllHooks === true) out.push(`${path} sets "disableAllHooks": true, which turns every hook off, Agent Guard's included.`);
  const names = (list: unknown) => Array.isArray(list) && list.some((x) => x === 'agent-guard' || isOurCommand(x));
  if (isJsonObject(v.hooksConfig)) {
    if (v.hooksConfig.enabled === false) out.push(`${path} sets "hooksConfig.enabled": false, which turns every hook off, Agent Guard's included.`);
    if (names(v.hooksConfig.disabled)) out.push(`${path} lists Agent Guard's hook in "hooksConfig.disabled".`);
  }
  if (isJsonObject(v.hooks) && names(v.hooks.disabled)) out.push(`${path} lists Agent Guard's hook in "hooks.disabled".`);
  if (isJsonObject(v.env)) out.push(...envOffSwitches(`${path} "env"`, Object.entries(v.env)));
  return out;
}

/** Variables that switch every hook off outright (the others move an agent's settings, and so its hook, elsewhere). */
const HOOKS_OFF_NOW = new Set(['CLAUDE_CODE_SIMPLE', 'CLAUDE_CODE_SAFE_MODE', 'QWEN_CODE_SAFE_MODE', 'QWEN_CODE_SIMPLE']);

function truthy(v: unknown): boolean {
  if (typeof v === 'string') return !/^\s*(0|false|no|off)?\s*$/i.test(v);
  return v === true || (typeof v === 'number' && v !== 0);
}

/**
 * Hook off-switches among environment variables (a settings file's `env`, an .env file the agent loads, or the
 * environment itself), one line each. `onlyOff`: just the variables that switch hooks off (a person's own CODEX_HOME
 * is where their hook lives, not a switch).
 */
export function envOffSwitches(where: string, entries: Iterable<[string, unknown]>, onlyOff = false): string[] {
  const out: string[] = [];
  for (const [k, v] of entries) {
    if (!(HOOK_OFF_VARS as readonly string[]).includes(k) || v === undefined || (onlyOff && !HOOKS_OFF_NOW.has(k))) continue;
    if (HOOKS_OFF_NOW.has(k)) {
      if (truthy(v)) out.push(`${where} sets ${k}, which turns every hook off, Agent Guard's included.`);
    } else if (typeof v === 'string' && v.trim()) out.push(`${where} sets ${k}, which moves the agent's settings (and so its hook) to ${v.trim()}.`);
  }
  return out;
}

/** Why a change to a hook file weakens Agent Guard, one line each; empty when it does not. */
export function hookFileLoosening(agent: AgentId, path: string, before: string | null, after: string | null): string[] {
  const out: string[] = [];
  if (isConnected(agent, before) && !isConnected(agent, after)) out.push(`Agent Guard's hook for ${AGENT_NAMES[agent]} was removed from ${path}.`);
  const had = new Set(hookOffSwitches(path, before));
  out.push(...hookOffSwitches(path, after).filter((w) => !had.has(w)));
  return out;
}

/** A command Agent Guard gates, as one simple command (what VS Code matches autoApprove rules against). */
export interface GatedSample {
  command: string;
  rule: string;
}

/** Every rule's gated examples, reduced to the simple command that fired the rule. */
export function gatedSamples(): GatedSample[] {
  const engine = new Engine({ tier: 'production' });
  const out: GatedSample[] = [];
  for (const rule of RULES) {
    for (const [example] of rule.examples.gated) {
      for (const f of engine.classify(example).findings) if (f.rule === rule.id) out.push({ command: f.command.trim(), rule: rule.id });
    }
  }
  return out;
}

function approves(v: unknown): boolean {
  return v === true || (isJsonObject(v) && v.approve === true);
}

/** A `chat.tools.terminal.autoApprove` key against one simple command: a prefix of words, or `/regex/flags`. */
export function autoApproveMatches(key: string, command: string): boolean {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(key);
  if (re) {
    try {
      return new RegExp(re[1], re[2]).test(command);
    } catch {
      return false;
    }
  }
  const k = key.trim();
  return !!k && (command === k || (command.startsWith(k) && /\s/.test(command[k.length] ?? '')));
}

/** Entries newly set to approve commands Agent Guard gates, one line each. */
export function autoApproveLoosening(before: unknown, after: unknown, samples: readonly GatedSample[] = gatedSamples()): string[] {
  if (!isJsonObject(after)) return [];
  const prev = isJsonObject(before) ? before : {};
  const out: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!approves(value) || approves(prev[key])) continue;
    const hits = samples.filter((s) => autoApproveMatches(key, s.command));
    if (!hits.length) continue;
    const all = hits.length === samples.length;
    out.push(`chat.tools.terminal.autoApprove: ${JSON.stringify(key)} now approves ${all ? 'every command' : 'commands Agent Guard gates'} without asking, e.g. ${hits[0].command} (${hits[0].rule}).`);
  }
  return out;
}

/** `chat.hookFilesLocations` entries newly set to false that switch off a file holding our hooks. */
export function hookLocationsLoosening(before: unknown, after: unknown, watched: readonly string[]): string[] {
  if (!isJsonObject(after)) return [];
  const prev = isJsonObject(before) ? before : {};
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const out: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (value !== false || prev[key] === false) continue;
    const k = norm(key);
    const hit = watched.find((w) => norm(w) === k || norm(w).startsWith(k + '/'));
    if (hit) out.push(`chat.hookFilesLocations: ${JSON.stringify(key)} is now false, so VS Code no longer runs Agent Guard's hook in ${hit}.`);
  }
  return out;
}
