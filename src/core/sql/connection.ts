// Where a database command connects, read from its connection string or options; its password options are dropped
// before anything else is read, so a password never becomes a name and never reaches a message.

const PASSWORD_OPTIONS = ['-p', '--password'];

/**
 * Drops password options so a password never becomes a database name and a bare `-p` (a prompt) never eats the
 * next word. Inline ones (`-psecret`, `--password=x`) always go; `-p secret` is a value only where `separate`.
 */
export function withoutPasswords(args: readonly string[], separate: boolean): string[] {
  return args.filter((a, i) => {
    if (PASSWORD_OPTIONS.includes(a)) return separate && !!args[i + 1] && !args[i + 1].startsWith('-');
    return !(a.startsWith('--password=') || (a.startsWith('-p') && a.length > 2 && !a.startsWith('--')));
  });
}

/** The database and host a connection string or name points at. The password part is never read. */
export function connectionTarget(s: string): { database?: string; host?: string } {
  const url = s.replace(/^jdbc:/, '');
  if (url.includes('://')) {
    try {
      const u = new URL(url);
      const database = decodeURIComponent(u.pathname.replace(/^\/+/, '').split('/')[0]);
      return { ...(database ? { database } : {}), ...(u.hostname ? { host: u.hostname } : {}) };
    } catch {
      return {};
    }
  }
  if (/^[a-z_]+=/.test(s)) {
    const kv = new Map(s.split(/\s+/).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
    return { ...(kv.get('dbname') ? { database: kv.get('dbname') } : {}), ...(kv.get('host') ? { host: kv.get('host') } : {}) };
  }
  return { database: s };
}

/** How a message names where a command connects: `database shop on db.internal`, `server db.internal`. */
export function describeTarget(database: string | undefined, host: string | undefined): string | undefined {
  if (database) return `database ${database}${host ? ` on ${host}` : ''}`;
  return host ? `server ${host}` : undefined;
}
