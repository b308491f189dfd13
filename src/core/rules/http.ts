// HTTP: DELETE requests and destructive GraphQL mutations sent with curl, wget, httpie/xh or PowerShell.

import type { GraphqlField, GraphqlValue } from '../http/graphql';
import { late } from '../late';
import { graphqlOperations } from '../http/graphqlBody';
import { CURL_VALUES, displayUrl, formFields, HTTP_CLIENTS, httpRequest, HttpRequest, isDynamic, urlParts } from '../http/request';
import { defineRule, joinResources, standIn } from './rule';

// The exec family's interpreter rules read requests through here too.
export { displayUrl, HTTP_CLIENTS, httpRequest };

// The GraphQL reader, loaded with the first GraphQL request (src/core/late.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const graphqlReader = late((): typeof import('../http/graphql') => require('../http/graphql'));

const METHOD_OVERRIDE_HEADERS = /^\s*x-(http-)?method(-override)?\s*:\s*([A-Za-z]+)\s*$/i;

/** The method the server acts on: `X-HTTP-Method-Override: DELETE` and `_method=delete` turn a POST into a DELETE. */
function effectiveMethod(req: HttpRequest): string {
  if (req.method !== 'POST') return req.method;
  for (const h of req.headers) {
    const m = METHOD_OVERRIDE_HEADERS.exec(h);
    if (m) return m[3].toUpperCase();
  }
  const field = formFields(req).find(([k]) => k === '_method');
  return field ? field[1].toUpperCase() : req.method;
}

/** The REST resource a DELETE names: the last path segment, with its collection when it is a bare number. */
export function deleteTarget(url: string): string {
  const { host, segments } = urlParts(url);
  if (!segments.length) return host || url;
  const last = segments[segments.length - 1];
  // `42` alone names nothing a person can check; `users/42` does.
  return /^\d+$/.test(last) && segments.length > 1 ? `${segments[segments.length - 2]}/${last}` : last;
}

/** Elasticsearch/OpenSearch-style paths that mean every index. */
function isEverything(url: string): boolean {
  const { segments } = urlParts(url);
  const last = segments[segments.length - 1];
  return last === '_all' || last === '*';
}

export const deleteRequest = defineRule({
  id: 'http.delete-request',
  severity: 'destructive',
  summary: 'Sends an HTTP DELETE, which removes the resource on the server',
  programs: HTTP_CLIENTS,
  match(inv) {
    const req = httpRequest(inv);
    if (!req || effectiveMethod(req) !== 'DELETE') return null;
    if (!req.urls.length) return { resource: standIn(inv) };
    return {
      resource: joinResources(req.urls.map(deleteTarget)),
      detail: `DELETE ${req.urls.map(displayUrl).join(' ')}`,
      ...(req.urls.some(isEverything) ? { severity: 'catastrophic' as const } : {}),
    };
  },
  examples: {
    gated: [
      ['curl -X DELETE https://api.example.com/v1/volumes/vol_123', 'vol_123'],
      ['curl -sS -XDELETE -H "Authorization: Bearer $TOKEN" "https://api.example.com/v1/users/42?force=true"', 'users/42'],
      ['curl --request delete localhost:9200/logs-2024.01', 'logs-2024.01'],
      ['curl -X DELETE http://localhost:9200/_all', '_all'],
      ['curl -X POST -H "X-HTTP-Method-Override: DELETE" https://api.example.com/projects/p1', 'p1'],
      ['wget --method=DELETE -qO- https://api.example.com/v2/buckets/assets', 'assets'],
      ['http DELETE api.example.com/projects/acme Authorization:"Bearer $T"', 'acme'],
      ['xh delete :8080/api/sessions/all', 'all'],
      ['Invoke-RestMethod -Method Delete -Uri https://api.example.com/databases/main', 'main'],
    ],
    allowed: [
      'curl https://api.example.com/v1/volumes/vol_123',
      'curl -X PUT -d @vol.json https://api.example.com/v1/volumes/vol_123',
      'curl -X PATCH https://api.example.com/v1/users/42 -d name=ana',
      'http GET api.example.com/projects',
      'xh --offline DELETE api.example.com/projects/acme',
      'wget https://example.com/delete.sh',
      'curl --help all',
    ],
  },
});

const DELETING_VERBS = new Set(['delete', 'destroy', 'drop', 'remove', 'purge', 'wipe', 'truncate', 'reset', 'terminate', 'unpublish']);
/** Words that qualify a deletion without naming what is deleted: deleteMany, bulkRemove, volumeInstanceDelete. */
const QUALIFIERS = new Set(['many', 'all', 'bulk', 'batch', 'one', 'permanently', 'permanent', 'hard', 'force', 'instance', 'instances', 'data']);
/** What the field deletes when that takes everything with it: a volume and its data, a project, its backups. */
const WHOLE_THINGS = new Set(['volume', 'project', 'database', 'db', 'environment', 'env', 'backup', 'snapshot', 'cluster']);

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** The thing a deleting field name is about (`volumeInstanceDelete` -> volume), or null when it deletes nothing. */
function deletedThing(fieldName: string): string | null {
  const words = graphqlReader().nameWords(fieldName);
  if (!words.some((w) => DELETING_VERBS.has(w))) return null;
  const by = words.indexOf('by');
  const subject = (by >= 0 ? words.slice(0, by) : words).filter((w) => !DELETING_VERBS.has(w) && !QUALIFIERS.has(w) && !/^v?\d+$/.test(w));
  return subject.length ? singular(subject[subject.length - 1]) : '';
}

/** The scalar values inside an argument value: `{_eq: 5}` -> 5, `["a","b"]` -> a b. */
function scalars(v: GraphqlValue): string[] {
  if (typeof v === 'string') return v ? [v] : [];
  if (typeof v === 'number') return [String(v)];
  if (Array.isArray(v)) return v.flatMap(scalars);
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(scalars);
  return [];
}

/**
 * The ids or names a deleting field targets, best first: an id named for the thing (`volumeId` for volumeDelete),
 * then `id`, then `name`/`slug`, then any other `…Id`. Token- or key-like arguments are never used.
 */
function targetsOf(field: GraphqlField, thing: string): string[] {
  const pairs: [string[], GraphqlValue][] = [];
  const walk = (args: Record<string, GraphqlValue>): void => {
    for (const [k, v] of Object.entries(args)) {
      pairs.push([graphqlReader().nameWords(k).map(singular), v]);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) walk(v);
    }
  };
  walk(field.args);
  const isId = (w: string[]) => w.length > 0 && (w[w.length - 1] === 'id' || w[w.length - 1] === 'uuid');
  const tiers: ((w: string[]) => boolean)[] = [
    (w) => isId(w) && w.length > 1 && w[w.length - 2] === thing,
    (w) => isId(w) && w.length === 1,
    (w) => w.length === 1 && (w[0] === 'name' || w[0] === 'slug'),
    isId,
  ];
  for (const tier of tiers) {
    const found = pairs.filter(([w]) => tier(w)).flatMap(([, v]) => scalars(v));
    if (found.length) return found;
  }
  return [];
}

export const graphqlDeleteMutation = defineRule({
  id: 'http.graphql-delete-mutation',
  severity: 'destructive',
  summary: 'Sends a GraphQL mutation that deletes or wipes data on the server',
  programs: HTTP_CLIENTS,
  match(inv) {
    const req = httpRequest(inv);
    if (!req) return null;
    const hits = graphqlOperations(req)
      .operations.filter((o) => o.kind === 'mutation')
      .flatMap((o) => o.fields)
      .map((field) => ({ field, thing: deletedThing(field.name) }))
      .filter((h): h is { field: GraphqlField; thing: string } => h.thing !== null);
    if (!hits.length) return null;
    const resources = hits.map(({ field, thing }) => {
      const targets = targetsOf(field, thing);
      return targets.length ? joinResources(targets) : field.name;
    });
    return {
      resource: joinResources(resources),
      detail: `GraphQL mutation ${[...new Set(hits.map((h) => h.field.name))].join(', ')}`,
      ...(hits.some((h) => WHOLE_THINGS.has(h.thing)) ? { severity: 'catastrophic' as const } : {}),
    };
  },
  examples: {
    gated: [
      [`curl -X POST https://backboard.railway.app/graphql/v2 -H "Authorization: Bearer $RAILWAY_TOKEN" -H 'Content-Type: application/json' -d '{"query":"mutation { volumeDelete(volumeId: \\"3d2c1b0a\\") }"}'`, '3d2c1b0a'],
      [`curl https://api.example.com/graphql --json '{"query":"mutation Del($id: ID!) { deleteProject(id: $id) { id } }","variables":{"id":"prj_9"}}'`, 'prj_9'],
      [`curl -d 'query=mutation { serviceDelete(id: "svc-1") }' https://api.example.com/graphql`, 'svc-1'],
      [`http POST api.example.com/graphql query='mutation { variableDelete(input: {projectId: "p", name: "API_KEY"}) }'`, 'API_KEY'],
      [`curl -H 'Content-Type: application/graphql' -d 'mutation { delete_users(where: {id: {_eq: 5}}) { affected_rows } }' localhost:8080/v1/graphql`, '5'],
      [`curl --data-binary @- https://api.example.com/graphql <<'EOF'\n{"query": "mutation { environmentDelete(id: \\"env_prod\\") }"}\nEOF`, 'env_prod'],
      [`curl -d '{"query":"mutation { purgeCache }"}' https://api.example.com/graphql`, 'purgeCache'],
    ],
    allowed: [
      `curl -d '{"query":"query { volume(id: \\"v1\\") { name } }"}' https://backboard.railway.app/graphql/v2`,
      `curl -d '{"query":"mutation { serviceInstanceRedeploy(serviceId: \\"s\\", environmentId: \\"e\\") }"}' https://backboard.railway.app/graphql/v2`,
      `curl -d '{"query":"mutation { projectCreate(input: {name: \\"demo\\"}) { id } }"}' https://api.example.com/graphql`,
      `echo '{"query":"mutation { volumeDelete(volumeId: \\"x\\") }"}'`,
      `http POST api.example.com/graphql query='{ projects { id } }'`,
    ],
  },
});

/** A GraphQL endpoint by its path: /graphql, /v1/graphql, /graphql/v2, /gql. */
function isGraphqlEndpoint(url: string): boolean {
  return urlParts(url)
    .segments.slice(-2)
    .some((s) => s.toLowerCase() === 'graphql' || s.toLowerCase() === 'gql');
}

export const opaqueGraphql = defineRule({
  id: 'http.opaque-graphql',
  severity: 'risky',
  summary: 'Posts a GraphQL request whose body comes from a file or variable, so what it changes cannot be checked',
  programs: HTTP_CLIENTS,
  match(inv) {
    const req = httpRequest(inv);
    if (!req || effectiveMethod(req) !== 'POST') return null;
    const endpoints = req.urls.filter(isGraphqlEndpoint);
    if (!endpoints.length) return null;
    const body = graphqlOperations(req);
    if (!body.hidden || body.operations.length) return null;
    return { resource: joinResources(endpoints.map((u) => urlParts(u).host)) };
  },
  examples: {
    gated: [
      ['curl -X POST -d @mutation.json https://backboard.railway.app/graphql/v2', 'backboard.railway.app'],
      ['curl -s -H "Content-Type: application/json" --data-binary @- https://api.example.com/v1/graphql', 'api.example.com'],
      ['curl -d "$PAYLOAD" https://api.github.com/graphql', 'api.github.com'],
      ['jq -n --arg id "$VOL" \'{query: "mutation { volumeDelete(volumeId: \\($id)) }"}\' | curl -d @- https://backboard.railway.app/graphql/v2', 'backboard.railway.app'],
    ],
    allowed: [
      'curl -d @report.json https://api.example.com/v1/reports',
      'curl https://api.example.com/graphql',
      `curl -d '{"query":"{ me { id } }"}' https://api.example.com/graphql`,
    ],
  },
});

export const opaqueRequest = defineRule({
  id: 'http.opaque-request',
  severity: 'risky',
  summary: 'Sends a request whose address, method or body comes from a config file, a variable or a file the guard cannot read',
  programs: ['curl'],
  match(inv) {
    const a = inv.parsed({ values: CURL_VALUES });
    const config = a.values('-K', '--config');
    if (config.length) return { resource: `curl config ${config.join(', ')}` };
    const req = httpRequest(inv);
    if (!req) return null;
    const method = effectiveMethod(req);
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return null;
    // A changing request to an address only known at run time, with a body from a file or variable.
    const hiddenUrl = req.urls.length > 0 && req.urls.every((u) => /^["']?\$/.test(u) || isDynamic(inv, u));
    return hiddenUrl && (req.hidden || req.texts.some((t) => t.dynamic)) ? { resource: req.urls.join(' ') } : null;
  },
  examples: {
    gated: [
      ['curl -K request.cfg', 'curl config request.cfg'],
      ['curl --config - < req.txt', 'curl config -'],
      ['curl -X POST -d @payload.json $API_URL', '$API_URL'],
    ],
    allowed: ['curl https://example.com', 'curl -d @report.json https://api.example.com/v1/reports', 'curl $HEALTH_URL', 'curl -X POST -d \'{"a":1}\' https://api.example.com/v1/things'],
  },
});
