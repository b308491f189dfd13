// HTTP: DELETE requests and destructive GraphQL mutations sent with curl, wget, httpie/xh or PowerShell.

import { GraphqlField, GraphqlOperation, GraphqlValue, nameWords, readGraphql } from '../http/graphql';
import { Invocation, staticOutput } from '../parse/invocation';
import { defineRule, joinResources, standIn } from './rule';

/** What one command line sends, as far as the text shows. Headers are kept only to read method overrides. */
export interface HttpRequest {
  method: string;
  urls: string[];
  /** Raw bodies (`-d`, `--json`, `--body-data`, `--raw`, stdin), each marked when it holds a run-time expansion. */
  texts: { text: string; dynamic: boolean }[];
  /** Form fields given one by one (`--data-urlencode name=…`, `-F name=…`). */
  form: [string, string][];
  /** A JSON body built from httpie items (`query=…`, `variables:='{…}'`). */
  json?: Record<string, unknown>;
  headers: string[];
  /** Part of the body comes from a file, standard input or a run-time expansion the text does not show. */
  hidden: boolean;
}

const CURL_VALUES = [
  '-A', '-b', '-c', '-C', '-d', '-D', '-e', '-E', '-F', '-H', '-K', '-m', '-o', '-P', '-Q', '-r', '-t', '-T', '-u', '-U',
  '-w', '-x', '-X', '-y', '-Y', '-z', '--abstract-unix-socket', '--alt-svc', '--aws-sigv4', '--cacert', '--capath',
  '--cert', '--cert-type', '--ciphers', '--config', '--connect-timeout', '--connect-to', '--continue-at', '--cookie',
  '--cookie-jar', '--create-file-mode', '--crlfile', '--curves', '--data', '--data-ascii', '--data-binary',
  '--data-raw', '--data-urlencode', '--delegation', '--dns-interface', '--dns-ipv4-addr', '--dns-ipv6-addr',
  '--dns-servers', '--doh-url', '--dump-header', '--engine', '--etag-compare', '--etag-save', '--expand-data',
  '--expect100-timeout', '--form', '--form-string', '--ftp-account', '--ftp-alternative-to-user', '--ftp-method',
  '--ftp-port', '--happy-eyeballs-timeout-ms', '--haproxy-clientip', '--header', '--hostpubmd5', '--hostpubsha256',
  '--hsts', '--interface', '--ipfs-gateway', '--json', '--keepalive-time', '--key', '--key-type', '--krb',
  '--libcurl', '--limit-rate', '--local-port', '--login-options', '--mail-auth', '--mail-from', '--mail-rcpt',
  '--max-filesize', '--max-redirs', '--max-time', '--netrc-file', '--noproxy', '--oauth2-bearer', '--output',
  '--output-dir', '--parallel-max', '--pass', '--pinnedpubkey', '--preproxy', '--proto', '--proto-default',
  '--proto-redir', '--proxy', '--proxy-cacert', '--proxy-capath', '--proxy-cert', '--proxy-cert-type',
  '--proxy-ciphers', '--proxy-header', '--proxy-key', '--proxy-key-type', '--proxy-pass', '--proxy-user',
  '--proxy1.0', '--pubkey', '--quote', '--random-file', '--range', '--rate', '--referer', '--request',
  '--request-target', '--resolve', '--retry', '--retry-delay', '--retry-max-time', '--sasl-authzid',
  '--service-name', '--socks4', '--socks4a', '--socks5', '--socks5-hostname', '--speed-limit', '--speed-time',
  '--stderr', '--telnet-option', '--tftp-blksize', '--time-cond', '--tls-max', '--tls13-ciphers', '--tlsauthtype',
  '--tlspassword', '--tlsuser', '--trace', '--trace-ascii', '--unix-socket', '--upload-file', '--url', '--url-query',
  '--user', '--user-agent', '--variable', '--write-out',
];

const WGET_VALUES = [
  '-O', '-o', '-a', '-e', '-i', '-t', '-T', '-w', '-Q', '-U', '-P', '-l', '-A', '-R', '-D', '-I', '-X', '-B',
  '--output-document', '--output-file', '--append-output', '--execute', '--input-file', '--tries', '--timeout',
  '--wait', '--quota', '--user-agent', '--directory-prefix', '--level', '--accept', '--reject', '--domains',
  '--include-directories', '--exclude-directories', '--base', '--header', '--user', '--password', '--http-user',
  '--http-password', '--post-data', '--post-file', '--body-data', '--body-file', '--method', '--load-cookies',
  '--save-cookies', '--referer', '--ca-certificate', '--ca-directory', '--certificate', '--certificate-type',
  '--private-key', '--private-key-type', '--proxy-user', '--proxy-password', '--bind-address', '--limit-rate',
  '--dns-timeout', '--connect-timeout', '--read-timeout', '--waitretry', '--config', '--max-redirect',
  '--secure-protocol', '--ciphers', '--crl-file', '--pinnedpubkey', '--exclude-domains', '--accept-regex',
  '--reject-regex', '--restrict-file-names', '--default-page', '--progress', '--retry-on-http-error',
];

const HTTPIE_VALUES = [
  '-a', '--auth', '-A', '--auth-type', '--session', '--session-read-only', '-o', '--output', '-p', '--print', '-P',
  '--history-print', '--pretty', '-s', '--style', '--format-options', '--response-charset', '--response-mime',
  '--raw', '--verify', '--cert', '--cert-key', '--cert-key-pass', '--ciphers', '--ssl', '--proxy', '--timeout',
  '--max-redirects', '--max-headers', '--default-scheme', '--boundary', '--bearer', '--resolve', '--interface',
  '--http-version',
];

/** PowerShell web cmdlet switches; every other parameter takes a value. */
const PWSH_SWITCHES = new Set([
  'usebasicparsing', 'useb', 'usedefaultcredentials', 'allowunencryptedauthentication', 'skipcertificatecheck',
  'disablekeepalive', 'passthru', 'resume', 'skipheadervalidation', 'skiphttperrorcheck', 'noproxy',
  'preserveauthorizationonredirect', 'allowinsecureredirect', 'proxyusedefaultcredentials', 'verbose', 'debug',
]);

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const CURL_PROGRAMS = ['curl'];
const WGET_PROGRAMS = ['wget'];
const HTTPIE_PROGRAMS = ['http', 'https', 'xh', 'xhs'];
const PWSH_PROGRAMS = ['Invoke-RestMethod', 'Invoke-WebRequest', 'irm', 'iwr', 'invoke-restmethod', 'invoke-webrequest'];
export const HTTP_CLIENTS: readonly string[] = [...CURL_PROGRAMS, ...WGET_PROGRAMS, ...HTTPIE_PROGRAMS, ...PWSH_PROGRAMS];

function emptyRequest(): HttpRequest {
  return { method: 'GET', urls: [], texts: [], form: [], headers: [], hidden: false };
}

/** True when the word a value came from holds an expansion ($x, $(…)) only known at run time. */
function isDynamic(inv: Invocation, value: string): boolean {
  return inv.argWords.some((w) => w.dynamic && w.text.endsWith(value));
}

/** What the command reads on standard input, when the text shows it (heredoc, here-string, `echo … |`). */
function stdinText(inv: Invocation): string | undefined {
  return inv.stdin ?? (inv.pipeFrom ? staticOutput(inv.pipeFrom) : undefined);
}

/** A body value that may name a file (`@file`, `@-` for stdin). */
function addBodyValue(inv: Invocation, req: HttpRequest, value: string, fileAllowed: boolean): void {
  if (fileAllowed && value.startsWith('@')) {
    const fromStdin = value === '@-' ? stdinText(inv) : undefined;
    if (fromStdin === undefined) req.hidden = true;
    else req.texts.push({ text: fromStdin, dynamic: false });
    return;
  }
  req.texts.push({ text: value, dynamic: isDynamic(inv, value) });
}

function curlRequest(inv: Invocation): HttpRequest | null {
  const a = inv.parsed({ values: CURL_VALUES });
  if (a.has('-h', '--help', '-V', '--version', '-M', '--manual')) return null;
  const req = emptyRequest();
  for (const v of a.values('-d', '--data', '--data-ascii', '--data-binary', '--json')) addBodyValue(inv, req, v, true);
  for (const v of a.values('--data-raw')) addBodyValue(inv, req, v, false);
  for (const v of a.values('--data-urlencode')) {
    // curl reads `name=content`, then `name@file`, then bare content.
    const eq = v.indexOf('=');
    if (eq > 0) req.form.push([v.slice(0, eq), v.slice(eq + 1)]);
    else if (eq === 0) addBodyValue(inv, req, v.slice(1), false);
    else if (v.includes('@')) req.hidden = true;
    else addBodyValue(inv, req, v, false);
  }
  for (const v of a.values('-F', '--form', '--form-string')) {
    const eq = v.indexOf('=');
    const content = v.slice(eq + 1);
    if (eq < 0 || /^[@<]/.test(content)) req.hidden = true;
    else req.form.push([v.slice(0, eq), content]);
  }
  const sendsBody = req.texts.length > 0 || req.form.length > 0 || req.hidden;
  const explicit = a.value('-X', '--request');
  req.method = explicit ? explicit.toUpperCase() : a.has('-I', '--head') ? 'HEAD' : a.has('-G', '--get') ? 'GET' : sendsBody ? 'POST' : a.has('-T', '--upload-file') ? 'PUT' : 'GET';
  req.urls = [...a.values('--url'), ...a.positionals, ...a.rest];
  req.headers = a.values('-H', '--header');
  return req;
}

function wgetRequest(inv: Invocation): HttpRequest | null {
  const a = inv.parsed({ values: WGET_VALUES });
  if (a.has('-h', '--help', '-V', '--version')) return null;
  const req = emptyRequest();
  for (const v of a.values('--body-data', '--post-data')) addBodyValue(inv, req, v, false);
  if (a.has('--body-file', '--post-file')) req.hidden = true;
  const method = a.value('--method');
  req.method = method ? method.toUpperCase() : a.has('--post-data', '--post-file') ? 'POST' : 'GET';
  req.urls = [...a.positionals, ...a.rest];
  req.headers = a.values('--header');
  return req;
}

/** httpie item separators, longest first where they share a start. */
const HTTPIE_SEPARATORS = [':=@', '==@', '=@', ':@', '==', ':=', '=', ':', '@'];

/** Splits an httpie request item at its first separator: `query=…`, `vars:={…}`, `Header:value`, `file@path`. */
function httpieItem(item: string): { key: string; sep: string; value: string } | null {
  for (let i = 1; i < item.length; i++) {
    if (item[i - 1] === '\\') continue;
    const sep = HTTPIE_SEPARATORS.find((s) => item.startsWith(s, i));
    if (sep) return { key: item.slice(0, i), sep, value: item.slice(i + sep.length) };
  }
  return null;
}

/** Sets `variables[id]` style nested keys (httpie 3) into a JSON body. */
function setNested(body: Record<string, unknown>, key: string, value: unknown): void {
  const path = key.match(/^[^[]+|\[[^\]]+\]/g)?.map((p) => p.replace(/^\[|\]$/g, '')) ?? [key];
  let node = body;
  for (const p of path.slice(0, -1)) {
    const next = node[p];
    node = (node[p] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function httpieRequest(inv: Invocation): HttpRequest | null {
  const a = inv.parsed({ values: HTTPIE_VALUES });
  if (a.has('-h', '--help', '--version', '--offline', '--curl')) return null;
  const req = emptyRequest();
  const pos = [...a.positionals, ...a.rest];
  const explicit = pos.length >= 2 && (HTTP_METHODS.has(pos[0].toUpperCase()) || /^[A-Z]+$/.test(pos[0])) ? pos.shift()!.toUpperCase() : undefined;
  const url = pos.shift();
  if (url !== undefined) req.urls = [url.startsWith(':') ? `localhost${url}` : url];
  const json: Record<string, unknown> = {};
  let hasData = false;
  for (const raw of pos) {
    const item = httpieItem(raw);
    if (!item) continue;
    if (item.sep === ':') req.headers.push(`${item.key}: ${item.value}`);
    else if (item.sep === '=' || item.sep === ':=') {
      hasData = true;
      let value: unknown = item.value;
      if (item.sep === ':=') {
        try {
          value = JSON.parse(item.value);
        } catch {
          req.hidden = true;
        }
      }
      if (isDynamic(inv, raw)) req.hidden = true;
      setNested(json, item.key, value);
    } else if (item.sep === '=@' || item.sep === ':=@' || item.sep === '@') {
      hasData = true;
      req.hidden = true;
    }
  }
  if (hasData) req.json = json;
  const raw = a.value('--raw');
  if (raw !== undefined) addBodyValue(inv, req, raw, false);
  else if (!a.has('-I', '--ignore-stdin') && (inv.stdin !== undefined || inv.pipeFrom)) {
    const text = stdinText(inv);
    if (text === undefined) req.hidden = true;
    else req.texts.push({ text, dynamic: false });
  }
  req.method = explicit ?? (hasData || req.texts.length || req.hidden ? 'POST' : 'GET');
  return req;
}

function pwshRequest(inv: Invocation): HttpRequest | null {
  const req = emptyRequest();
  const params = new Map<string, string>();
  for (let i = 0; i < inv.args.length; i++) {
    const arg = inv.args[i];
    if (!arg.startsWith('-') || arg.length < 2) {
      req.urls.push(arg);
      continue;
    }
    const colon = arg.indexOf(':');
    const name = (colon > 0 ? arg.slice(1, colon) : arg.slice(1)).toLowerCase();
    if (name === '?' || name === 'help') return null;
    if (PWSH_SWITCHES.has(name)) continue;
    const value = colon > 0 ? arg.slice(colon + 1) : inv.args[++i];
    if (value !== undefined) params.set(name, value);
  }
  const uri = params.get('uri');
  if (uri !== undefined) req.urls.unshift(uri);
  const body = params.get('body');
  if (body !== undefined) req.texts.push({ text: body, dynamic: isDynamic(inv, body) });
  if (params.has('infile')) req.hidden = true;
  req.method = (params.get('custommethod') ?? params.get('method') ?? 'GET').toUpperCase();
  return req;
}

/** The request an HTTP client invocation sends, or null for other programs and for help/offline modes. */
export function httpRequest(inv: Invocation): HttpRequest | null {
  if (CURL_PROGRAMS.includes(inv.program)) return curlRequest(inv);
  if (WGET_PROGRAMS.includes(inv.program)) return wgetRequest(inv);
  if (HTTPIE_PROGRAMS.includes(inv.program)) return httpieRequest(inv);
  if (PWSH_PROGRAMS.includes(inv.program)) return pwshRequest(inv);
  return null;
}

/** Host and decoded path segments of a URL as written, without scheme, credentials, query or fragment. */
export function urlParts(url: string): { host: string; segments: string[] } {
  const rest = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '').split(/[?#]/)[0];
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const segments = (slash < 0 ? '' : rest.slice(slash)).split('/').filter(Boolean).map(decodeSegment);
  return { host, segments };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A URL as a person can read it: host and path, with no credentials or query string that may carry tokens. */
export function displayUrl(url: string): string {
  const { host, segments } = urlParts(url);
  return [host, ...segments].join('/');
}

/** A body that is a bare GraphQL document (`application/graphql`), not `query=…` form fields. */
const BARE_DOCUMENT = /^(query|mutation|subscription|fragment)[\s{(]/;

/** Form fields from `name=value` bodies and one-by-one fields, decoded. */
function formFields(req: HttpRequest): [string, string][] {
  const out: [string, string][] = [];
  for (const { text } of req.texts) {
    const t = text.trim();
    if (!t.includes('=') || t.startsWith('{') || t.startsWith('[') || BARE_DOCUMENT.test(t)) continue;
    out.push(...new URLSearchParams(t));
  }
  return [...out, ...req.form];
}

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

/** A GraphQL body: JSON `{query, variables}` (or a batch of them), `query=…` form fields, or a bare document. */
export function graphqlOperations(req: HttpRequest): { operations: GraphqlOperation[]; hidden: boolean } {
  const operations: GraphqlOperation[] = [];
  let hidden = req.hidden;
  const read = (document: string, variables: unknown): void => {
    const ops = readGraphql(document, variablesOf(variables));
    if (ops) operations.push(...ops);
    else hidden = true;
  };
  const fromJson = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.map(fromJson).some(Boolean);
    if (typeof value !== 'object' || value === null || typeof (value as { query?: unknown }).query !== 'string') return false;
    read((value as { query: string }).query, (value as { variables?: unknown }).variables);
    return true;
  };
  for (const { text, dynamic } of req.texts) {
    const t = text.trim();
    const before = operations.length;
    if (t.startsWith('{') || t.startsWith('[')) {
      const json = parseJson(t);
      if (json === undefined) operations.push(...(readGraphql(t) ?? []));
      else fromJson(json);
    } else if (BARE_DOCUMENT.test(t)) {
      read(t, {});
    }
    if (dynamic && operations.length === before) hidden = true;
  }
  const form = formFields(req);
  const query = form.find(([k]) => k === 'query');
  if (query) read(query[1], parseJson(form.find(([k]) => k === 'variables')?.[1] ?? '{}'));
  const multipart = form.find(([k]) => k === 'operations');
  if (multipart) fromJson(parseJson(multipart[1]));
  if (req.json) fromJson(req.json);
  return { operations, hidden };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function variablesOf(v: unknown): Record<string, unknown> {
  const parsed = typeof v === 'string' ? parseJson(v) : v;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

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
  const words = nameWords(fieldName);
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
      pairs.push([nameWords(k).map(singular), v]);
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
