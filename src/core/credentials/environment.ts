// Credentials in the environment guarded terminals inherit: every program an agent starts there sees them.
// Values go through the same detectors as files (as `NAME=value` lines); a credential-named variable that no
// detector recognises is still reported, because its name says what it is.

import { toFinding } from './describe';
import { Detection, lineStarts } from './detectors/detector';
import { isCredentialAssignment } from './detectors/envfile';
import { createCredentialScanner, CredentialScanner } from './scan';
import { CredentialFinding, ENVIRONMENT_FILE } from './types';

export async function scanEnvironment(env: Readonly<Record<string, string | undefined>>, scanner: CredentialScanner = createCredentialScanner()): Promise<CredentialFinding[]> {
  let text = '';
  const spans: { name: string; valueStart: number; end: number }[] = [];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    // npm, pnpm and yarn set npm_* for the scripts they run (npm_config_userconfig=~/.npmrc when VS Code was started by
    // `npm start`): the package manager describing itself, not a credential someone put in the environment.
    if (!value || name.startsWith('npm_')) continue;
    const start = text.length;
    text += `${name}=${value}\n`;
    spans.push({ name, valueStart: start + name.length + 1, end: text.length - 1 });
  }
  const detections = await scanner.detect(text, ENVIRONMENT_FILE);
  const seen = new Set<string>();
  const out: Detection[] = [];
  for (const d of detections) {
    const span = spans.find((s) => s.valueStart - s.name.length - 1 <= d.start && d.start <= s.end);
    if (!span) continue;
    seen.add(span.name);
    out.push({ ...d, variable: span.name });
  }
  for (const s of spans) {
    const value = text.slice(s.valueStart, s.end);
    if (seen.has(s.name) || !isCredentialAssignment(s.name, value)) continue;
    out.push({ provider: 'env', kind: 'credential-variable', start: s.valueStart, end: s.end, variable: s.name, detector: 'agent-guard:environment' });
  }
  const starts = lineStarts(text);
  return out
    .map((d) => ({ ...toFinding(d, { file: ENVIRONMENT_FILE, source: 'environment', text, starts, key: scanner.key }), line: 0, column: 0, endLine: 0, endColumn: 0 }))
    .sort((a, b) => (a.variable ?? '').localeCompare(b.variable ?? ''));
}
