import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EXIT, main } from '../../src/cli/main';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const input = new PassThrough();
  input.end(stdin);
  let out = '';
  let err = '';
  const code = await main(argv, { stdin: input, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('command-line entry point', () => {
  it('check exits 0 / 1 / 2 for allow / confirm / deny and says what to type', async () => {
    assert.equal((await run(['check', '--env', 'production', '--', 'git', 'status'])).code, EXIT.allow);
    const held = await run(['check', '--env', 'production', '--', 'git push --force origin main']);
    assert.equal(held.code, EXIT.confirm);
    assert.match(held.out, /HELD \(production\) — git\.force-push/);
    assert.match(held.out, /a person approves by typing: main/);
    assert.equal((await run(['check', '--env=prod', '--', 'rm', '-rf', '/'])).code, EXIT.deny);
  });

  it('says which Node.js it needs when started by an older one, and runs nothing', () => {
    const old = "Object.defineProperty(process.versions, 'node', { value: '20.18.3' }); Object.defineProperty(process, 'version', { value: 'v20.18.3' });";
    const r = spawnSync(process.execPath, ['-e', `${old} process.argv = [process.argv[0], ${JSON.stringify(CLI)}, 'check', '--', 'ls']; require('node:module').runMain();`], { encoding: 'utf8' });
    assert.equal(r.status, 70);
    assert.match(r.stderr, /needs Node\.js 20\.19 or newer; this is v20\.18\.3/);
    assert.equal(r.stdout, '');
    const now = spawnSync(process.execPath, [CLI, 'check', '--', 'ls'], { encoding: 'utf8' });
    assert.equal(now.status, EXIT.allow, now.stderr);
  });

  it('check --json prints the decision object', async () => {
    const r = await run(['check', '--json', '--env', 'staging', '--freeze', '--', 'npm install']);
    const d = JSON.parse(r.out);
    assert.equal(d.decision, 'confirm');
    assert.equal(d.tier, 'staging');
    assert.equal(d.freeze, true);
    assert.equal(r.code, EXIT.confirm);
  });

  it('rejects bad usage with exit 64 and a message that says how to fix it', async () => {
    for (const argv of [['check'], ['check', '--env', 'prodd', '--', 'ls'], ['classify'], ['nope'], ['check', '--bogus', '--', 'ls']]) {
      const r = await run(argv);
      assert.equal(r.code, EXIT.usage, argv.join(' '));
      assert.match(r.err, /^agent-guard: /);
    }
  });

  it('classify --jsonl answers every line, with an error field for bad ones, and goes on', async () => {
    const input = ['{"command":"rm -rf data","cwd":"/srv"}', 'not json', '{"cmd":"x"}', '', '{"command":"ls"}', '\u0000\u0001binary'].join('\n');
    const r = await run(['classify', '--env', 'production', '--jsonl'], input);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 5);
    assert.equal(lines[0].decision, 'confirm');
    assert.equal(lines[0].resource, 'data');
    assert.equal(lines[0].cwd, '/srv');
    assert.match(lines[1].error, /not JSON/);
    assert.match(lines[2].error, /string "command"/);
    assert.equal(lines[3].decision, 'allow');
    assert.equal(lines[3].line, 5);
    assert.match(lines[4].error, /not JSON/);
  });

  it('answers a 1 MB command line and binary bytes without crashing', async () => {
    const huge = 'echo ' + 'a'.repeat(1 << 20) + ' && rm -rf data';
    const r = await run(['classify', '--env', 'production', '--jsonl'], JSON.stringify({ command: huge }) + '\n' + JSON.stringify({ command: '\u0000\u00ff\ud800 rm' }) + '\n');
    const [a, b] = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(a.decision, 'confirm');
    assert.equal(a.resource, 'data');
    assert.equal(b.decision, 'confirm');
    assert.match(b.reason, /could not be understood/);
  });

  it('runs as a real process with the documented exit codes', () => {
    const r = spawnSync(process.execPath, [CLI, 'check', '--env', 'production', '--', 'git push --force origin main'], { encoding: 'utf8' });
    assert.equal(r.status, EXIT.confirm, r.stderr);
    assert.match(r.stdout, /typing: main/);
    const j = spawnSync(process.execPath, [CLI, 'classify', '--jsonl'], { input: '{"command":"git status"}\n', encoding: 'utf8' });
    assert.equal(j.status, 0);
    assert.equal(JSON.parse(j.stdout).decision, 'allow');
  });
});
