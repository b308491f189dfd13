// bash's Enter key as a builtin (src/shell/bash-line.c) must never let a line run that the shell function would ask
// about: the same lines, typed into a real bash with the builtin and into one without it, must be asked about alike.
// The lines are plain words (the builtin's only case) drawn from the editor's own list of words worth asking about,
// reserved words, aliases and made-up names, with digits and dashes; PATH holds nothing to run, so none does harm.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../src/core/audit/log';
import { Engine } from '../../src/core/classify';
import { installShellGate, registerGatePort, type ShellGate } from '../../src/gate/install';
import { GateServer } from '../../src/gate/server';
import { GateService } from '../../src/gate/service';
import { BASH_PROMPT_HOOK } from '../../src/gate/install';
import { bashLineMissing, gatedTerminalEnv, ShellSession, SHIPPED_SHIM, TypedAnswers, WITHOUT_BASH_LINE } from './shell-session';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
const BASH = spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim() || '/bin/bash';

/** A small seeded generator, so that a failure names a line that fails again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('bash Enter builtin agrees with the shell function (real bash, the same lines both ways)', function () {
  this.timeout(300000);
  if (bashLineMissing()) return;
  let server: GateServer;
  const audit: AuditEntry[] = [];
  const sessions: ShellSession[] = [];
  let withBuiltin: ShellSession;
  let withoutBuiltin: ShellSession;
  let askWords: string[];

  before(async () => {
    const root = mkdtempSync(join(tmpdir(), 'ag-enter-'));
    const work = join(root, 'work');
    const home = join(root, 'home');
    const nothing = join(root, 'nothing');
    for (const d of [work, home, nothing]) mkdirSync(d);
    const engine = new Engine({ tier: 'production' });
    const person = new TypedAnswers();
    const service = new GateService({ settings: () => ({ engine, tier: 'production', workspace: work, requireTierPrefix: true }), approver: person, record: (e) => audit.push(e) });
    server = new GateServer(service);
    const port = await server.listen();
    const start = (gate: ShellGate) => {
      registerGatePort(gate.dir, port, server.token, 'production', 'hold');
      // The shims first, then a folder with nothing in it: every program is "not found", shims included.
      const env = gatedTerminalEnv({ gate, home, port, token: server.token, tier: 'production', unreachable: 'hold' }, { PATH: `${gate.binDir}:${nothing}` });
      // bash by its full path, as startGatedShell starts it otherwise.
      const sh = new ShellSession([BASH, '--norc', '--noprofile', '-i'], { ...env, PS1: '$ ', PROMPT_COMMAND: BASH_PROMPT_HOOK }, work);
      sessions.push(sh);
      return sh;
    };
    const gate = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', SHIPPED_SHIM);
    withBuiltin = start(gate);
    withoutBuiltin = start(installShellGate(join(root, 'gate-without'), SCRIPTS, 'normal', WITHOUT_BASH_LINE));
    for (const sh of sessions) await sh.run('true');
    // The words the editor asks about, as both shells read them (the prefilter's third line), with no shell builtin
    // among them: a builtin would run in this shell whatever PATH holds.
    const builtins = new Set(spawnSync('bash', ['-c', 'compgen -b; compgen -k'], { encoding: 'utf8' }).stdout.split('\n'));
    askWords = readFileSync(join(gate.dir, 'prefilter'), 'utf8').split('\n')[2].split(' ').filter((w) => /^[a-z0-9_-]+$/.test(w) && !builtins.has(w));
    assert.ok(askWords.length > 100, `the editor's list has its words (${askWords.length})`);
  });
  after(() => {
    server.close();
    return Promise.all(sessions.map((s) => s.close()));
  });

  it('asks about the same of 300 generated lines of plain words, and lets the same run', async () => {
    const next = random(20261204);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const plain = ['ls', 'status', 'la', 'x', 'data', 'list', 'show', 'get', 'log', 'main', 'foo-bar', 'a_b'];
    const reserved = ['for', 'in', 'do', 'done', 'if', 'then', 'case', 'esac', 'while', 'select', 'function', 'time'];
    // Words whose parts are the checks' own words: path, bind, command, agent guard...
    const parts = ['path', 'mypath', 'bind', 'rebind', 'command', 'which', 'enable', 'agent-guard', 'agent_guard', 'complete', 'zle'];
    const word = (): string => {
      const r = next();
      const base = r < 0.4 ? pick(askWords) : r < 0.8 ? pick(plain) : r < 0.87 ? pick(reserved) : pick(parts);
      const s = next();
      return s < 0.15 ? `${base}${Math.floor(next() * 100)}` : s < 0.2 ? `${base}-x` : s < 0.25 ? `x${base}` : base;
    };
    // Aliases of plain words, of a word worth asking about, and of a loop's opening.
    for (const sh of sessions) await sh.run("alias ll='ls -l' pick='for x in a'");
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      const n = 1 + Math.floor(next() * 4);
      lines.push(Array.from({ length: n }, () => (next() < 0.05 ? pick(['ll', 'pick']) : word())).join(' '));
    }
    const asked = (line: string, from: number) => audit.slice(from).filter((e) => e.source === 'terminal' && e.command.split('\n').includes(line)).length;
    const differ: string[] = [];
    let askedLines = 0;
    for (const line of lines) {
      const counts: number[] = [];
      for (const sh of [withoutBuiltin, withBuiltin]) {
        const from = audit.length;
        // A line that opens a loop waits for more (its marker is read as part of it): C-c then ends it in both shells
        // alike. C-c is typed only then: typed with the line, its signal would end the check the line is in.
        await sh.run(line, 1500).catch(async () => {
          sh.type('\x03');
          await sh.run('true');
        });
        counts.push(asked(line, from));
      }
      if (counts[0] !== counts[1]) differ.push(`${JSON.stringify(line)}: asked ${counts[0]} without the builtin, ${counts[1]} with it`);
      if (counts[0]) askedLines++;
    }
    assert.deepEqual(differ, [], differ.join('\n'));
    // Both outcomes occurred: the comparison was not all one way.
    assert.ok(askedLines > 30 && askedLines < lines.length - 30, `${askedLines} of ${lines.length} lines were asked about`);
  });
});
