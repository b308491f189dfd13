// The mongo shell's JavaScript: the calls on `db` that drop a database, a collection or users, or delete or update
// every document.

import { type SqlEffect } from './statements';
import { skipGroup, splitStatements, type Token } from './tokens';

const isPunct = (t: Token | undefined, value: string) => !!t && t.kind === 'punct' && t.value === value;

/** Calls on `db` in mongo shell JavaScript: `db.users.drop()`, `db.getSiblingDB('x').dropDatabase()`, `use x`. */
export function mongoEffects(js: string, defaultDatabase: string): SqlEffect[] {
  const t = splitStatements(js, 'javascript').flatMap((s) => [...s, { kind: 'punct', value: ';', upper: ';', spaced: true, lineStart: false } as Token]);
  const out: SqlEffect[] = [];
  let database = defaultDatabase;
  for (let i = 0; i < t.length; i++) {
    if (t[i].kind === 'word' && t[i].value === 'use' && t[i].lineStart && t[i + 1] && t[i + 1].kind !== 'punct') database = t[i + 1].value;
    if (t[i].kind !== 'word' || t[i].value !== 'db' || isPunct(t[i - 1], '.')) continue;
    let db = database;
    let collection: string | undefined;
    let j = i + 1;
    for (;;) {
      if (isPunct(t[j], '[')) {
        // db[name]: a collection named at run time could be any of them.
        collection = t[j + 1]?.kind === 'string' && isPunct(t[j + 2], ']') ? t[j + 1].value : db;
        j += 3;
      } else if (isPunct(t[j], '.') && t[j + 1]?.kind === 'word' && !isPunct(t[j + 2], '(')) {
        collection = collection ? `${collection}.${t[j + 1].value}` : t[j + 1].value;
        j += 2;
      } else if (isPunct(t[j], '.') && t[j + 1]?.kind === 'word' && ['getSiblingDB', 'getCollection'].includes(t[j + 1].value)) {
        const arg = t[j + 3]?.kind === 'string' ? t[j + 3].value : db;
        if (t[j + 1].value === 'getSiblingDB') db = arg;
        else collection = arg;
        j = skipGroup(t, j + 2);
      } else break;
    }
    if (!isPunct(t[j], '.') || t[j + 1]?.kind !== 'word' || !isPunct(t[j + 2], '(')) continue;
    const method = t[j + 1].value;
    const args = t.slice(j + 3, skipGroup(t, j + 2) - 1);
    // No filter, or `{}` as the filter: every document matches.
    const matchesAll = !args.length || (isPunct(args[0], '{') && isPunct(args[1], '}') && (args.length === 2 || isPunct(args[2], ',')));
    const arg = args[0]?.kind === 'string' ? args[0].value : db;
    if (!collection && method === 'dropDatabase') out.push({ kind: 'drop-database', objects: [db], detail: `db.dropDatabase() on ${db}` });
    else if (!collection && (method === 'dropUser' || method === 'dropRole')) out.push({ kind: 'drop-role', objects: [arg], detail: `db.${method}() on ${db}` });
    else if (!collection && (method === 'dropAllUsers' || method === 'dropAllRoles')) out.push({ kind: 'drop-role', objects: [db], detail: `db.${method}() on ${db}` });
    else if (collection && method === 'drop') out.push({ kind: 'drop', objects: [collection], detail: `drops collection ${collection} in ${db}` });
    else if (collection && (method === 'deleteMany' || method === 'remove') && matchesAll) out.push({ kind: 'delete-all', objects: [collection], detail: `${method}({}) on ${collection}: every document` });
    else if (collection && method === 'updateMany' && matchesAll && args.length) out.push({ kind: 'update-all', objects: [collection], detail: `updateMany({}) on ${collection}: every document` });
  }
  return out;
}
