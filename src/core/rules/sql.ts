// SQL and database CLIs: DROP, TRUNCATE, DELETE/UPDATE without WHERE, dropdb, FLUSHALL, dropDatabase, ORM resets.

export {};
