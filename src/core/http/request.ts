// What an HTTP client command line sends (curl, wget, httpie/xh, PowerShell's web cmdlets), as far as the text shows:
// the method, the URLs, the body and where parts of it come from, read from each client's own options.

import { Invocation, staticOutput } from '../parse/invocation';

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

export const CURL_VALUES = [
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
export function isDynamic(inv: Invocation, value: string): boolean {
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
export const BARE_DOCUMENT = /^(query|mutation|subscription|fragment)[\s{(]/;

/** Form fields from `name=value` bodies and one-by-one fields, decoded. */
export function formFields(req: HttpRequest): [string, string][] {
  const out: [string, string][] = [];
  for (const { text } of req.texts) {
    const t = text.trim();
    if (!t.includes('=') || t.startsWith('{') || t.startsWith('[') || BARE_DOCUMENT.test(t)) continue;
    out.push(...new URLSearchParams(t));
  }
  return [...out, ...req.form];
}
