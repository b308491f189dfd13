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

/** A user-level (global) value only: workspace and folder values are agent-writable and ignored for these. */
function userValue<T>(cfg: vscode.WorkspaceConfiguration, key: string, fallback: T, check: (v: unknown) => v is T, problems: string[]): T {
  const i = cfg.inspect<unknown>(key);
  const v = i?.globalValue ?? i?.defaultValue;
  if (v === undefined) return fallback;
  if (!check(v)) {
    problems.push(`agentGuard.${key} has an invalid value ${JSON.stringify(v)}; using ${JSON.stringify(fallback)}`);
    return fallback;
  }
  if (i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined) {
    problems.push(`agentGuard.${key} is set in workspace settings, which cannot change it (user settings only)`);
  }
  return v;
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isUnreachable = (v: unknown): v is UnreachablePolicy => v === 'hold' || v === 'warn' || v === 'byEnvironment';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function readConfig(): GuardConfig {
  const cfg = vscode.workspace.getConfiguration(SECTION);
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
  const cfg = vscode.workspace.getConfiguration(SECTION, folder ?? null);
  const problems: string[] = [];
  const allow = userValue(cfg, SETTINGS.rulesAllow, [] as string[], isStrings, problems);
  const all = (key: string): string[] => {
    const i = cfg.inspect<unknown>(key);
    const out: string[] = [];
    for (const v of [i?.globalValue, i?.workspaceValue, i?.workspaceFolderValue]) {
      if (v === undefined) continue;
      if (isStrings(v)) out.push(...v);
      else problems.push(`agentGuard.${key} must be a list of strings; ignored ${JSON.stringify(v)}`);
    }
    return out;
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
