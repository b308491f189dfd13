// Database URLs with a password for the schemes secretlint's database rule does not read (Redis, AMQP, SQL Server,
// ClickHouse, SQLAlchemy's `postgresql+driver://`), and .pgpass files. PostgreSQL, MySQL and MongoDB URLs come
// from secretlint; both paths go through parseCredentialUrl so the user (superuser or not) is read the same way.

import { isPlaceholder } from '../placeholder';
import { baseName, Detection, Detector } from './detector';

/** Schemes secretlint already reports; left to it. */
const SECRETLINT_SCHEMES = new Set(['postgres', 'postgresql', 'mysql', 'mysqlx', 'mongodb', 'mongodb+srv']);

function providerOf(scheme: string): string | undefined {
  const s = scheme.toLowerCase();
  const base = s.split('+')[0];
  if (SECRETLINT_SCHEMES.has(s)) return undefined;
  if (base === 'postgres' || base === 'postgresql' || base === 'cockroachdb') return 'postgres';
  if (base === 'mysql' || base === 'mariadb') return 'mysql';
  if (base === 'redis' || base === 'rediss') return 'redis';
  if (base === 'amqp' || base === 'amqps') return 'amqp';
  if (base === 'mssql' || base === 'sqlserver') return 'mssql';
  if (base === 'clickhouse') return 'clickhouse';
  return undefined;
}

export interface CredentialUrl {
  scheme: string;
  user: string;
  host: string;
  passwordStart: number;
  passwordEnd: number;
  /** End of the whole URL. */
  end: number;
}

const URL_STOP = new Set([' ', '\t', '\r', '\n', '"', "'", '`', '<', '>', '(', ')', '{', '}', '[', ']', ',', ';', '\\']);
const AUTHORITY_STOP = new Set([...URL_STOP, '/', '?', '#']);

/** Reads `scheme://user:password@host…` starting at `start`; null without both a user part and a password. */
export function parseCredentialUrl(text: string, start: number): CredentialUrl | null {
  let p = start;
  if (text.startsWith('jdbc:', p)) p += 5;
  const schemeStart = p;
  while (p < text.length && /[A-Za-z0-9+.-]/.test(text[p])) p++;
  if (p === schemeStart || !text.startsWith('://', p)) return null;
  const scheme = text.slice(schemeStart, p);
  const authorityStart = p + 3;
  let authorityEnd = authorityStart;
  while (authorityEnd < text.length && !AUTHORITY_STOP.has(text[authorityEnd])) authorityEnd++;
  const at = text.lastIndexOf('@', authorityEnd - 1);
  if (at < authorityStart) return null;
  const colon = text.indexOf(':', authorityStart);
  if (colon === -1 || colon > at) return null;
  let end = authorityEnd;
  while (end < text.length && !URL_STOP.has(text[end])) end++;
  const hostAndPort = text.slice(at + 1, authorityEnd);
  const host = hostAndPort.startsWith('[') ? hostAndPort.slice(0, hostAndPort.indexOf(']') + 1) : hostAndPort.split(':')[0];
  return { scheme, user: decode(text.slice(authorityStart, colon)), host, passwordStart: colon + 1, passwordEnd: at, end };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const databaseUrls: Detector = {
  id: 'database-url',
  summary: 'Redis, AMQP, SQL Server, ClickHouse and driver-qualified (postgresql+psycopg://) URLs with a password.',
  triggers: ['://'],
  detect(text) {
    const out: Detection[] = [];
    for (let i = text.indexOf('://'); i !== -1; i = text.indexOf('://', i + 3)) {
      let s = i;
      while (s > 0 && /[A-Za-z0-9+.-]/.test(text[s - 1])) s--;
      const provider = providerOf(text.slice(s, i));
      if (!provider) continue;
      const url = parseCredentialUrl(text, s);
      if (!url) continue;
      const password = text.slice(url.passwordStart, url.passwordEnd);
      if (isPlaceholder(password) || password === url.user) continue;
      out.push({ provider, kind: 'connection-url', start: s, end: url.end, secret: [url.passwordStart, url.passwordEnd], facts: { user: url.user, host: url.host } });
    }
    return out;
  },
};

export const pgpass: Detector = {
  id: 'pgpass',
  summary: 'Passwords in .pgpass files (host:port:database:user:password), which no library rule reads.',
  triggers: [':'],
  appliesTo: (file) => baseName(file) === '.pgpass' || baseName(file) === 'pgpass.conf',
  detect(text) {
    const out: Detection[] = [];
    let offset = 0;
    for (const line of text.split('\n')) {
      const content = line.endsWith('\r') ? line.slice(0, -1) : line;
      const fields = content.startsWith('#') ? [] : splitUnescaped(content);
      if (fields.length === 5) {
        const [host, , , user, password] = fields;
        const start = offset + content.length - password.raw.length; // the password is the last field
        if (!isPlaceholder(password.value) && password.value !== user.value) {
          out.push({ provider: 'postgres', kind: 'pgpass-entry', start, end: start + password.raw.length, facts: { user: user.value, host: host.value } });
        }
      }
      offset += line.length + 1;
    }
    return out;
  },
};

/** .pgpass fields: `:` separates, `\:` and `\\` escape. */
function splitUnescaped(line: string): { raw: string; value: string }[] {
  const fields: { raw: string; value: string }[] = [];
  let raw = '';
  let value = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      raw += c + line[i + 1];
      value += line[++i];
    } else if (c === ':') {
      fields.push({ raw, value });
      raw = value = '';
    } else {
      raw += c;
      value += c;
    }
  }
  fields.push({ raw, value });
  return fields;
}
