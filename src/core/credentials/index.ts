// Credential exposure: what secrets an agent working in this workspace can find, and whether a command uses one
// found away from where the person keeps it. No `vscode` here: the CLI, the tests and the editor share it.

export { KINDS, describeKind } from './catalog';
export { scanEnvironment } from './environment';
export { credentialUseOutsideHome, redactCredentials } from './gate';
export type { CredentialUse, CredentialUseOptions } from './gate';
export { maskSecret, PROCESS_FINGERPRINT_KEY } from './mask';
export { createCredentialScanner, scanWorkspace } from './scan';
export type { CredentialScanner } from './scan';
export { secretlintRuleIds } from './secretlint';
export { variablesToStrip } from './strip';
export type { StripPlan } from './strip';
export { BREADTHS, ENVIRONMENT_FILE } from './types';
export type { Breadth, CredentialFinding, FindingSource, ScanOptions, ScanResult, ScanStats } from './types';
export { DEFAULT_MAX_FILE_BYTES, DEFAULT_SKIP_DIRECTORIES } from './walk';

/** `provider/kind`: the finding's code (Problems panel, JSON output). */
export function findingCode(f: { provider: string; kind: string }): string {
  return `${f.provider}/${f.kind}`;
}
