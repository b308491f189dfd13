// Database pre-images against real servers: Debian's PostgreSQL on a free loopback port, and sqlite3.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { PreimageStore, preimageTargets } from '../../src/gate/preimage';
import { startPostgres, TestPostgres } from './postgres-server';

const engine = new Engine({ tier: 'production' });
const tmp = () => fs.mkdtempSync(join(tmpdir(), 'ag-pre-'));

describe('database pre-images', function () {
  this.timeout(60_000);

  it('reads the connection and the tables from the command', () => {
    const d = engine.classify('psql -h 127.0.0.1 -p 5544 -U app -d shop -c "DROP TABLE users; TRUNCATE orders"');
    const t = preimageTargets(d, '/w');
    assert.deepEqual(
      t.map((x) => [x.engine, x.host, x.port, x.user, x.database, x.whole, x.tables.join(',')]),
      [
        ['postgres', '127.0.0.1', '5544', 'app', 'shop', false, 'users'],
        ['postgres', '127.0.0.1', '5544', 'app', 'shop', false, 'orders'],
      ],
    );
    assert.deepEqual(preimageTargets(engine.classify('dropdb -h db -p 1 shop'), '/w').map((x) => [x.whole, x.database]), [[true, 'shop']]);
    assert.deepEqual(preimageTargets(engine.classify('sqlite3 data/app.db "DELETE FROM users"'), '/w').map((x) => x.file), ['/w/data/app.db']);
    assert.deepEqual(preimageTargets(engine.classify('psql -c "SELECT 1"'), '/w'), []);
  });

  describe('PostgreSQL', () => {
    let pg: TestPostgres;
    before(async () => {
      pg = await startPostgres();
      pg.psql('postgres', 'CREATE DATABASE app');
      pg.psql('app', "CREATE TABLE users (id int primary key, name text); INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 500) g; CREATE TABLE keep (x int)");
    });
    after(() => pg?.stop());

    it('an approved DROP TABLE users leaves a pre-image that restores the table with its rows', async () => {
      const store = new PreimageStore(join(tmp(), 'pre'));
      const cmd = `psql -h ${pg.host} -p ${pg.port} -U postgres -d app -c "DROP TABLE users"`;
      const d = engine.classify(cmd);
      assert.equal(d.decision, 'confirm');
      const [r] = await store.before(d, '/');
      assert.equal(r.taken, true, r.note);
      assert.match(r.note, /^Database pre-image of users in app taken \(\d+ KB, .+\); restorable\.$/);
      assert.equal(fs.statSync(store.dir).mode & 0o777, 0o700);
      execFileSync('sh', ['-c', cmd]);
      assert.throws(() => pg.psql('app', 'SELECT count(*) FROM users'));
      assert.equal(store.list()[0].id, r.id);
      const back = await store.restore(r.id!);
      assert.equal(back.ok, true, back.message);
      assert.equal(pg.psql('app', 'SELECT count(*), sum(id), max(name) FROM users').trim(), '500|125250|user 99');
      // Restoring again over the living table fails rather than doubling or replacing it.
      assert.equal((await store.restore(r.id!)).ok, false);
    });

    it('DROP DATABASE dumps the whole database and restores it', async () => {
      pg.psql('postgres', 'CREATE DATABASE gone');
      pg.psql('gone', "CREATE TABLE t (v text); INSERT INTO t VALUES ('a'), ('b')");
      const store = new PreimageStore(join(tmp(), 'pre'));
      const cmd = `psql -h ${pg.host} -p ${pg.port} -U postgres -d postgres -c "DROP DATABASE gone"`;
      const [r] = await store.before(engine.classify(cmd), '/');
      assert.equal(r.taken, true, r.note);
      execFileSync('sh', ['-c', cmd]);
      assert.equal((await store.restore(r.id!)).ok, true);
      assert.equal(pg.psql('gone', 'SELECT string_agg(v, \',\' ORDER BY v) FROM t').trim(), 'a,b');
    });

    it('says why when it cannot: unreachable server, a missing table, over the size cap, no dump tool', async () => {
      const store = new PreimageStore(join(tmp(), 'pre'), { maxBytes: 1024 * 1024, timeoutMs: 10_000 });
      const [down] = await store.before(engine.classify(`psql -h 127.0.0.1 -p 1 -U postgres -d app -c "DROP TABLE users"`), '/');
      assert.equal(down.taken, false);
      assert.match(down.note, /^no pre-image: pg_dump could not read users in app \(.+\) — what it destroys is not recoverable here\.$/);
      const tiny = new PreimageStore(join(tmp(), 'pre'), { maxBytes: 10, timeoutMs: 10_000 });
      const [big] = await tiny.before(engine.classify(`psql -h ${pg.host} -p ${pg.port} -U postgres -d app -c "TRUNCATE users"`), '/');
      assert.match(big.note, /^no pre-image: users in app is over/);
      assert.deepEqual(tiny.list(), []);
      const path = process.env.PATH;
      process.env.PATH = '/nonexistent';
      try {
        const [none] = await store.before(engine.classify(`psql -h ${pg.host} -p ${pg.port} -d app -c "DROP TABLE users"`), '/');
        assert.match(none.note, /^no pre-image: pg_dump is not installed/);
      } finally {
        process.env.PATH = path;
      }
    });
  });

  it('SQLite: .backup before DELETE, restored only when the file is gone or on overwrite', async () => {
    const dir = tmp();
    const db = join(dir, 'app.db');
    execFileSync('sqlite3', [db, "CREATE TABLE users (id int, name text); INSERT INTO users VALUES (1, 'a'), (2, 'b');"]);
    const store = new PreimageStore(join(tmp(), 'preimages'));
    const cmd = `sqlite3 app.db "DELETE FROM users"`;
    const [r] = await store.before(engine.classify(cmd), dir);
    assert.equal(r.taken, true, r.note);
    execFileSync('sh', ['-c', cmd], { cwd: dir });
    assert.equal(execFileSync('sqlite3', [db, 'SELECT count(*) FROM users'], { encoding: 'utf8' }).trim(), '0');
    assert.equal((await store.restore(r.id!)).ok, false, 'the file exists: not replaced without overwrite');
    assert.equal((await store.restore(r.id!, { overwrite: true })).ok, true);
    assert.equal(execFileSync('sqlite3', [db, 'SELECT group_concat(name) FROM users'], { encoding: 'utf8' }).trim(), 'a,b');
    // The same through the CLI, which finds pre-images beside the file history.
    const prev = process.env.AGENT_GUARD_HISTORY_DIR;
    process.env.AGENT_GUARD_HISTORY_DIR = join(store.dir, '..');
    try {
      let out = '';
      const io = { stdin: Readable.from([]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) } };
      assert.equal(await main(['history', 'preimages'], io), 0);
      assert.match(out, new RegExp(`^${r.id}  sqlite  ${db}  \\d+ bytes  before: sqlite3 app.db`));
      execFileSync('sqlite3', [db, 'DROP TABLE users']);
      assert.equal(await main(['history', 'restore-preimage', r.id!], io), 1, 'no overwrite without asking');
      assert.equal(await main(['history', 'restore-preimage', r.id!, '--overwrite'], io), 0);
      assert.equal(execFileSync('sqlite3', [db, 'SELECT count(*) FROM users'], { encoding: 'utf8' }).trim(), '2');
    } finally {
      if (prev === undefined) delete process.env.AGENT_GUARD_HISTORY_DIR;
      else process.env.AGENT_GUARD_HISTORY_DIR = prev;
    }
  });
});
