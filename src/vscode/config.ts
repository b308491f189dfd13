// The one place settings are read. Settings that would weaken protection are application-scoped in package.json,
// and read here with inspect() so a workspace or folder value is ignored even if a file sets one.

import * as vscode from 'vscode';
import type { UserRules } from '../core/policy';
import { parseTier, Tier } from '../core/types';

export const SECTION = 'agentGuard';

export const SETTINGS = {
  environment: 'environment',
  requireEnvironmentInApproval: 'approval.requireEnvironmentName',
  approvalTimeoutSeconds: 'approval.timeoutSeconds',
  whenUnreachable: 'terminals.whenUnreachable',
  terminalsEnabled: 'terminals.enabled',
  shims: 'terminals.pathShims',
  interruptSlipped: 'terminals.interruptUnchecked',
  rulesAllow: 'rules.allow',
  rulesConfirm: 'rules.confirm',
  rulesDeny: 'rules.deny',
} as const;

export type UnreachablePolicy = 'hold' | 'warn' | 'byEnvironment';

export interface GuardConfig {
  requireEnvironmentInApproval: boolean;
  approvalTimeoutMs: number;
  whenUnreachable: UnreachablePolicy;
  terminalsEnabled: boolean;
  shims: boolean;
  interruptSlipped: boolean;
  /** Problems found while reading settings, for the Output channel. */
  problems: string[];
}

/** The section's values at each level, from one inspect() (each costs a pass over every settings model). */
type Levels = Pick<NonNullable<ReturnType<vscode.WorkspaceConfiguration['inspect']>>, 'defaultValue' | 'globalValue' | 'workspaceValue' | 'workspaceFolderValue'>;

/** The value at KEY (dotted, as in `terminals.enabled`) inside a section's value, walked as VS Code walks it. */
function at(section: unknown, key: string): unknown {
  let v = section;
  for (const part of key.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** A user-level (global) value only: workspace and folder values are agent-writable and ignored for these. */
function userValue<T>(levels: Levels | undefined, key: string, fallback: T, check: (v: unknown) => v is T, problems: string[]): T {
  const v = at(levels?.globalValue, key) ?? at(levels?.defaultValue, key);
  if (v === undefined) return fallback;
  if (!check(v)) {
    problems.push(`agentGuard.${key} has an invalid value ${JSON.stringify(v)}; using ${JSON.stringify(fallback)}`);
    return fallback;
  }
  if (at(levels?.workspaceValue, key) !== undefined || at(levels?.workspaceFolderValue, key) !== undefined) {
    problems.push(`agentGuard.${key} is set in workspace settings, which cannot change it (user settings only)`);
  }
  return v;
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isUnreachable = (v: unknown): v is UnreachablePolicy => v === 'hold' || v === 'warn' || v === 'byEnvironment';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function readConfig(): GuardConfig {
  // The whole section in one inspect(), not one per setting: read before every new terminal gets the gate.
  const cfg = vscode.workspace.getConfiguration().inspect<unknown>(SECTION);
  const problems: string[] = [];
  return {
    requireEnvironmentInApproval: userValue(cfg, SETTINGS.requireEnvironmentInApproval, true, isBool, problems),
    approvalTimeoutMs: Math.max(10, userValue(cfg, SETTINGS.approvalTimeoutSeconds, 120, isNum, problems)) * 1000,
    whenUnreachable: userValue(cfg, SETTINGS.whenUnreachable, 'byEnvironment', isUnreachable, problems),
    terminalsEnabled: userValue(cfg, SETTINGS.terminalsEnabled, true, isBool, problems),
    shims: userValue(cfg, SETTINGS.shims, true, isBool, problems),
    interruptSlipped: userValue(cfg, SETTINGS.interruptSlipped, true, isBool, problems),
    problems,
  };
}

/**
 * The person's rules for a folder: `allow` comes from user settings only (it loosens); `confirm` and `deny`
 * add up from every level (they only tighten).
 */
export function readRules(folder?: vscode.Uri): { rules: UserRules; problems: string[] } {
  const cfg = vscode.workspace.getConfiguration(undefined, folder ?? null).inspect<unknown>(SECTION);
  const problems: string[] = [];
  const allow = userValue(cfg, SETTINGS.rulesAllow, [] as string[], isStrings, problems);
  const all = (key: string): string[] => {
    const out: string[] = [];
    for (const v of [at(cfg?.globalValue, key), at(cfg?.workspaceValue, key), at(cfg?.workspaceFolderValue, key)]) {
      if (v === undefined) continue;
      if (isStrings(v)) out.push(...v);
      else problems.push(`agentGuard.${key} must be a list of strings; ignored ${JSON.stringify(v)}`);
    }
    // A folder opened alone has the same file as workspace and folder settings: each rule once.
    return [...new Set(out)];
  };
  return { rules: { allow, confirm: all(SETTINGS.rulesConfirm), deny: all(SETTINGS.rulesDeny) }, problems };
}

/** The environment label written in settings for a folder (any level), or undefined when unset or invalid. */
export function configuredTier(folder?: vscode.Uri): { tier?: Tier; problem?: string } {
  const v = vscode.workspace.getConfiguration(SECTION, folder).get<unknown>(SETTINGS.environment);
  if (v === undefined || v === null || v === '' || v === 'auto') return {};
  const t = parseTier(v);
  return t ? { tier: t } : { problem: `agentGuard.environment has an unknown value ${JSON.stringify(v)}; expected production, staging or development` };
}

export function onConfigChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}
