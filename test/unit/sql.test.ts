// The SQL tokenizer and statement classifier, the mongo shell reader and connection strings, without the engine.
import * as assert from 'node:assert/strict';
import { alwaysTrue, sqlEffects } from '../../src/core/sql/statements';
import { Dialect, splitStatements } from '../../src/core/sql/tokens';
import { connectionTarget } from '../../src/core/sql/connection';
import { mongoEffects } from '../../src/core/sql/mongo';

/** `kind:object,object` per effect, for compact expectations. */
const effects = (sql: string, dialect?: Dialect) => sqlEffects(sql, dialect).map((e) => `${e.kind}:${e.objects.join(',')}`);
const where = (cond: string) => alwaysTrue(splitStatements(cond)[0] ?? []);

describe('sql statements', () => {
  describe('splitting', () => {
    it('splits on ; but not inside quotes, dollar quotes or comments', () => {
      const sql = `SELECT ';' ; SELECT "a;b"; SELECT $$ ; $$; SELECT $fn$ ; $fn$ -- ; x\n; /* ; */ SELECT 1`;
      assert.equal(splitStatements(sql).length, 5);
    });

    it('reads doubled quotes, E-string backslashes and mysql backslashes as part of the string', () => {
      assert.deepEqual(effects("SELECT 'it''s; DROP TABLE a'"), []);
      assert.deepEqual(effects("SELECT E'it\\'s; DROP TABLE a'"), []);
      assert.deepEqual(effects("SELECT 'it\\'s; DROP TABLE a'", 'mysql'), []);
      // In standard SQL a backslash is just a character, so the string ends before the DROP.
      assert.deepEqual(effects("SELECT 'x\\'; DROP TABLE a; --'"), ['drop:a']);
    });

    it('treats # as a comment only in mysql, and runs the inside of mysql /*! */ comments', () => {
      assert.deepEqual(effects('SELECT 1 # ; DROP TABLE a', 'mysql'), []);
      assert.deepEqual(effects('/*!40101 DROP TABLE a */', 'mysql'), ['drop:a']);
      assert.deepEqual(effects('/* DROP TABLE a */ SELECT 1'), []);
    });

    it('ends a batch at a lone GO line (sqlcmd) and a client command at the end of its line', () => {
      assert.deepEqual(effects('TRUNCATE TABLE a\nGO\nDROP TABLE b\ngo 2\n'), ['truncate:a', 'drop:b']);
      assert.deepEqual(effects('\\c shop\nDELETE FROM carts;'), ['delete-all:carts']);
      assert.deepEqual(effects('.mode csv\nDROP TABLE t;'), ['drop:t']);
    });
  });

  describe('names', () => {
    it('strips quotes and brackets, keeps schema qualification, skips IF EXISTS', () => {
      assert.deepEqual(effects('DROP TABLE IF EXISTS "public"."Users", [dbo].[Orders], `shop`.`carts`'), ['drop:public.Users,dbo.Orders,shop.carts']);
      assert.deepEqual(effects('DROP TABLE `my-proj.ds.t`', 'mysql'), ['drop:my-proj.ds.t']);
      assert.deepEqual(effects("DROP USER IF EXISTS 'app'@'%'", 'mysql'), ['drop-role:app@%']);
    });

    it('reads the longest object kind, so a table may be called user or data', () => {
      assert.deepEqual(effects('DROP TABLE user'), ['drop:user']);
      assert.deepEqual(effects('DROP MATERIALIZED VIEW IF EXISTS mv_daily'), ['drop:mv_daily']);
      assert.deepEqual(effects('DROP FUNCTION f(int, text), g()'), ['drop:f,g']);
      assert.deepEqual(effects('DROP WAREHOUSE etl_wh'), ['drop:etl_wh']);
    });

    it('notes CASCADE in the detail', () => {
      assert.equal(sqlEffects('DROP SCHEMA app CASCADE')[0].detail, 'DROP SCHEMA app CASCADE');
    });
  });

  describe('statements', () => {
    it('sorts drops by what they take: a database, objects, or a role', () => {
      assert.deepEqual(effects('DROP DATABASE shop; DROP SCHEMA s; DROP VIEW v; DROP ROLE r; DROP OWNED BY r'), [
        'drop-database:shop', 'drop-database:s', 'drop:v', 'drop-role:r', 'drop:r',
      ]);
      assert.deepEqual(effects('DROP TEMPORARY TABLE scratch', 'mysql'), []);
    });

    it('finds DELETE and UPDATE that reach every row', () => {
      assert.deepEqual(effects('DELETE FROM a; DELETE b; DELETE TOP (10) FROM c; UPDATE d SET x = 1'), ['delete-all:a', 'delete-all:b', 'delete-all:c', 'update-all:d']);
      assert.deepEqual(effects('DELETE FROM a WHERE id = 1; UPDATE d SET x = 1 WHERE id IN (SELECT id FROM e WHERE true)'), []);
      assert.deepEqual(effects('DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id', 'mysql'), []);
      assert.deepEqual(effects('DELETE t1 FROM t1 LEFT JOIN t2 ON t1.id = t2.id', 'mysql'), ['delete-all:t1']);
      assert.deepEqual(effects('UPDATE STATISTICS t'), []);
    });

    it('counts a WHERE that is always true as no WHERE', () => {
      for (const c of ['1=1', 'true', 'TRUE', '1', "'a' = 'a'", '(1 = 1)', 'id = id', '1=1 AND true', 'id = 4 OR 1=1']) assert.ok(where(c), c);
      for (const c of ['id = 1', '1=1 AND id = 3', 'false', '0', 'a = b', 'created_at < now()']) assert.ok(!where(c), c);
    });

    it('splits ALTER TABLE drops: columns and partitions lose data, constraints only a check', () => {
      const [col] = sqlEffects('ALTER TABLE users DROP COLUMN IF EXISTS email, DROP phone');
      assert.deepEqual([col.kind, col.objects, col.severity, col.detail], ['alter-drop', ['users'], undefined, 'ALTER TABLE users DROP COLUMN email, DROP COLUMN phone']);
      const [fk] = sqlEffects('ALTER TABLE orders DROP FOREIGN KEY fk_user', 'mysql');
      assert.deepEqual([fk.severity, fk.detail], ['risky', 'ALTER TABLE orders DROP FOREIGN KEY fk_user']);
      assert.deepEqual(effects('ALTER TABLE t ADD COLUMN c int; ALTER TABLE t ALTER COLUMN c DROP DEFAULT'), []);
      assert.deepEqual(effects('ALTER TABLE events ON CLUSTER main DELETE WHERE 1', 'mysql'), ['delete-all:events']);
    });

    it('looks inside CTEs, EXPLAIN ANALYZE and DO blocks, but not function bodies or plain EXPLAIN', () => {
      assert.deepEqual(effects('WITH gone AS (DELETE FROM sessions RETURNING id) SELECT count(*) FROM gone'), ['delete-all:sessions']);
      assert.deepEqual(effects('EXPLAIN (ANALYZE, BUFFERS) DELETE FROM t'), ['delete-all:t']);
      assert.deepEqual(effects('EXPLAIN DELETE FROM t; EXPLAIN (ANALYZE false) DELETE FROM t'), []);
      assert.deepEqual(effects('DO $$ BEGIN IF true THEN TRUNCATE audit; END IF; END $$'), ['truncate:audit']);
      assert.deepEqual(effects("DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'x'); END $$"), ['drop:dynamic SQL']);
      assert.deepEqual(effects('CREATE FUNCTION purge() RETURNS void AS $$ DELETE FROM t $$ LANGUAGE sql'), []);
    });

    it('reports script files run by client commands', () => {
      assert.deepEqual(effects('\\i reset.sql'), ['script:reset.sql']);
      assert.deepEqual(effects('SOURCE /tmp/dump.sql', 'mysql'), ['script:/tmp/dump.sql']);
      assert.deepEqual(effects('.read seed.sql'), ['script:seed.sql']);
    });

    it('leaves reads and additive statements alone', () => {
      assert.deepEqual(effects('SELECT * FROM users; INSERT INTO t VALUES (1); CREATE TABLE x (id int); SELECT 1 FOR UPDATE; BEGIN; COMMIT;'), []);
    });
  });
});

describe('mongo shell calls', () => {
  const mongo = (js: string) => mongoEffects(js, 'test').map((e) => `${e.kind}:${e.objects.join(',')}`);

  it('reads drops and unfiltered deletes, on the current or a named database', () => {
    assert.deepEqual(mongo('db.dropDatabase()'), ['drop-database:test']);
    assert.deepEqual(mongo("use shop\ndb.dropDatabase()"), ['drop-database:shop']);
    assert.deepEqual(mongo("db.getSiblingDB('audit').logs.drop()"), ['drop:logs']);
    assert.deepEqual(mongo("db.getCollection('a.b').deleteMany({}); db['c'].remove({})"), ['delete-all:a.b', 'delete-all:c']);
    assert.deepEqual(mongo('db.users.updateMany({}, { $set: { flag: 1 } })'), ['update-all:users']);
  });

  it('leaves filtered deletes, reads and comments alone', () => {
    assert.deepEqual(mongo("db.users.deleteMany({ status: 'gone' }); db.users.find({}); // db.dropDatabase()"), []);
  });
});

describe('connection strings', () => {
  it('gives the database and host, never the password', () => {
    assert.deepEqual(connectionTarget('postgresql://app:s3cret@db.internal:5432/shop?sslmode=require'), { database: 'shop', host: 'db.internal' });
    assert.deepEqual(connectionTarget('host=db.internal dbname=shop password=s3cret'), { database: 'shop', host: 'db.internal' });
    assert.deepEqual(connectionTarget('jdbc:mysql://db/billing'), { database: 'billing', host: 'db' });
    assert.deepEqual(connectionTarget('shop'), { database: 'shop' });
  });
});
