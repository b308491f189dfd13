// The GraphQL document reader behind http.graphql-delete-mutation.
import * as assert from 'node:assert/strict';
import { nameWords, readGraphql } from '../../src/core/http/graphql';

describe('graphql reader', () => {
  it('reads a mutation, its top-level fields and their arguments', () => {
    const ops = readGraphql('mutation { volumeDelete(volumeId: "abc") }');
    assert.deepEqual(ops, [{ kind: 'mutation', fields: [{ name: 'volumeDelete', args: { volumeId: 'abc' } }] }]);
  });

  it('treats a bare selection set as a query', () => {
    assert.equal(readGraphql('{ me { id } }')?.[0].kind, 'query');
  });

  it('resolves variables, falling back to declared defaults and leaving unknown ones out', () => {
    const doc = 'mutation Del($id: ID!, $force: Boolean = true, $env: ID) { projectDelete(id: $id, force: $force, environmentId: $env) }';
    assert.deepEqual(readGraphql(doc, { id: 'p1' })?.[0].fields[0].args, { id: 'p1', force: true });
  });

  it('reads nested objects, lists, enums, block strings and escapes', () => {
    const doc = 'mutation { delete_users(where: {id: {_in: [1, 2]}, role: ADMIN, note: """a "b" c""", tag: "\\u0041\\n"}) { affected_rows } }';
    assert.deepEqual(readGraphql(doc)?.[0].fields[0].args, { where: { id: { _in: [1, 2] }, role: 'ADMIN', note: 'a "b" c', tag: 'A\n' } });
  });

  it('uses the field name, not the alias, and ignores comments, commas and directives', () => {
    const doc = '# wipe it\nmutation @audit(reason: "x") { gone: environmentDelete(id: "e1") @include(if: true) { id }, other: ping }';
    assert.deepEqual(readGraphql(doc)?.[0].fields.map((f) => f.name), ['environmentDelete', 'ping']);
  });

  it('looks through inline fragments and named fragment spreads at the top level', () => {
    const doc = 'mutation { ...Wipe ... on Mutation { serviceDelete(id: "s") } } fragment Wipe on Mutation { volumeDelete(volumeId: "v") }';
    assert.deepEqual(readGraphql(doc)?.[0].fields.map((f) => f.name), ['volumeDelete', 'serviceDelete']);
  });

  it('returns every operation of a document with several', () => {
    const ops = readGraphql('query A { a } mutation B { deleteX(id: 1) }');
    assert.deepEqual(ops?.map((o) => [o.kind, o.name]), [['query', 'A'], ['mutation', 'B']]);
  });

  it('returns null for text that is not a GraphQL request document', () => {
    for (const text of ['', 'name=foo&x=1', 'mutation {', 'mutation { a(id: ) }', '{"query": 1}', 'type Query { a: Int }', 'mutation { ...Missing }', 'mutation { a(x: "open) }']) {
      assert.equal(readGraphql(text), null, text);
    }
  });

  it('stops on fragments that spread into each other and on hostile nesting', () => {
    assert.equal(readGraphql('mutation { ...A } fragment A on M { ...B } fragment B on M { ...A }'), null);
    assert.equal(readGraphql(`mutation { a(x: ${'['.repeat(100000)}1${']'.repeat(100000)}) }`), null);
    assert.equal(readGraphql(`{ ${'a { '.repeat(100000)}b${' }'.repeat(100000)} }`), null);
  });

  it('splits camelCase and snake_case names into words', () => {
    assert.deepEqual(nameWords('volumeInstanceBackupDelete'), ['volume', 'instance', 'backup', 'delete']);
    assert.deepEqual(nameWords('delete_projects_by_pk'), ['delete', 'projects', 'by', 'pk']);
    assert.deepEqual(nameWords('deleteDBSnapshot'), ['delete', 'db', 'snapshot']);
  });
});
