// Installs the real agent CLIs the field tests run (test/agents), at pinned versions, from the npm registry into
// $XDG_CACHE_HOME/agent-guard/agents/<versions>, once; later runs reuse the folder. Prints how long it took.
// Usage: `node test/agents/provision.mjs` (prints the bin folder on its last line), or `import { provisionAgents }`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned: these CLIs change their hook formats, session files and flags from week to week. */
export const AGENT_PACKAGES = {
  '@anthropic-ai/claude-code': '2.1.197',
  '@google/gemini-cli': '0.61.0',
  '@openai/codex': '0.171.0',
  '@github/copilot': '1.0.102',
  '@qwen-code/qwen-code': '0.24.4',
};

const log = (msg) => console.log(`[agents] ${msg}`);

export function agentsDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const key = Object.entries(AGENT_PACKAGES).map(([name, v]) => `${name.split('/').pop()}-${v}`).join('_');
  return join(base, 'agent-guard', 'agents', key);
}

/** npm's own settings from a surrounding `npm test` (npm_config_*) would redirect this install: start it clean. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return env;
}

export function provisionAgents() {
  const dir = agentsDir();
  const bin = join(dir, 'node_modules', '.bin');
  const done = join(dir, '.complete');
  if (existsSync(done)) {
    log(`cached: ${dir}`);
    return { dir, bin, seconds: 0, cached: true };
  }
  const t0 = Date.now();
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ private: true, name: 'agent-guard-test-agents' }) + '\n');
  const specs = Object.entries(AGENT_PACKAGES).map(([name, v]) => `${name}@${v}`);
  log(`installing ${specs.join(' ')} into ${dir}`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', ...specs], { cwd: tmp, stdio: ['ignore', 'inherit', 'inherit'], env: cleanEnv() });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`npm install of the agent CLIs failed (exit ${r.status ?? r.error?.message})`);
  }
  for (const b of ['claude', 'gemini', 'codex', 'copilot', 'qwen']) {
    const v = spawnSync(join(tmp, 'node_modules', '.bin', b), ['--version'], { encoding: 'utf8', timeout: 60_000, env: { ...cleanEnv(), HOME: tmp } });
    if (v.status !== 0) throw new Error(`${b} --version failed after install: ${v.stderr || v.error?.message}`);
    log(`${b}: ${v.stdout.trim().split('\n')[0]}`);
  }
  writeFileSync(join(tmp, '.complete'), new Date().toISOString() + '\n');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  renameSync(tmp, dir);
  const seconds = (Date.now() - t0) / 1000;
  log(`installed in ${seconds.toFixed(1)} s`);
  return { dir, bin, seconds, cached: false };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { bin } = provisionAgents();
    console.log(bin);
  } catch (e) {
    console.error(`[agents] ${e.message}`);
    process.exit(1);
  }
}
