// A folder's environment, read from the folder itself: the signals (`.env.production`, the Terraform workspace, the
// kubectl context, the git branch) and the label in its `.vscode/settings.json`. The editor and the agents' hooks read
// them the same way; a hook that no window answers uses them raise-only: a file in the workspace can make a folder
// stricter, never looser.

import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Detection, detectTier, EnvironmentSignals, stricterTier, tierRank } from './environment';
import { parseJsonc } from './jsonc';
import { parseTier, type Tier } from './types';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The signals detectTier reads, from the folder `root` on disk. */
export function readSignals(root: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): EnvironmentSignals {
  let files: string[] = [];
  try {
    files = readdirSync(root);
  } catch {
    /* not a folder we can list */
  }
  const head = files.includes('.git') ? read(join(root, '.git', 'HEAD')) : undefined;
  const kubeconfig = (env.KUBECONFIG ?? '').split(':').find(Boolean) ?? join(home, '.kube', 'config');
  const kube = read(kubeconfig);
  return {
    files,
    terraformWorkspace: files.includes('.terraform') ? read(join(root, '.terraform', 'environment')) : undefined,
    kubeContext: kube ? /^current-context:\s*["']?([^"'\n]+)/m.exec(kube)?.[1]?.trim() : undefined,
    gitBranch: head ? /^ref: refs\/heads\/(.+)$/m.exec(head)?.[1]?.trim() : undefined,
  };
}

/** `agentGuard.environment` in the folder's `.vscode/settings.json`, if it sets one. */
export function settingsTier(root: string): { tier?: Tier; problem?: string } {
  const text = read(join(root, '.vscode', 'settings.json'));
  if (text === undefined) return {};
  const v = parseJsonc(text);
  if (!v || typeof v !== 'object') return { problem: `${join(root, '.vscode', 'settings.json')} is not valid JSON` };
  const t = (v as Record<string, unknown>)['agentGuard.environment'];
  if (t === undefined || t === '' || t === 'auto') return {};
  const tier = parseTier(t);
  return tier ? { tier } : { problem: `agentGuard.environment has an unknown value ${JSON.stringify(t)}` };
}

/** Folders looked at above the working folder: the project root is rarely more than a few levels up. */
const MAX_LEVELS = 12;

/**
 * The strictest environment the working folder or any folder above it shows — a label in `.vscode/settings.json`
 * or a detected signal — with the evidence. Only ever raises: nothing found means `unknown`.
 */
export function detectFolderTier(cwd: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): Detection & { root?: string } {
  let tier: Tier = 'unknown';
  let root: string | undefined;
  const evidence: string[] = [];
  let dir = resolve(cwd);
  for (let level = 0; level < MAX_LEVELS; level++) {
    const found: Detection[] = [detectTier(readSignals(dir, env, home))];
    const labelled = settingsTier(dir).tier;
    if (labelled) found.push({ tier: labelled, evidence: [`${join(dir, '.vscode', 'settings.json')} labels it ${labelled}`] });
    for (const d of found) {
      if (d.tier === 'unknown') continue;
      if (tierRank(d.tier) > tierRank(tier)) {
        evidence.length = 0;
        root = dir;
      }
      if (tierRank(d.tier) >= tierRank(tier)) evidence.push(...d.evidence.filter((e) => !e.includes(' (')).map((e) => (e.includes(dir) || level === 0 ? e : `${e} (in ${dir})`)));
      tier = stricterTier(tier, d.tier);
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return tier === 'unknown' ? { tier, evidence: ['no environment signal found'] } : { tier, evidence: [...new Set(evidence)], root };
}
