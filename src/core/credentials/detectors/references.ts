// Workspace files that point at credential stores in the home directory (`~/.aws/credentials`, `~/.kube/config`,
// `GOOGLE_APPLICATION_CREDENTIALS=/…/key.json`). The scanner never leaves the workspace, so the file pointed at is
// not read: the reference is the finding, because it shows an agent where to look.

import { ENVIRONMENT_FILE } from '../types';
import { baseName, Detection, Detector } from './detector';
import { findAssignments } from './assignment';

/** Path endings of credential stores, and what they hold. */
const STORES: readonly (readonly [tail: string, provider: string, kind: string])[] = [
  ['.aws/credentials', 'aws', 'credentials-file-reference'],
  ['.kube/config', 'kubernetes', 'kubeconfig-reference'],
  ['.config/gcloud/', 'gcp', 'credentials-file-reference'],
  ['.ssh/id_', 'ssh', 'private-key-reference'],
  ['.railway/config.json', 'railway', 'config-reference'],
  ['.fly/config.yml', 'fly', 'config-reference'],
  ['.docker/config.json', 'docker', 'config-reference'],
  ['.netrc', 'netrc', 'file-reference'],
  ['.pgpass', 'postgres', 'pgpass-reference'],
  ['.npmrc', 'npm', 'config-reference'],
];

/** Variables whose value is the path of a credential file. */
const PATH_VARIABLES: Readonly<Record<string, readonly [string, string]>> = {
  AWS_SHARED_CREDENTIALS_FILE: ['aws', 'credentials-file-reference'],
  GOOGLE_APPLICATION_CREDENTIALS: ['gcp', 'credentials-file-reference'],
  CLOUDSDK_CONFIG: ['gcp', 'credentials-file-reference'],
  KUBECONFIG: ['kubernetes', 'kubeconfig-reference'],
};

/** A path that starts in a home directory, or anywhere absolute (for the variables above). */
const HOME = /^(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|\/home\/[^/\s]+|\/Users\/[^/\s]+|\/root|[A-Za-z]:[\\/]Users[\\/][^\\/\s]+)[\\/]/;
const ABSOLUTE = /^(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|\/|[A-Za-z]:[\\/])/;
const PATH_STOP = new Set([' ', '\t', '\r', '\n', '"', "'", '`', '=', ',', ';', '(', ')', '[', ']', '{', '}', '<', '>', '|']);
/**
 * Configuration and scripts use a path; prose and program source mostly mention one (in comments, messages and
 * tests), so only these are read.
 */
const CONFIG_OR_SCRIPT = /\.(?:env|envrc|ya?ml|json|jsonc|toml|ini|cfg|conf|config|properties|tf|tfvars|hcl|sh|bash|zsh|fish|ps1|bat|cmd)$/i;
const CONFIG_NAMES = /^(?:\.env(?:\..*)?|\.envrc|Makefile|Dockerfile(?:\..*)?|Containerfile|Procfile|Justfile|Taskfile|\.npmrc|\.netrc|config)$/;

function isConfigOrScript(file: string): boolean {
  return file === ENVIRONMENT_FILE || CONFIG_OR_SCRIPT.test(file) || CONFIG_NAMES.test(baseName(file));
}

export const homeReferences: Detector = {
  id: 'home-references',
  summary: 'Paths to credential stores outside the workspace (~/.aws/credentials, ~/.kube/config, key files) named in configuration and scripts.',
  triggers: ['.aws/', '.kube/', '.config/gcloud', '.ssh/', '.railway/', '.fly/', '.docker/', '.netrc', '.pgpass', '.npmrc', ...Object.keys(PATH_VARIABLES)],
  appliesTo: isConfigOrScript,
  detect(text) {
    const out: Detection[] = [];
    for (const [tail, provider, kind] of STORES) {
      for (let i = text.indexOf(tail); i !== -1; i = text.indexOf(tail, i + tail.length)) {
        const [start, end] = pathAround(text, i);
        const path = text.slice(start, end).replace(/\\/g, '/');
        if (!HOME.test(path)) continue;
        out.push({ provider, kind, start, end, reference: true, facts: { path } });
      }
    }
    for (const a of findAssignments(text, Object.keys(PATH_VARIABLES))) {
      const path = text.slice(a.valueStart, a.valueEnd);
      if (!ABSOLUTE.test(path) || out.some((d) => d.start <= a.valueStart && a.valueStart < d.end)) continue;
      const [provider, kind] = PATH_VARIABLES[a.key];
      out.push({ provider, kind, start: a.valueStart, end: a.valueEnd, reference: true, variable: a.name, facts: { path } });
    }
    return out;
  },
};

/** The path token around offset `i`. */
function pathAround(text: string, i: number): [number, number] {
  let start = i;
  while (start > 0 && !PATH_STOP.has(text[start - 1])) start--;
  let end = i;
  while (end < text.length && !PATH_STOP.has(text[end])) end++;
  return [start, end];
}
