// The rules' examples in the bundles `node esbuild.mjs` writes (esbuild.examples.mjs): the gate's bundles carry none of
// them, yet every rule there reads the same examples as its source, from dist/ruleExamples.js, when something asks;
// without that file the gate still loads and judges, and only reading an example fails, saying why.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../../src/core/rules';

const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');

/**
 * Runs `body` in a fresh Node with dist/main.js and dist/engine.js (from `dir`) loaded as src/boot.ts and the gate load
 * them, `mod(name)` finding the module that exports `name`, and a stand-in `vscode`; its stdout as JSON.
 */
function withMain(dir: string, body: string): unknown {
  const script = `
const Module = require('node:module');
const load = Module._load;
const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : stub), apply: () => stub, construct: () => stub, getPrototypeOf: () => stub });
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const { loadWithCodeCache } = require(${JSON.stringify(join(ROOT, 'out', 'src', 'gate', 'codeCache.js'))});
const main = loadWithCodeCache(${JSON.stringify(join(dir, 'main.js'))}, '/dev/null/none').exports;
const engine = loadWithCodeCache(${JSON.stringify(join(dir, 'engine.js'))}, '/dev/null/none', main.sharedModules).exports;
const mod = (name) => [...Object.values(main.sharedModules), ...Object.values(engine.engineModules)].find((m) => m && m[name]);
${body}`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('rule examples in the bundles', function () {
  this.timeout(60_000);

  it('the gate, the CLI and the judge worker bundles carry none of the examples', () => {
    // Commands long enough that the engine's own code would not spell them, and written the same in any string literal
    // (no quotes, backslashes or other characters esbuild may escape).
    const commands = RULES.flatMap((r) => [...r.examples.gated.map(([c]) => c), ...r.examples.allowed]).filter((c) => c.length >= 30 && /^[\x20-\x7e]+$/.test(c) && !/["'`\\]/.test(c));
    assert.ok(commands.length > 300, `${commands.length} example commands`);
    for (const bundle of ['main.js', 'engine.js', 'cli-main.js', 'judgeWorker.js', 'afterGate.js']) {
      const text = readFileSync(join(DIST, bundle), 'utf8');
      const found = commands.filter((c) => text.includes(c));
      assert.deepEqual(found, [], `${bundle} holds examples`);
    }
    const examples = readFileSync(join(DIST, 'ruleExamples.js'), 'utf8');
    assert.deepEqual(commands.filter((c) => !examples.includes(c)), [], 'dist/ruleExamples.js holds them');
  });

  it("every rule in dist/engine.js reads its source's examples, loaded when first read", () => {
    const seen = withMain(
      DIST,
      `const before = Object.keys(require.cache).filter((k) => k.endsWith('ruleExamples.js')).length;
const rules = mod('RULES').RULES;
console.log(JSON.stringify({ before, rules: rules.map((r) => ({ id: r.id, examples: { gated: r.examples.gated, allowed: r.examples.allowed } })) }));`,
    ) as { before: number; rules: { id: string; examples: unknown }[] };
    assert.equal(seen.before, 0, 'not loaded with the bundle');
    assert.equal(seen.rules.length, RULES.length);
    for (const [i, r] of RULES.entries()) {
      assert.equal(seen.rules[i].id, r.id);
      assert.deepEqual(seen.rules[i].examples, JSON.parse(JSON.stringify(r.examples)), r.id);
    }
  });

  it('without dist/ruleExamples.js the gate loads and judges; reading an example says which file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-examples-'));
    try {
      copyFileSync(join(DIST, 'main.js'), join(dir, 'main.js'));
      copyFileSync(join(DIST, 'engine.js'), join(dir, 'engine.js'));
      const body = `const { Engine } = mod('Engine');
const d = new Engine({ tier: 'production' }).classify('git push --force origin main');
let error = '';
try { mod('RULES').RULES[0].examples.gated; } catch (e) { error = e.message; }
console.log(JSON.stringify({ rules: d.findings.map((f) => f.rule), resource: d.findings[0]?.resource, error }));`;
      const missing = withMain(dir, body) as { rules: string[]; resource: string; error: string };
      assert.deepEqual(missing.rules, ['git.force-push']);
      assert.equal(missing.resource, 'main');
      assert.match(missing.error, /rules' examples could not be loaded from .*ruleExamples\.js/);
      // A file from another build, without this bundle's numbering.
      writeFileSync(join(dir, 'ruleExamples.js'), 'module.exports = {};');
      const stale = withMain(dir, body) as { error: string };
      assert.match(stale.error, /has no examples #\d+ for [\w/]+\.ts: it does not belong to this bundle/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`agent-guard rules --json` from the bundled CLI lists every rule with its examples', () => {
    const r = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'rules', '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const listed = JSON.parse(r.stdout) as { id: string; examples: unknown }[];
    assert.deepEqual(
      listed.map((x) => [x.id, x.examples]),
      RULES.map((x) => [x.id, JSON.parse(JSON.stringify(x.examples))]),
    );
  });
});
