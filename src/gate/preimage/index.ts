// Database pre-images: before a destructive SQL statement or database command runs, a dump of what it destroys,
// taken with the command's own connection arguments and kept outside the workspace — SQLite `.backup`, PostgreSQL
// `pg_dump` of the affected tables (the whole database for DROP DATABASE), MySQL `mysqldump`. Bounded by size and
// time; the one-line result goes into the approval box. Node only.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from '../../core/parse/args';
import { expand } from '../../core/parse/invocation';
import { connectionTarget } from '../../core/sql/connection';
import type { Decision } from '../../core/types';

const MB = 1024 * 1024;

/** The rules whose statements destroy rows or tables. */
export const PREIMAGE_RULES: ReadonlySet<string> = new Set(['sql.drop-database', 'sql.drop', 'sql.truncate', 'sql.delete-all', 'sql.update-all', 'sql.alter-drop']);

export type Engine = 'postgres' | 'sqlite' | 'mysql';

export interface PreimageTarget {
  engine: Engine;
  /** The whole database, or these tables. */
  whole: boolean;
  tables: string[];
  database?: string;
  host?: string;
  port?: string;
  user?: string;
  /** SQLite: the database file (absolute). */
  file?: string;
  command: string;
}

export interface PreimageMeta extends PreimageTarget {
  id: string;
  time: string;
  bytes: number;
  dump: string;
}

export interface PreimageOutcome {
  taken: boolean;
  id?: string;
  bytes?: number;
  /** One line for the approval box. */
  note: string;
}

const PSQL_SPEC = { values: ['-c', '--command', '-d', '--dbname', '-f', '--file', '-h', '--host', '-p', '--port', '-U', '--username', '-v', '--set', '--variable', '-o', '--output', '-L', '--log-file', '-F', '--field-separator', '-R', '--record-separator', '-P', '--pset', '-T', '--table-attr'] };
const MYSQL_SPEC = { values: ['-e', '--execute', '-D', '--database', '-h', '--host', '-u', '--user', '-P', '--port', '-S', '--socket'] };
const SQLITE_SPEC = { singleDashLong: true, values: ['-cmd', '--cmd', '-c', '-s', '-f', '-init', '--init', '-separator', '-newline', '-nullvalue', '-vfs'] };
const PG_ADMIN_SPEC = { values: ['-h', '--host', '-p', '--port', '-U', '--username', '--maintenance-db'] };

/** What a decision's database findings destroy and how to reach it; one target per finding command. */
export function preimageTargets(decision: Decision, cwd: string): PreimageTarget[] {
  const out: PreimageTarget[] = [];
  const seen = new Set<string>();
  for (const f of decision.findings) {
    if (!PREIMAGE_RULES.has(f.rule)) continue;
    const inv = expand(f.command).invocations[0];
    if (!inv) continue;
    const whole = f.rule === 'sql.drop-database';
    const tables = whole ? [] : f.resource.split(/,\s*/).filter((t) => t && !t.includes(' '));
    let t: PreimageTarget | undefined;
    if (inv.program === 'psql') {
      const a = parseArgs(inv.args, PSQL_SPEC);
      const named = a.value('-d', '--dbname') ?? a.positionals[0];
      const conn = named ? connectionTarget(named) : {};
      t = { engine: 'postgres', whole, tables, database: whole ? f.resource : named?.includes('://') || named?.includes('=') ? named : conn.database, host: a.value('-h', '--host') ?? conn.host, port: a.value('-p', '--port'), user: a.value('-U', '--username'), command: f.command };
    } else if (inv.program === 'dropdb') {
      const a = parseArgs(inv.args, PG_ADMIN_SPEC);
      t = { engine: 'postgres', whole: true, tables: [], database: a.positionals[0], host: a.value('-h', '--host'), port: a.value('-p', '--port'), user: a.value('-U', '--username'), command: f.command };
    } else if (inv.program === 'mysql') {
      const a = parseArgs(inv.args.filter((x) => !/^-p.+|^--password=/.test(x)), MYSQL_SPEC);
      t = { engine: 'mysql', whole, tables, database: whole ? f.resource : a.value('-D', '--database') ?? a.positionals[0], host: a.value('-h', '--host'), port: a.value('-P', '--port'), user: a.value('-u', '--user'), command: f.command };
    } else if (inv.program === 'sqlite3' || inv.program === 'sqlite') {
      const a = parseArgs(inv.args, SQLITE_SPEC);
      const db = a.positionals[0];
      if (db && db !== ':memory:') t = { engine: 'sqlite', whole: true, tables, file: isAbsolute(db) ? db : resolve(cwd, db), command: f.command };
    }
    if (!t) continue;
    const key = JSON.stringify([t.engine, t.database, t.host, t.port, t.file, t.whole, t.tables]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

function run(cmd: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string; missing?: boolean; timedOut?: boolean }> {
  return new Promise((done) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, env: { ...process.env, ...env }, maxBuffer: 4 * MB }, (err, _stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      if (e?.code === 'ENOENT') return done({ code: 127, stderr: '', missing: true });
      done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stderr: String(stderr).trim(), timedOut: !!e?.killed });
    });
    child.stdin?.end();
  });
}

function pgConn(t: PreimageTarget): string[] {
  return [...(t.host ? ['-h', t.host] : []), ...(t.port ? ['-p', t.port] : []), ...(t.user ? ['-U', t.user] : [])];
}

const formatBytes = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

export class PreimageStore {
  constructor(
    readonly dir: string,
    readonly limits: { maxBytes: number; timeoutMs: number } = { maxBytes: 500 * MB, timeoutMs: 30_000 },
  ) {}

  /** Dumps what a decision's statements destroy; never throws. One line per target joined for the box. */
  async before(decision: Decision, cwd: string): Promise<PreimageOutcome[]> {
    const targets = preimageTargets(decision, cwd);
    const out: PreimageOutcome[] = [];
    for (const t of targets) {
      try {
        out.push(await this.take(t));
      } catch (e) {
        out.push({ taken: false, note: `Database pre-image failed (${(e as Error).message}) — what it destroys is not recoverable here.` });
      }
    }
    return out;
  }

  async take(t: PreimageTarget): Promise<PreimageOutcome> {
    const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    const home = join(this.dir, id);
    mkdirSync(home, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const what = t.engine === 'sqlite' ? t.file! : t.whole ? `database ${t.database ?? '(default)'}` : `${t.tables.join(', ')}${t.database ? ` in ${t.database}` : ''}`;
    let dump: string;
    let r: Awaited<ReturnType<typeof run>>;
    let tool: string;
    if (t.engine === 'sqlite') {
      if (!existsSync(t.file!)) return this.fail(home, `no pre-image: ${t.file} does not exist`);
      if (statSync(t.file!).size > this.limits.maxBytes) return this.fail(home, `no pre-image: ${t.file} is over ${formatBytes(this.limits.maxBytes)}`);
      dump = join(home, 'database.sqlite');
      tool = 'sqlite3';
      r = await run('sqlite3', [t.file!, `.backup '${dump.replace(/'/g, "''")}'`], this.limits.timeoutMs);
    } else if (t.engine === 'postgres') {
      dump = join(home, 'dump.sql');
      tool = 'pg_dump';
      const db = t.database ? ['-d', t.database] : [];
      r = await run('pg_dump', [...pgConn(t), ...db, '--no-password', '--no-owner', ...(t.whole ? ['--create'] : []), ...t.tables.flatMap((x) => ['-t', x]), '-f', dump], this.limits.timeoutMs);
    } else {
      dump = join(home, 'dump.sql');
      tool = 'mysqldump';
      r = await run('mysqldump', [...(t.host ? ['-h', t.host] : []), ...(t.port ? ['-P', t.port] : []), ...(t.user ? ['-u', t.user] : []), '--single-transaction', `--result-file=${dump}`, ...(t.whole ? ['--databases', t.database ?? ''] : [t.database ?? '', ...t.tables])], this.limits.timeoutMs);
    }
    if (r.missing) return this.fail(home, `no pre-image: ${tool} is not installed`);
    if (r.timedOut) return this.fail(home, `no pre-image: ${tool} took over ${Math.round(this.limits.timeoutMs / 1000)} s`);
    if (r.code !== 0) return this.fail(home, `no pre-image: ${tool} could not read ${what} (${r.stderr.split('\n')[0].slice(0, 160) || `exit ${r.code}`})`);
    const bytes = existsSync(dump) ? statSync(dump).size : 0;
    if (bytes > this.limits.maxBytes) return this.fail(home, `no pre-image: ${what} is over ${formatBytes(this.limits.maxBytes)}`);
    chmodSync(dump, 0o600);
    const meta: PreimageMeta = { ...t, id, time: new Date().toISOString(), bytes, dump };
    writeFileSync(join(home, 'meta.json'), JSON.stringify(meta, null, 2) + '\n', { mode: 0o600 });
    return { taken: true, id, bytes, note: `Database pre-image of ${what} taken (${formatBytes(bytes)}, ${id}); restorable.` };
  }

  private fail(home: string, note: string): PreimageOutcome {
    rmSync(home, { recursive: true, force: true });
    return { taken: false, note: `${note} — what it destroys is not recoverable here.` };
  }

  list(): PreimageMeta[] {
    if (!existsSync(this.dir)) return [];
    const out: PreimageMeta[] = [];
    for (const id of readdirSync(this.dir)) {
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, id, 'meta.json'), 'utf8')) as PreimageMeta);
      } catch {
        // Incomplete (killed mid-dump): not listed.
      }
    }
    return out.sort((a, b) => b.time.localeCompare(a.time));
  }

  /** Puts the pre-image back: psql/mysql run the dump (it fails if the tables exist); SQLite's file is copied back only if gone or `overwrite`. */
  async restore(id: string, opts: { overwrite?: boolean } = {}): Promise<{ ok: boolean; message: string }> {
    const m = this.list().find((x) => x.id === id);
    if (!m) return { ok: false, message: `no pre-image ${id}` };
    if (m.engine === 'sqlite') {
      if (existsSync(m.file!) && !opts.overwrite) return { ok: false, message: `${m.file} exists; restore with overwrite to replace it (its current content is lost unless copied)` };
      // What is there now is kept beside the pre-image, so a mistaken restore is itself undoable.
      if (existsSync(m.file!)) copyFileSync(m.file!, join(this.dir, id, `before-restore-${Date.now()}.sqlite`));
      copyFileSync(m.dump, m.file!);
      return { ok: true, message: `${m.file} restored from ${id}` };
    }
    const r =
      m.engine === 'postgres'
        ? await run('psql', [...pgConn(m), ...(m.whole ? ['-d', 'postgres'] : m.database ? ['-d', m.database] : []), '--no-password', '-v', 'ON_ERROR_STOP=1', '-q', '-f', m.dump], 10 * this.limits.timeoutMs)
        : await run('mysql', [...(m.host ? ['-h', m.host] : []), ...(m.port ? ['-P', m.port] : []), ...(m.user ? ['-u', m.user] : []), ...(m.whole ? [] : [m.database ?? '']), '-e', `source ${m.dump}`], 10 * this.limits.timeoutMs);
    if (r.code !== 0) return { ok: false, message: `restore of ${id} failed: ${r.missing ? 'the client is not installed' : r.stderr.split('\n')[0]}` };
    return { ok: true, message: `restored ${m.whole ? `database ${m.database}` : m.tables.join(', ')} from ${id}` };
  }
}
