// What the status-bar menu says about one folder's label: where it comes from, without contradicting itself, and
// whether to offer a label. No `vscode` import, so its wording is tested in plain Node.

import type { Detection } from '../core/environment';
import type { Tier } from '../core/types';

export interface FolderLabelFacts {
  name: string;
  tier: Tier;
  configured?: Tier;
  pending?: Tier;
  detected: Detection;
}

export interface FolderLabelText {
  label: string;
  description: string;
  detail?: string;
  /** Nothing labels the folder: the menu offers to label it. */
  offerLabel: boolean;
}

export function folderLabelText(f: FolderLabelFacts): FolderLabelText {
  const signals = f.detected.tier !== 'unknown';
  const description = f.pending
    ? `settings say ${f.pending}; waits for a person to accept it`
    : f.configured
      ? 'set in settings (agentGuard.environment)'
      : signals
        ? 'detected'
        : 'no label, no environment signal';
  // Evidence only where it says something: beside a label from settings, what the workspace itself looks like.
  const detail = f.configured
    ? signals
      ? `The workspace itself looks like ${f.detected.tier}: ${f.detected.evidence.join(' · ')}`
      : undefined
    : signals
      ? f.detected.evidence.join(' · ')
      : 'Commands here are judged as unknown: label the folder so production and staging get their stricter rules.';
  return { label: `${f.name}: ${f.tier}`, description, ...(detail ? { detail } : {}), offerLabel: f.tier === 'unknown' && !f.pending };
}
