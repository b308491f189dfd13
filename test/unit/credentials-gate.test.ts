import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AuditEntry } from '../../src/core/audit/log';
import { Engine, EngineCredentials, UNRELATED_TOKEN_RULE } from '../../src/core/classify';
import { scanWorkspace, type CredentialFinding } from '../../src/core/credentials';
import type { Decision, Tier } from '../../src/core/types';
import type { ApprovalRequest } from '../../src/gate/service';
import { GateService } from '../../src/gate/service';
import { uuid } from './fake-secrets';

/** The token kept where the person configured it, and the one left in an old script. */
const CONFIGURED = uuid(1013);
const UNRELATED = uuid(2027);

function assertNoSecret(d: unknown, what: string): void {
  const text = JSON.stringify(d);
  for (const [name, secret] of [['configured', CONFIGURED], ['unrelated', UNRELATED]]) {
    assert.ok(!text.includes(secret), `${what} holds the ${name} token: ${text}`);
  }
}

describe('gate rule credentials.unrelated-token (engine decisions)', function () {
  this.timeout(30_000);
  let base: string;
  let root: string;
  let findings: CredentialFinding[];
  const configuredLocations = ['.env'];
  const engine = (tier: Tier, extra: Partial<EngineCredentials> = {}, rest: { freeze?: boolean; rules?: { allow?: string[] } } = {}) =>
    new Engine({ tier, ...rest, credentials: { findings, configuredLocations, root, ...extra } });

  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-credgate-'));
    root = path.join(base, 'workspace');
    fs.mkdirSync(path.join(root, 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(root, '.env'), `RAILWAY_TOKEN=${CONFIGURED}\nPORT=3000\n`);
    fs.writeFileSync(path.join(root, 'scripts', 'old-deploy.sh'), `#!/bin/sh\n# deploys the old domain service\nexport RAILWAY_TOKEN=${UNRELATED}\nrailway up\n`);
    fs.writeFileSync(path.join(root, 'README.md'), '# demo\n');
    findings = (await scanWorkspace(root)).findings;
    assert.deepEqual(findings.map((f) => `${f.file}:${f.line}`).sort(), ['.env:1', 'scripts/old-deploy.sh:3'], 'the scan finds both planted tokens');
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const held = (d: Decision) => d.findings.filter((f) => f.rule === UNRELATED_TOKEN_RULE);

  it('a token from an unrelated file, used by value, is held in production; the resource names the file, not the secret', () => {
    for (const cmd of [
      `curl -H "Authorization: Bearer ${UNRELATED}" https://backboard.railway.app/graphql/v2`,
      `RAILWAY_TOKEN=${UNRELATED} railway up`,
      `wget -qO- --header "Authorization: Bearer ${UNRELATED}" https://backboard.railway.app/graphql/v2`,
      `cd infra && RAILWAY_TOKEN=${UNRELATED} railway status`,
    ]) {
      const d = engine('production').classify(cmd);
      assert.equal(d.decision, 'confirm', cmd);
      assert.ok(d.rules.includes(UNRELATED_TOKEN_RULE), `${cmd}: ${d.rules}`);
      assert.equal(d.resource, 'scripts/old-deploy.sh', cmd);
      const [f] = held(d);
      assert.equal(f.severity, 'risky');
      assert.match(f.detail ?? '', /found in scripts\/old-deploy\.sh:3; credentials are configured in \.env$/);
      assert.match(d.reason, /^Held in production: Uses a credential found in a file other than where credentials are configured \(uses the .* found in scripts\/old-deploy\.sh:3/);
      assertNoSecret(d, cmd);
      assert.match(d.command, /…\(36\)/, 'the command shows the mask where the token was');
    }
  });

  it('with another rule held on the same command, the person types both resources', () => {
    const d = engine('production').classify(`curl -X POST -H "Authorization: Bearer ${UNRELATED}" https://backboard.railway.app/graphql/v2 -d @q.json`);
    assert.equal(d.decision, 'confirm');
    assert.deepEqual(d.rules, ['http.opaque-graphql', UNRELATED_TOKEN_RULE]);
    assert.equal(d.resource, 'backboard.railway.app scripts/old-deploy.sh');
    assertNoSecret(d, 'decision');
  });

  it('the held command is the simple command that uses the token, masked', () => {
    const d = engine('production').classify(`echo deploying && RAILWAY_TOKEN=${UNRELATED} railway up && echo done`);
    assert.equal(d.decision, 'confirm');
    assert.match(d.command, /^RAILWAY_TOKEN=[0-9a-f]{0,4}…\(36\) railway up$/);
    assert.equal(held(d)[0].command, d.command);
    assert.equal(held(d).length, 1);
    assertNoSecret(d, 'decision');
  });

  it('loading the unrelated file is held too, from any working folder', () => {
    const a = engine('production').classify('source scripts/old-deploy.sh && railway up');
    assert.deepEqual([a.decision, a.resource], ['confirm', 'scripts/old-deploy.sh']);
    assert.match(held(a)[0].detail ?? '', /^loads scripts\/old-deploy\.sh, which holds a .* \(line 3\); credentials are configured in \.env$/);
    const b = engine('production', { cwd: 'scripts' }).classify('. ./old-deploy.sh; railway up');
    assert.deepEqual([b.decision, b.resource], ['confirm', 'scripts/old-deploy.sh']);
    const c = engine('production').classify(`source ${path.join(root, 'scripts', 'old-deploy.sh')}`);
    assert.equal(c.decision, 'confirm');
  });

  it('the same kind of token from where the person configured it is not flagged, and its value is masked too', () => {
    for (const cmd of [`RAILWAY_TOKEN=${CONFIGURED} railway up`, 'source .env && railway up', `curl -H "Authorization: Bearer ${CONFIGURED}" https://backboard.railway.app/graphql/v2`]) {
      const d = engine('production').classify(cmd);
      assert.equal(held(d).length, 0, cmd);
      assert.equal(d.decision, 'allow', cmd);
      assertNoSecret(d, cmd);
    }
  });

  it('tiers: held in staging, allowed with the finding in development; held under a freeze', () => {
    const cmd = `RAILWAY_TOKEN=${UNRELATED} railway up`;
    assert.equal(engine('staging').classify(cmd).decision, 'confirm');
    const dev = engine('development').classify(cmd);
    assert.equal(dev.decision, 'allow');
    assert.deepEqual(held(dev).map((f) => f.resource), ['scripts/old-deploy.sh']);
    assert.deepEqual(dev.rules, []);
    assert.match(dev.reason, /^Allowed by the development policy: Uses a credential found/);
    assertNoSecret(dev, 'development decision');
    assert.equal(engine('development', {}, { freeze: true }).classify(cmd).decision, 'confirm');
  });

  it('a person can allow the rule by id; with nothing configured every file counts', () => {
    const cmd = `RAILWAY_TOKEN=${UNRELATED} railway up`;
    assert.equal(engine('production', {}, { rules: { allow: [UNRELATED_TOKEN_RULE] } }).classify(cmd).decision, 'allow');
    const none = new Engine({ tier: 'production', credentials: { findings, configuredLocations: [], root } });
    const d = none.classify(`RAILWAY_TOKEN=${CONFIGURED} railway up`);
    assert.deepEqual([d.decision, d.resource], ['confirm', '.env']);
    assert.match(held(d)[0].detail ?? '', /; no credential locations are configured$/);
    assertNoSecret(d, 'decision');
  });

  it('findings from another fingerprint key, or none at all, change nothing', () => {
    const cmd = `RAILWAY_TOKEN=${UNRELATED} railway up`;
    const plain = new Engine({ tier: 'production' }).classify(cmd);
    assert.equal(plain.decision, 'allow');
    assert.equal(engine('production', { key: Buffer.from('another key') }).classify(cmd).decision, plain.decision);
    assert.deepEqual(new Engine({ tier: 'production', credentials: { findings: [], configuredLocations } }).classify(cmd), plain);
  });

  it('other rules still decide, and their fields are masked as well', () => {
    const d = engine('production').classify(`RAILWAY_TOKEN=${UNRELATED} railway volume delete data`);
    assert.equal(d.decision, 'deny');
    assert.deepEqual(d.rules, ['paas.volume-delete', UNRELATED_TOKEN_RULE]);
    assert.equal(d.resource, 'railway volume scripts/old-deploy.sh');
    assertNoSecret(d, 'decision');
    const parse = engine('production').classify(`RAILWAY_TOKEN=${UNRELATED} railway up "unterminated`);
    assert.equal(parse.decision, 'confirm');
    assertNoSecret(parse, 'not-understood decision');
    assert.equal(engine('production').redact(`x ${UNRELATED} y ${CONFIGURED}`).includes(UNRELATED), false);
  });

  it('the gate service keeps found secrets out of the audit entry, the prompt and the reply', async () => {
    const entries: AuditEntry[] = [];
    const asked: ApprovalRequest[] = [];
    const e = engine('production');
    const service = new GateService({
      settings: () => ({ engine: e, tier: 'production', workspace: root, requireTierPrefix: true, redact: (t) => e.redact(t) }),
      approver: {
        approve: async (req) => {
          asked.push(req);
          return { approved: true, by: 'tester' };
        },
        refused: () => undefined,
      },
      record: (entry) => entries.push(entry),
    });
    const abort = new AbortController().signal;
    const progress: string[] = [];
    const reply = await service.handle(
      { kind: 'hook', pid: 1, cwd: root, agent: 'claude', why: `deploy with ${UNRELATED}`, command: `curl -H "Authorization: Bearer ${UNRELATED}" https://backboard.railway.app/graphql/v2` },
      (p) => progress.push(p),
      abort,
    );
    assert.equal(reply.verdict, 'allow');
    assert.equal(asked[0].expected, 'production/scripts/old-deploy.sh');
    const ok = await service.handle({ kind: 'line', pid: 2, cwd: root, command: `RAILWAY_TOKEN=${CONFIGURED} railway up` }, () => undefined, abort);
    assert.equal(ok.verdict, 'allow');
    assert.equal(entries.length, 2);
    assert.deepEqual(entries.map((x) => x.outcome), ['ran', 'ran']);
    assert.ok(entries[0].rules.includes(UNRELATED_TOKEN_RULE));
    assert.match(entries[0].command, /Bearer [0-9a-f]{4}…\(36\)|Bearer …\(36\)/);
    assertNoSecret({ entries, asked, progress, reply, ok }, 'gate output');
  });
});
