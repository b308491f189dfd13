// The agentGuard.credentials.* settings, read in one place. Settings that would hide a credential or let a found
// one pass the gate (scanOnStartup, respectGitignore, configuredLocations) are user-only (scope "application"):
// a repository's .vscode/settings.json is agent-writable. stripFromTerminals only ever removes variables, so every
// scope may add names, and the scopes are united so a workspace cannot take away a name the user set.

import * as vscode from 'vscode';
import { variablesToStrip, type StripPlan } from '../../core/credentials/strip';

export const SECTION = 'agentGuard.credentials';
export const STRIP_FROM_TERMINALS = 'stripFromTerminals';

export interface CredentialSettings {
  scanOnStartup: boolean;
  respectGitignore: boolean;
  /** Globs, relative to each workspace folder, where the person keeps credentials meant for use. */
  configuredLocations: string[];
}

/** The part of a WorkspaceConfiguration these functions read, so tests can pass a plain object. */
export type ConfigurationReader = Pick<vscode.WorkspaceConfiguration, 'get' | 'inspect'>;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

export function readCredentialSettings(c: ConfigurationReader = vscode.workspace.getConfiguration(SECTION)): CredentialSettings {
  // User-only: the user's value or the default, whatever a workspace or folder file says.
  const user = (key: string): unknown => {
    const i = c.inspect<unknown>(key);
    return i ? (i.globalValue ?? i.defaultValue) : undefined;
  };
  const locations = user('configuredLocations');
  return {
    scanOnStartup: user('scanOnStartup') !== false,
    respectGitignore: user('respectGitignore') !== false,
    configuredLocations: Array.isArray(locations) ? strings(locations) : ['.env', '.env.local', '.envrc'],
  };
}

/**
 * The variables guarded terminals must not inherit: the union of `agentGuard.credentials.stripFromTerminals` over
 * every scope, with `*` patterns matched against `env`. The terminal adapter applies it through the
 * environmentVariableCollection.
 */
export function terminalVariablesToStrip(c: ConfigurationReader = vscode.workspace.getConfiguration(SECTION), env: Readonly<Record<string, string | undefined>> = process.env): StripPlan {
  const i = c.inspect<unknown>(STRIP_FROM_TERMINALS);
  const all = [i?.defaultValue, i?.globalValue, i?.workspaceValue, i?.workspaceFolderValue].flatMap((v) => (Array.isArray(v) ? v : []));
  return variablesToStrip(all, env);
}

/** Fires when any agentGuard.credentials setting changes. */
export function onDidChangeCredentialSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}
