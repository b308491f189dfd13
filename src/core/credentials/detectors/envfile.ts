// Credential-named variables in .env files (`JWT_SECRET=…`, `SMTP_PASSWORD=…`, `STRIPE_WEBHOOK_SECRET=…`) that
// no provider rule recognises: the name says what the value is, and the file exists to hand it to programs.
// The environment scan uses the same test for the variables terminals inherit.

import { isPlaceholder } from '../placeholder';
import { Detection, Detector, isEnvFile } from './detector';

/** Names that say "this is a credential". */
export const CREDENTIAL_NAME = /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|AUTH_KEY|CREDENTIALS?|PAT)$/i;
/** Shorter values are flags and ports, not credentials. */
export const MIN_CREDENTIAL_LENGTH = 8;

export function isCredentialAssignment(name: string, value: string): boolean {
  return CREDENTIAL_NAME.test(name) && value.length >= MIN_CREDENTIAL_LENGTH && !isPlaceholder(value);
}

export const envFileSecrets: Detector = {
  id: 'env-file-secrets',
  summary: 'Credential-named variables (…_SECRET, …_TOKEN, …_PASSWORD, …_API_KEY) in .env files that no provider rule names.',
  triggers: ['='],
  appliesTo: isEnvFile,
  detect(text) {
    const out: Detection[] = [];
    let offset = 0;
    for (const raw of text.split('\n')) {
      const lineStart = offset;
      offset += raw.length + 1;
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(["']?)([^"'\s#]*)\2\s*(?:#.*)?\r?$/.exec(raw);
      if (!m || !isCredentialAssignment(m[1], m[3])) continue;
      const start = lineStart + raw.indexOf(m[3], raw.indexOf('=') + 1);
      out.push({ provider: 'env', kind: 'credential-variable', start, end: start + m[3].length, variable: m[1] });
    }
    return out;
  },
};
