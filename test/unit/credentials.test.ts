import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import {
  createCredentialScanner,
  credentialUseOutsideHome,
  findingCode,
  maskSecret,
  redactCredentials,
  scanEnvironment,
  scanWorkspace,
  secretlintRuleIds,
  variablesToStrip,
  type CredentialFinding,
  type ScanResult,
} from '../../src/core/credentials';
import { findAssignments } from '../../src/core/credentials/detectors/assignment';
import { isPlaceholder } from '../../src/core/credentials/placeholder';
import { ALNUM, B64, B64URL, fake, HEX, uuid } from './fake-secrets';

// Every credential below is fake (see fake-secrets.ts).

const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const jwt = (role: string, seed: number): string =>
  `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify({ iss: 'supabase', ref: fake(20, seed, 'abcdefghijklmnopqrstuvwxyz', false), role, iat: 1700000000, exp: 2000000000 }))}.${fake(43, seed + 1, B64URL)}`;
const pemBody = (seed: number): string => 'MII' + fake(317, seed, B64);
const pem = (seed: number): string => {
  const body = pemBody(seed);
  const lines = body.match(/.{1,64}/g)!.join('\n');
  return ['-----BEGIN ' + 'RSA PRIVATE KEY-----', lines, '-----END ' + 'RSA PRIVATE KEY-----'].join('\n');
};

/** The planted secrets, for leak checks. */
const S = {
  railwayAccount: uuid(11),
  railwayUnrelated: uuid(21),
  railwayProject: uuid(31),
  herokuUuid: uuid(41),
  herokuNetrc: uuid(51),
  herokuPrefixed: 'HRKU-AA' + fake(58, 61, B64URL),
  dbPassword: 'Pw' + fake(14, 71),
  mysqlPassword: 'My' + fake(14, 81),
  redisPassword: 'Rd' + fake(14, 91),
  pgpassPassword: 'Pg' + fake(14, 101),
  fly: 'FlyV1 fm2_' + fake(120, 111, B64) + ',fm2_' + fake(60, 112, B64),
  vercel: fake(24, 121),
  supabaseServiceRole: jwt('service_role', 131),
  supabaseAnon: jwt('anon', 141),
  supabasePat: 'sbp_' + fake(40, 151, HEX),
  netlify: 'nfp_' + fake(36, 161),
  cloudflareToken: fake(40, 171, ALNUM + '_-'),
  cloudflareKey: fake(37, 181, HEX),
  github: 'ghp_' + fake(36, 191),
  githubIgnored: 'ghp_' + fake(36, 201),
  githubOutside: 'ghp_' + fake(36, 211),
  awsSecret: fake(40, 221, B64),
  pemBody: pemBody(231),
  kubeToken: fake(48, 241, B64URL),
  kubeKeyData: Buffer.from(pem(251)).toString('base64'),
  bigFile: 'ghp_' + fake(36, 261),
  jwtSecret: fake(32, 331),
  supabaseJwtSecret: fake(40, 341, B64),
  pypi: 'pypi-AgEIcHlwaS5vcmc' + fake(70, 351, B64URL),
  gcpKeyBody: pemBody(361),
};

interface Expected {
  code: string;
  file: string;
  line: number;
}

type Line = string | readonly [text: string, ...codes: string[]];

interface Fixture {
  root: string;
  outside: string;
  expected: Expected[];
  /** Findings only with --no-gitignore. */
  ignoredExpected: Expected[];
}

function write(root: string, file: string, lines: readonly Line[], expected: Expected[]): void {
  const abs = path.join(root, file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, lines.map((l) => (typeof l === 'string' ? l : l[0])).join('\n') + '\n');
  lines.forEach((l, i) => {
    if (typeof l !== 'string') for (const code of l.slice(1)) expected.push({ code, file, line: i + 1 });
  });
}

function buildFixture(): Fixture {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-cred-'));
  const root = path.join(base, 'workspace');
  const outside = path.join(base, 'home');
  const expected: Expected[] = [];
  const ignoredExpected: Expected[] = [];
  fs.mkdirSync(root);

  // Planted credentials, one of each kind.
  write(root, '.env', [
    [`RAILWAY_API_TOKEN=${S.railwayAccount}`, 'railway/account-token'],
    'RAILWAY_TOKEN=your-token-here',
    [`DATABASE_URL=postgres://postgres:${S.dbPassword}@db.prod.internal:5432/app`, 'postgres/connection-url'],
    'NETLIFY_AUTH_TOKEN=${NETLIFY_AUTH_TOKEN}',
    [`HEROKU_API_KEY=${S.herokuUuid}`, 'heroku/api-key'],
    'HEROKU_API_KEY=00000000-0000-0000-0000-000000000000',
    'PORT=3000',
    [`JWT_SECRET=${S.jwtSecret}`, 'env/credential-variable'],
    'SMTP_PASSWORD=changeme',
    'SESSION_TIMEOUT=3600',
  ], expected);
  write(root, '.env.production', [
    [`FLY_API_TOKEN=${S.fly}`, 'fly/access-token'],
    [`VERCEL_TOKEN="${S.vercel}"`, 'vercel/token'],
    [`SUPABASE_SERVICE_ROLE_KEY=${S.supabaseServiceRole}`, 'supabase/service-role-key'],
    `SUPABASE_ANON_KEY=${S.supabaseAnon}`,
    [`export CLOUDFLARE_API_TOKEN='${S.cloudflareToken}'`, 'cloudflare/api-token'],
    [`CF_API_KEY=${S.cloudflareKey}`, 'cloudflare/global-api-key'],
    [`REDIS_URL=redis://default:${S.redisPassword}@cache.internal:6379/0`, 'redis/connection-url'],
    [`SUPABASE_JWT_SECRET=${S.supabaseJwtSecret}`, 'supabase/jwt-secret'],
  ], expected);
  write(root, 'scripts/domains/config.json', [
    '{',
    '  "purpose": "managing custom domains",',
    [`  "RAILWAY_API_TOKEN": "${S.railwayUnrelated}",`, 'railway/account-token'],
    [`  "supabase": "${S.supabasePat}"`, 'supabase/access-token'],
    '}',
  ], expected);
  write(root, 'scripts/deploy.sh', [
    '#!/bin/sh',
    [`export HEROKU_API_KEY=${S.herokuPrefixed}`, 'heroku/api-key'],
    'heroku container:release web -a "$APP"',
  ], expected);
  write(root, 'netlify.toml', ['[build]', [`netlify_auth_token = "${S.netlify}"`, 'netlify/access-token']], expected);
  write(root, 'docker-compose.yml', [
    'services:',
    '  api:',
    '    environment:',
    [`      DB: mysql://root:${S.mysqlPassword}@mysql:3306/app`, 'mysql/connection-url'],
    '      RAILWAY_TOKEN: ${RAILWAY_TOKEN}',
    '      RAILWAY_API_TOKEN: ${{ secrets.RAILWAY_API_TOKEN }}',
    '      LOCAL_DB: postgres://app:app@localhost:5432/app',
  ], expected);
  write(root, 'deploy/kubeconfig.yaml', [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: prod',
    '  cluster:',
    '    server: https://k8s.prod.internal',
    'users:',
    '- name: admin',
    '  user:',
    [`    token: ${S.kubeToken}`, 'kubernetes/token'],
    '- name: ci',
    '  user:',
    [`    client-key-data: ${S.kubeKeyData}`, 'kubernetes/client-key'],
    '    client-certificate-data: <certificate>',
  ], expected);
  write(root, 'infra/provider.tf', [
    'provider "aws" {',
    ['  shared_credentials_files = ["~/.aws/credentials"]', 'aws/credentials-file-reference'],
    '}',
    ['provider "kubernetes" { config_path = "$HOME/.kube/config" }', 'kubernetes/kubeconfig-reference'],
  ], expected);
  write(root, 'src/github.ts', ['// release bot', [`const token = "${S.github}"; // secretlint-disable-line`, 'github/classic-token']], expected);
  write(root, 'ops/aws/credentials', ['[default]', 'aws_access_key_id = AKIA' + fake(16, 271, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), [`aws_secret_access_key = ${S.awsSecret}`, 'aws/secret-access-key']], expected);
  const gcpKey = ['-----BEGIN ' + 'PRIVATE KEY-----', ...S.gcpKeyBody.match(/.{1,64}/g)!, '-----END ' + 'PRIVATE KEY-----', ''].join('\\n');
  write(root, 'ops/gcp/deployer.json', [
    '{',
    '  "type": "service_account",',
    '  "project_id": "demo-prod",',
    `  "private_key_id": "${fake(40, 371, HEX)}",`,
    [`  "private_key": "${gcpKey}",`, 'gcp/service-account-key'],
    '  "client_email": "deployer@demo-prod.iam.gserviceaccount.com"',
    '}',
  ], expected);
  write(root, '.pypirc', ['[pypi]', 'username = __token__', [`password = ${S.pypi}`, 'pypi/upload-token']], expected);
  write(root, 'keys/deploy.pem', [[pem(231).split('\n')[0], 'pem/private-key'], ...pem(231).split('\n').slice(1)], expected);
  write(root, '.netrc', ['machine api.heroku.com', '  login me@example.org', [`  password ${S.herokuNetrc}`, 'heroku/api-key']], expected);
  write(root, '.pgpass', [[`db.prod.internal:5432:*:postgres:${S.pgpassPassword}`, 'postgres/pgpass-entry']], expected);
  fs.mkdirSync(path.join(root, 'certs'));
  fs.writeFileSync(path.join(root, 'certs', 'signing.p12'), Buffer.from([0x30, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x03, 0x00, 0xff]));
  expected.push({ code: 'keystore/pkcs12', file: 'certs/signing.p12', line: 1 });

  // .gitignore: dist/ is skipped unless --no-gitignore; .env.local is read anyway (it exists to hold secrets).
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n.env.local\n*.log\n');
  write(root, '.env.local', [[`RAILWAY_TOKEN=${S.railwayProject}`, 'railway/project-token']], expected);
  write(root, 'dist/bundle.js', ['var a=1;', [`var t="${S.githubIgnored}";`, 'github/classic-token']], ignoredExpected);

  // False-positive traps: none of these may be reported.
  write(root, 'docs/SETUP.md', [
    '# Setup',
    'export RAILWAY_TOKEN=<your-railway-token>',
    'RAILWAY_API_TOKEN=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    'DATABASE_URL=postgres://user:password@localhost:5432/db',
    'Your keys live in ~/.aws/credentials; see also ~/.kube/config.',
    'VERCEL_TOKEN=changeme',
  ], []);
  write(root, 'src/ids.ts', [
    `export const TENANT = "${uuid(281)}";`,
    'export const COMMIT = "' + fake(40, 291, HEX) + '";',
    'export const DIGEST = "sha256:' + fake(64, 301, HEX) + '";',
    'export const INTEGRITY = "sha512-' + fake(86, 311, B64) + '==";',
    'const token = process.env.RAILWAY_TOKEN;',
    'if (RAILWAY_TOKEN == other) throw new Error();',
    'const headers = { Authorization: `Bearer ${process.env.RAILWAY_API_TOKEN}` };',
    '// The SDK reads ~/.aws/credentials on a developer machine; CI sets GOOGLE_APPLICATION_CREDENTIALS=/etc/sa.json.',
  ], []);
  write(root, 'test/fixtures/aws.env', [
    'AWS_ACCESS_KEY_ID=AKIA' + 'IOSFODNN7' + 'EXAMPLE',
    'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCY' + 'EXAMPLEKEY',
    'STRIPE_KEY=sk_test_' + 'EXAMPLE',
  ], []);
  write(root, '.github/workflows/deploy.yml', [
    'jobs:',
    '  deploy:',
    '    env:',
    '      RAILWAY_TOKEN: ${{ secrets.RAILWAY_TOKEN }}',
    '      FLY_API_TOKEN: ${{ secrets.FLY_API_TOKEN }}',
  ], []);

  // Never entered: node_modules, .git, and symlinks out of the root.
  write(root, 'node_modules/pkg/index.js', [`module.exports = "${S.githubOutside}";`], []);
  write(root, '.git/config', [`[remote "origin"]\n\turl = https://me:${S.githubOutside}@github.com/x/y.git`], []);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, '.env'), `RAILWAY_API_TOKEN=${uuid(321)}\nGH=${S.githubOutside}\n`);
  fs.symlinkSync(outside, path.join(root, 'home-link'));
  fs.symlinkSync(path.join(outside, '.env'), path.join(root, 'linked.env'));
  // Over the size limit set in the test that uses it.
  write(root, 'logs/big.txt', ['x'.repeat(4096), `token ${S.bigFile}`], []);
  return { root, outside, expected, ignoredExpected };
}

function summary(findings: readonly CredentialFinding[]): Expected[] {
  return findings.map((f) => ({ code: findingCode(f), file: f.file, line: f.line })).sort(compare);
}
function compare(a: Expected, b: Expected): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.code.localeCompare(b.code);
}

/** No secret — nor its tail, in case a prefix was shown — may appear in `text`. */
function assertNoSecrets(text: string, what: string): void {
  for (const [name, secret] of Object.entries(S)) {
    assert.ok(!text.includes(secret), `${what} contains the secret ${name}`);
    assert.ok(!text.includes(secret.slice(-10)), `${what} contains the tail of the secret ${name}`);
  }
}

async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const input = new PassThrough();
  input.end('');
  let out = '';
  let err = '';
  const code = await main(argv, { stdin: input, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('credential scan', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let result: ScanResult;

  before(async () => {
    fx = buildFixture();
    result = await scanWorkspace(fx.root, { maxFileBytes: 2048 });
  });
  after(() => fs.rmSync(path.dirname(fx.root), { recursive: true, force: true }));

  it('finds every planted credential, and nothing else (false-positive traps, node_modules, .git, symlinks)', () => {
    assert.deepEqual(summary(result.findings), [...fx.expected].sort(compare));
  });

  it('reads what .gitignore ignores only with respectGitignore: false', async () => {
    const all = await scanWorkspace(fx.root, { respectGitignore: false, maxFileBytes: 2048 });
    assert.deepEqual(summary(all.findings), [...fx.expected, ...fx.ignoredExpected].sort(compare));
  });

  it('never leaves the root, and counts what it left out', () => {
    const s = result.stats;
    assert.ok(result.findings.every((f) => !f.file.startsWith('home-link') && f.file !== 'linked.env' && !f.file.startsWith('node_modules')));
    assert.equal(s.skipped.symlinks, 2);
    assert.equal(s.skipped.directories, 2); // node_modules, .git
    assert.equal(s.skipped.ignored, 1); // dist/
    assert.equal(s.skipped.tooLarge, 1); // logs/big.txt over 2048 bytes
    const bigger = fx.root; // with the default limit the big file is read and its token found
    return scanWorkspace(bigger).then((r) => assert.ok(r.findings.some((f) => f.file === 'logs/big.txt' && f.provider === 'github')));
  });

  it('masks every value and carries no secret anywhere: findings, CLI text and JSON, gate reasons', async () => {
    assertNoSecrets(JSON.stringify(result.findings), 'findings');
    const text = await runCli(['scan-credentials', fx.root]);
    const json = await runCli(['scan-credentials', '--json', '--no-gitignore', fx.root]);
    assertNoSecrets(text.out + text.err, 'CLI text output');
    assertNoSecrets(json.out + json.err, 'CLI JSON output');
    const uses = credentialUseOutsideHome(`curl -H "Authorization: Bearer ${S.railwayUnrelated}" https://backboard.railway.app/graphql/v2`, result.findings, []);
    assertNoSecrets(JSON.stringify(uses), 'gate result');
    const railway = result.findings.find((f) => f.file === '.env' && f.provider === 'railway')!;
    assert.equal(railway.masked, `${S.railwayAccount.slice(0, 4)}…(36)`);
    const db = result.findings.find((f) => f.provider === 'postgres' && f.kind === 'connection-url')!;
    assert.equal(db.masked, `postgres://postgres:…(${S.dbPassword.length})@db.prod.internal`);
    assert.ok(result.findings.every((f) => !('secret' in f)));
  });

  it('says what each credential can do, and what to use instead', () => {
    const by = (file: string, code: string) => result.findings.find((f) => f.file === file && findingCode(f) === code)!;
    assert.match(by('.env', 'railway/account-token').capability, /delete any project and volume|delete any project, service and volume/);
    assert.match(by('.env', 'railway/account-token').suggestion, /project token/);
    assert.equal(by('.env', 'railway/account-token').variable, 'RAILWAY_API_TOKEN');
    assert.match(by('.env', 'postgres/connection-url').capability, /Superuser “postgres”/);
    assert.equal(by('.env', 'postgres/connection-url').breadth, 'account');
    assert.match(by('docker-compose.yml', 'mysql/connection-url').capability, /Superuser “root”/);
    assert.match(by('deploy/kubeconfig.yaml', 'kubernetes/token').capability, /User “admin”/);
    assert.match(by('.env.production', 'supabase/service-role-key').capability, /Row Level Security/);
    assert.match(by('.env.production', 'fly/access-token').suggestion, /fly tokens create deploy/);
    assert.equal(by('infra/provider.tf', 'aws/credentials-file-reference').masked, '~/.aws/credentials');
    assert.match(by('ops/gcp/deployer.json', 'gcp/service-account-key').capability, /Service account “deployer@demo-prod\.iam\.gserviceaccount\.com”/);
    assert.equal(by('.env', 'env/credential-variable').variable, 'JWT_SECRET');
    assert.equal(by('.env', 'env/credential-variable').masked, `…(${S.jwtSecret.length})`);
    for (const f of result.findings) {
      assert.ok(f.label && f.capability && f.suggestion, `${findingCode(f)} is described`);
      assert.ok(f.line >= 1 && f.column >= 1, `${findingCode(f)} has a position`);
    }
  });

  it('gives the position of the value, not of the line', () => {
    const railway = result.findings.find((f) => f.file === '.env' && f.provider === 'railway')!;
    assert.deepEqual([railway.line, railway.column, railway.endColumn], [1, 'RAILWAY_API_TOKEN='.length + 1, 'RAILWAY_API_TOKEN='.length + 37]);
    const aws = result.findings.find((f) => f.provider === 'aws' && f.kind === 'secret-access-key')!;
    assert.equal(aws.column, 'aws_secret_access_key = '.length + 1);
  });

  it('runs secretlint without the comment filter: a disable comment the agent can write hides nothing', () => {
    assert.ok(secretlintRuleIds().includes('@secretlint/secretlint-rule-github'));
    assert.ok(!secretlintRuleIds().includes('@secretlint/secretlint-rule-filter-comments'));
    assert.ok(result.findings.some((f) => f.file === 'src/github.ts'));
  });
});

describe('credential detectors, one text at a time', () => {
  const scanner = createCredentialScanner();
  const codes = async (text: string, file = 'x.env') => (await scanner.scanText(text, file)).map((f) => `${findingCode(f)}@${f.line}`);

  it('PaaS variables in the shapes config files write them', async () => {
    const v = S.railwayAccount;
    for (const line of [`RAILWAY_API_TOKEN=${v}`, `export RAILWAY_API_TOKEN="${v}"`, `RAILWAY_API_TOKEN: ${v}`, `"RAILWAY_API_TOKEN": "${v}"`, `railway_api_token = '${v}'`, `PROD_RAILWAY_API_TOKEN := ${v}`, `  - RAILWAY_API_TOKEN=${v}`]) {
      assert.deepEqual(await codes(line, 'any.yml'), ['railway/account-token@1'], line);
    }
    for (const line of [`RAILWAY_API_TOKEN_FILE=${v}`, `process.env.RAILWAY_API_TOKEN = x`, `if (RAILWAY_API_TOKEN == "${v.slice(0, 8)}")`, 'RAILWAY_API_TOKEN=', 'RAILWAY_API_TOKEN=${{ secrets.T }}', 'RAILWAY_API_TOKEN=<token>', 'RAILWAY_API_TOKEN=REPLACE_ME_1234567']) {
      assert.deepEqual(await codes(line, 'any.yml'), [], line);
    }
  });

  it('finds prefixed PaaS tokens anywhere, and leaves the public Supabase anon key alone', async () => {
    assert.deepEqual(await codes(`const pat = "${S.supabasePat}";\nconst anon = "${S.supabaseAnon}";\nconst role = "${S.supabaseServiceRole}";`, 'src/db.ts'), [
      'supabase/access-token@1',
      'supabase/service-role-key@3',
    ]);
    assert.deepEqual(await codes(`deploy --token "${S.herokuPrefixed}"`, 'Makefile'), ['heroku/api-key@1']);
  });

  it('reads a database URL’s user: superusers are called out, local databases say so', async () => {
    const [local] = await scanner.scanText(`REDIS_URL=redis://:${S.redisPassword}@localhost:6379`, '.env');
    assert.match(local.capability, /default user \(a local database\)/);
    const [app] = await scanner.scanText(`postgresql+psycopg://app_rw:${S.dbPassword}@db.internal/app`, 'settings.py');
    assert.equal(findingCode(app), 'postgres/connection-url');
    assert.match(app.capability, /User “app_rw”/);
    assert.equal(app.breadth, 'resource');
  });

  it('keeps nothing per scan in the process: the library profiler records no performance marks', async () => {
    const { performance } = await import('node:perf_hooks');
    await scanner.scanText(`AWS_SECRET_ACCESS_KEY=${S.railwayAccount}`, '.env');
    const before = performance.getEntriesByType('mark').length;
    for (let i = 0; i < 20; i++) await scanner.scanText(`token = "${S.supabasePat}"\n`, `f${i}.ts`);
    assert.equal(performance.getEntriesByType('mark').length, before);
  });

  it('reports a path to a credential store outside the workspace without reading it', async () => {
    assert.deepEqual(await codes('GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa.json\nKUBECONFIG=./kube/dev.yaml\nkey_file: ~/.ssh/id_ed25519', 'deploy.yml'), [
      'gcp/credentials-file-reference@1',
      'ssh/private-key-reference@3',
    ]);
  });
});

describe('credential helpers', () => {
  it('maskSecret shows at most a four-character prefix, and nothing of short values', () => {
    assert.equal(maskSecret('ghp_' + 'a'.repeat(36)), 'ghp_…(40)');
    assert.equal(maskSecret('hunter22'), '…(8)');
    assert.equal(maskSecret('x'.repeat(15)), '…(15)');
  });

  it('isPlaceholder: stand-ins and references, not secrets', () => {
    for (const v of ['', 'your-token-here', '${RAILWAY_TOKEN}', '$RAILWAY_TOKEN', '<token>', '{{ .Token }}', 'changeme', 'xxxxxxxx', '00000000-0000-0000-0000-000000000000', 'EXAMPLEKEY123', 'railway_token', 'op://vault/item/field', 'abc123456789xyz']) {
      assert.equal(isPlaceholder(v), true, v);
    }
    for (const v of [S.railwayAccount, S.vercel, S.github, S.dbPassword]) assert.equal(isPlaceholder(v), false);
  });

  it('findAssignments finds the value span and the whole name', () => {
    const text = `a: 1\nexport STAGING_RAILWAY_TOKEN="abc"\n`;
    const [a] = findAssignments(text, ['RAILWAY_TOKEN']);
    assert.equal(a.name, 'STAGING_RAILWAY_TOKEN');
    assert.equal(a.key, 'RAILWAY_TOKEN');
    assert.equal(text.slice(a.valueStart, a.valueEnd), 'abc');
  });

  it('variablesToStrip: names, * patterns against the environment, and refuses entries that would strip everything', () => {
    const env = { PATH: '/bin', HOME: '/root', RAILWAY_TOKEN: 'x', GITHUB_TOKEN: 'y', AWS_SECRET_ACCESS_KEY: 'z', AWS_REGION: 'eu' };
    assert.deepEqual(variablesToStrip(['RAILWAY_TOKEN', '*_TOKEN', 'AWS_SECRET_*', 'NOT_SET'], env), { names: ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'NOT_SET', 'RAILWAY_TOKEN'], invalid: [] });
    assert.deepEqual(variablesToStrip(['*', '**', 'A-B', 42, ' FLY_API_TOKEN '], env), { names: ['FLY_API_TOKEN'], invalid: ['*', '**', 'A-B', '42'] });
  });

  it("scanEnvironment: the package manager's own npm_* variables are not findings (no false alarm after npm start)", async () => {
    const found = await scanEnvironment({ npm_config_userconfig: '/root/.npmrc', npm_config_cache: '/root/.npm', npm_lifecycle_event: 'start', KUBECONFIG: '/root/.kube/config' });
    assert.deepEqual(found.map((f) => f.variable), ['KUBECONFIG']);
  });

  it('scanEnvironment: what guarded terminals inherit, by value and by name', async () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/me',
      RAILWAY_API_TOKEN: S.railwayAccount,
      GITHUB_TOKEN: S.github,
      BILLING_SERVICE_SECRET: S.dbPassword,
      CI_TOKEN: 'changeme',
      KUBECONFIG: '/home/me/.kube/config',
      EMPTY_TOKEN: '',
    };
    const found = await scanEnvironment(env);
    assert.deepEqual(
      found.map((f) => `${f.variable}:${findingCode(f)}`),
      ['BILLING_SERVICE_SECRET:env/credential-variable', 'GITHUB_TOKEN:github/classic-token', 'KUBECONFIG:kubernetes/kubeconfig-reference', 'RAILWAY_API_TOKEN:railway/account-token'],
    );
    assert.ok(found.every((f) => f.source === 'environment' && f.file === '<environment>' && f.line === 0));
    assertNoSecrets(JSON.stringify(found), 'environment findings');
  });
});

describe('gate: a credential used away from where it is configured', function () {
  this.timeout(30_000);
  let fx: Fixture;
  let findings: CredentialFinding[];
  const home = ['.env', '.env.production', '.env.local'];

  before(async () => {
    fx = buildFixture();
    findings = (await scanWorkspace(fx.root)).findings;
  });
  after(() => fs.rmSync(path.dirname(fx.root), { recursive: true, force: true }));

  it('a token found in an unrelated file, used by value', () => {
    const uses = credentialUseOutsideHome(`curl -X POST -H "Authorization: Bearer ${S.railwayUnrelated}" https://backboard.railway.app/graphql/v2 -d @delete-volume.json`, findings, home);
    assert.equal(uses.length, 1);
    assert.equal(uses[0].how, 'value');
    assert.equal(uses[0].resource, 'scripts/domains/config.json');
    assert.equal(findingCode(uses[0].finding), 'railway/account-token');
    assert.match(uses[0].reason, /Railway account or team token found in scripts\/domains\/config\.json:3/);
  });

  it('the same kind of token from where the person configured it passes', () => {
    assert.deepEqual(credentialUseOutsideHome(`RAILWAY_API_TOKEN=${S.railwayAccount} railway volume delete data`, findings, home), []);
    assert.deepEqual(credentialUseOutsideHome(`psql "postgres://postgres:${S.dbPassword}@db.prod.internal/app" -c 'select 1'`, findings, home), []);
  });

  it('with nothing configured, any credential found in a file counts; a URL’s password is recognised inside it', () => {
    const uses = credentialUseOutsideHome(`psql "postgres://postgres:${S.dbPassword}@db.prod.internal/app" -c 'drop table users'`, findings, []);
    assert.deepEqual(uses.map((u) => [findingCode(u.finding), u.resource]), [['postgres/connection-url', '.env']]);
  });

  it('loading the unrelated file into the environment or a command line', () => {
    for (const cmd of [
      'source scripts/deploy.sh && heroku apps:destroy -a prod',
      '. ./scripts/deploy.sh; heroku apps:destroy -a prod',
      'export $(cat scripts/deploy.sh | xargs) && heroku apps:destroy -a prod',
      'HEROKU_API_KEY=$(grep HEROKU scripts/deploy.sh | cut -d= -f2) heroku apps:destroy -a prod',
      'dotenv -e scripts/deploy.sh -- heroku apps:destroy -a prod',
      'docker run --env-file=scripts/deploy.sh heroku-cli apps:destroy',
    ]) {
      const uses = credentialUseOutsideHome(cmd, findings, home);
      assert.deepEqual(uses.map((u) => [u.how, u.resource, findingCode(u.finding)]), [['file', 'scripts/deploy.sh', 'heroku/api-key']], cmd);
    }
    assert.equal(credentialUseOutsideHome('source ./deploy.sh', findings, home, { cwd: 'scripts' }).length, 1);
    assert.equal(credentialUseOutsideHome(`source ${path.join(fx.root, 'scripts', 'deploy.sh')}`, findings, home, { root: fx.root }).length, 1);
    assert.equal(credentialUseOutsideHome('source .env && railway up', findings, home).length, 0);
  });

  it('recognises a base64 token with a scheme word in a header, and masks values in the command it reports', () => {
    const uses = credentialUseOutsideHome(`curl -X DELETE -H "Authorization: ${S.fly}" https://api.machines.dev/v1/apps/prod`, findings, []);
    assert.deepEqual(uses.map((u) => findingCode(u.finding)), ['fly/access-token']);
    assert.match(uses[0].command, /Authorization: FlyV…\(\d+\)/);
    assertNoSecrets(uses[0].command, 'reported command');
    assert.equal(redactCredentials(`echo ${S.github} ${S.github}`, findings), 'echo ghp_…(40) ghp_…(40)');
  });

  it('leaves alone commands that use no found credential, environment credentials, and other fingerprint keys', async () => {
    assert.deepEqual(credentialUseOutsideHome('ls -la scripts && cat README.md', findings, home), []);
    assert.deepEqual(credentialUseOutsideHome(`curl -H "Authorization: Bearer ${uuid(999)}" https://api`, findings, home), []);
    const env = await scanEnvironment({ RAILWAY_API_TOKEN: S.railwayUnrelated });
    // The same value set in the terminal environment by the person: configured, so its use passes.
    assert.deepEqual(credentialUseOutsideHome(`railway down --token ${S.railwayUnrelated}`, [...findings, ...env], home), []);
    assert.deepEqual(credentialUseOutsideHome(`railway down --token ${S.railwayUnrelated}`, findings, home, { key: Buffer.from('another key') }), []);
  });
});

describe('agent-guard scan-credentials', function () {
  this.timeout(30_000);
  let fx: Fixture;
  before(() => (fx = buildFixture()));
  after(() => fs.rmSync(path.dirname(fx.root), { recursive: true, force: true }));

  it('prints findings grouped by file and exits 1 when any are found', async () => {
    const r = await runCli(['scan-credentials', fx.root]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^\.env\n {2}1:19 {2}Railway account or team token \(railway\/account-token\)/m);
    assert.match(r.out, /can: Railway account token: can delete any project/);
    assert.match(r.out, /instead: Use a project token/);
    // logs/big.txt is read too: the CLI keeps the default 1 MiB limit.
    assert.match(r.out, new RegExp(`${fx.expected.length + 1} credentials in \\d+ places`));
  });

  it('--json prints stable fields and no fingerprint; --no-gitignore reads ignored files', async () => {
    const r = await runCli(['scan-credentials', '--json', fx.root]);
    const out = JSON.parse(r.out);
    assert.equal(out.findings.length, fx.expected.length + 1); // + logs/big.txt
    assert.deepEqual(Object.keys(out.findings[0]).slice(0, 8), ['code', 'provider', 'kind', 'label', 'source', 'file', 'line', 'column']);
    assert.ok(out.findings.every((f: Record<string, unknown>) => !('fingerprint' in f)));
    const all = JSON.parse((await runCli(['scan-credentials', '--json', '--no-gitignore', fx.root])).out);
    assert.equal(all.findings.length, fx.expected.length + 1 + fx.ignoredExpected.length);
  });

  it('exits 0 on a clean folder and 64 on bad usage', async () => {
    const clean = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-cred-clean-'));
    try {
      fs.writeFileSync(path.join(clean, 'a.ts'), 'export const a = 1;\n');
      const r = await runCli(['scan-credentials', clean]);
      assert.equal(r.code, 0);
      assert.match(r.out, /No credentials found/);
    } finally {
      fs.rmSync(clean, { recursive: true, force: true });
    }
    assert.equal((await runCli(['scan-credentials', path.join(fx.root, 'nope')])).code, 64);
    assert.equal((await runCli(['scan-credentials', '--bogus'])).code, 64);
    assert.equal((await runCli(['scan-credentials', 'a', 'b'])).code, 64);
  });
});
