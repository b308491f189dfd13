// npm test: type check, build, unit tests (engine, CLI, real bash and zsh), the published agent CLIs (Claude Code,
// Gemini CLI, Codex, Copilot CLI) with their hooks, then the integration tests in a real VS Code. Ends with one line
// `N passed, N failed` over everything; exits non-zero if anything failed.
import { spawn } from 'node:child_process';

function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      if (capture) out += d;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const steps = [];
const failures = []; // each failing test's title and first lines, repeated at the end where a log's tail shows them
let passed = 0;
let failed = 0;

async function step(name, cmd, args, count) {
  console.log(`\n== ${name}`);
  const t0 = Date.now();
  const r = await run(cmd, args, { capture: !!count });
  const counted = count ? count(r.out) : null;
  if (counted) {
    passed += counted.passed;
    failed += counted.failed;
    if (counted.failed > 0) failures.push(`${name}:\n${failureLines(r.out)}`);
  }
  if (r.code !== 0 && !(counted && counted.failed > 0)) failed += 1; // a step that broke before counting
  steps.push(`${name}: ${r.code === 0 ? 'ok' : `exit ${r.code}`}${counted ? ` (${counted.passed} passed, ${counted.failed} failed)` : ''} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return r.code === 0;
}

const mochaCounts = (out) => ({ passed: Number(/(\d+) passing/.exec(out)?.[1] ?? 0), failed: Number(/(\d+) failing/.exec(out)?.[1] ?? 0) });
// Mocha's failure report (after "N failing"): each numbered title and its first few lines, not whole stacks.
function failureLines(out) {
  const at = out.search(/^\s*\d+ failing/m);
  if (at < 0) return [...out.matchAll(/^\s*(✗|not ok|FAIL).*$/gm)].map((m) => `  ${m[0].trim()}`).slice(0, 20).join('\n') || '  (see above)';
  const kept = [];
  let inBlock = 0;
  for (const line of out.slice(at).split('\n').slice(1)) {
    if (/^\s+\d+\) /.test(line)) inBlock = 8;
    if (inBlock-- > 0 && line.trim() && !/^\s+at /.test(line)) kept.push(line);
  }
  return kept.slice(0, 80).join('\n');
}
const harnessCounts = (out) => {
  const m = [...out.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
  return { passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0) };
};

// Provisioning first: it also installs zsh, which the unit tests drive as a real shell, and the cross compiler the build
// uses for the other architecture's native shim (and qemu, which the shim tests run it with).
const provisioned = await step('provision zsh, Chromium, a cross compiler, qemu and a real VS Code (code-server)', 'node', ['test/harness/provision.mjs']);
const built = (await step('type check', 'npx', ['tsc', '-p', '.', '--noEmit'])) && (await step('build', 'node', ['esbuild.mjs'])) && (await step('build tests', 'node', ['esbuild.mjs', '--tests']));
if (built) {
  await step('unit tests', 'npx', ['mocha', '--config', 'test/unit/.mocharc.json'], mochaCounts);
  if (process.env.AGENT_GUARD_SKIP_AGENTS) {
    steps.push('agent CLIs: skipped (AGENT_GUARD_SKIP_AGENTS is set)');
  } else {
    // The published agent CLIs (pinned; installed from npm into the test cache on first use) against a scripted model.
    await step('the real agent CLIs against a scripted model', 'npx', ['mocha', '--config', 'test/agents/.mocharc.json'], mochaCounts);
  }
  if (process.env.AGENT_GUARD_SKIP_INTEGRATION) {
    steps.push('integration tests: skipped (AGENT_GUARD_SKIP_INTEGRATION is set)');
  } else if (provisioned) {
    await step('integration tests in a real VS Code', 'node', ['test/harness/run-integration.mjs'], harnessCounts);
  }
  await step('package: the .vsix that ships', 'node', ['test/package-check.mjs'], harnessCounts);
}
if (failures.length) console.log(`\nWhat failed:\n${failures.join('\n')}`);
console.log(`\n${steps.join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || !built ? 1 : 0);
