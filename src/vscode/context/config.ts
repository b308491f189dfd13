// The agentGuard.context.* settings, read in one place. Thresholds set by a workspace or folder may only lower the
// user's (a repository's .vscode/settings.json is agent-writable); switching the meter off is user-only.

import * as vscode from 'vscode';
import { DEFAULT_THRESHOLDS, PRODUCTION_THRESHOLDS, SESSION_SOURCES, lowerOnly, type SessionSource, type Thresholds } from '../../core/context';

export const SECTION = 'agentGuard.context';

export interface ContextSettings {
  enabled: boolean;
  sources: ReadonlySet<SessionSource>;
  snoozeMinutes: number;
  pollSeconds: number;
  lookBackHours: number;
}

type ThresholdKey = 'gentleTokens' | 'firmTokens' | 'gentleAgeMinutes' | 'gentleWindowPercent' | 'firmWindowPercent';
const KEYS: readonly ThresholdKey[] = ['gentleTokens', 'firmTokens', 'gentleAgeMinutes', 'gentleWindowPercent', 'firmWindowPercent'];

function toThresholds(v: Partial<Record<ThresholdKey, unknown>>): Partial<Thresholds> {
  const n = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined);
  const pct = (x: unknown): number | undefined => (n(x) === undefined ? undefined : (x as number) / 100);
  return { gentleTokens: n(v.gentleTokens), firmTokens: n(v.firmTokens), gentleAgeMinutes: n(v.gentleAgeMinutes), gentleWindowShare: pct(v.gentleWindowPercent), firmWindowShare: pct(v.firmWindowPercent) };
}

function defined(t: Partial<Thresholds>, base: Thresholds): Thresholds {
  const out = { ...base };
  for (const [k, v] of Object.entries(t) as [keyof Thresholds, number | undefined][]) if (v !== undefined) out[k] = v;
  return out;
}

export class ContextConfig implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) this.emitter.fire();
    });
  }

  get(): ContextSettings {
    const c = vscode.workspace.getConfiguration(SECTION);
    const sources = c.get<unknown>('sources');
    const list = Array.isArray(sources) ? sources.filter((s): s is SessionSource => (SESSION_SOURCES as readonly string[]).includes(s)) : [...SESSION_SOURCES];
    const num = (key: string, fallback: number, min: number): number => {
      const v = c.get<unknown>(key);
      return typeof v === 'number' && Number.isFinite(v) ? Math.max(min, v) : fallback;
    };
    return {
      enabled: c.get<boolean>('enabled') !== false,
      sources: new Set(list),
      snoozeMinutes: num('snoozeMinutes', 60, 1),
      pollSeconds: num('pollSeconds', 10, 2),
      lookBackHours: num('lookBackHours', 24, 1),
    };
  }

  /** Thresholds for a session in `folder`: the user's, lowered by workspace and folder settings, and by production. */
  thresholdsFor(folder: vscode.Uri | undefined, production: boolean): Thresholds {
    const layer = (prefix: string): { user: Thresholds; workspace: Partial<Thresholds>; folder: Partial<Thresholds> } => {
      const c = vscode.workspace.getConfiguration(SECTION, folder);
      const user: Partial<Record<ThresholdKey, unknown>> = {};
      const ws: Partial<Record<ThresholdKey, unknown>> = {};
      const fo: Partial<Record<ThresholdKey, unknown>> = {};
      for (const k of KEYS) {
        const i = c.inspect<number>(prefix + k);
        user[k] = i?.globalValue ?? i?.defaultValue;
        ws[k] = i?.workspaceValue;
        fo[k] = i?.workspaceFolderValue;
      }
      const base = prefix ? PRODUCTION_THRESHOLDS : DEFAULT_THRESHOLDS;
      return { user: defined(toThresholds(user), base), workspace: toThresholds(ws), folder: toThresholds(fo) };
    };
    const normal = layer('');
    let t = lowerOnly(normal.user, normal.workspace, normal.folder);
    if (production) {
      const prod = layer('production.');
      t = lowerOnly(t, prod.user, prod.workspace, prod.folder);
    }
    return t;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
