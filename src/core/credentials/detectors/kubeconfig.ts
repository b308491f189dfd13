// Credentials in kubeconfig files: bearer tokens, client keys, basic-auth passwords and auth-provider tokens under
// `users:`. secretlint's private-key rule misses client-key-data (base64 of a PEM), and nothing reads tokens here.

import { isPlaceholder } from '../placeholder';
import { baseName, Detection, Detector } from './detector';

const SECRET_KEYS: Readonly<Record<string, string>> = {
  token: 'token',
  'access-token': 'token',
  'refresh-token': 'token',
  'id-token': 'token',
  'client-key-data': 'client-key',
  password: 'password',
};

function isKubeconfigName(file: string): boolean {
  const b = baseName(file).toLowerCase();
  return b.includes('kubeconfig') || b === 'config' || /\.ya?ml$/.test(b);
}

export const kubeconfig: Detector = {
  id: 'kubeconfig',
  summary: 'Tokens, client keys and passwords under `users:` in kubeconfig files.',
  triggers: ['users:'],
  appliesTo: isKubeconfigName,
  detect(text, file) {
    if (!text.includes('kind: Config') && !baseName(file).toLowerCase().includes('kubeconfig') && !file.endsWith('.kube/config')) return [];
    const out: Detection[] = [];
    let inUsers = false;
    let user = '';
    let offset = 0;
    for (const raw of text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const lineStart = offset;
      offset += raw.length + 1;
      if (!line.trim() || line.trimStart().startsWith('#')) continue;
      if (!/^[\s-]/.test(line)) {
        inUsers = /^users:\s*$/.test(line);
        continue;
      }
      if (!inUsers) continue;
      const entry = /^-\s+name:\s*["']?([^"'\s]+)/.exec(line.trim());
      if (entry) {
        user = entry[1];
        continue;
      }
      const field = /^(\s*(?:-\s+)?)([a-z-]+):\s*(["']?)([^"'\s#]+)\3\s*(?:#.*)?$/.exec(line);
      const kind = field && SECRET_KEYS[field[2]];
      if (!field || !kind) continue;
      const value = field[4];
      if (isPlaceholder(value) || value.length < 8) continue;
      const start = lineStart + line.indexOf(value, field[1].length + field[2].length + 1);
      out.push({ provider: 'kubernetes', kind, start, end: start + value.length, facts: user ? { user } : {} });
    }
    return out;
  },
};
