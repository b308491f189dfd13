// `agent-guard install-hooks <agent…>`: writes (or with --remove, takes out) Agent Guard's hook in each agent's
// configuration, user-level by default, printing the exact change before writing it. The edits themselves are in
// src/core/agents (shared with the editor's "Connect agents…"); this file is the command line around them.

import { resolve } from 'node:path';
import { UsageError, type Io } from '../main';
import { AGENT_IDS, AGENT_NAMES, isAgentId, type AgentId } from './adapter';
import { COPILOT_VSCODE_NOTE, HOOK_SPECS, type HookScope } from '../../core/agents/hookConfig';
import { renderDiff } from '../../core/agents/unifiedDiff';
import { defaultInstallDeps, planHookChange, type InstallDeps } from '../../core/agents/hookFiles';
import { trustOurCodexHook } from '../../gate/codexTrust';
export { currentProgram, defaultInstallDeps, planHookChange, readHookFile, writeHookFile, type InstallDeps } from '../../core/agents/hookFiles';

interface InstallArgs {
  agents: AgentId[];
  scope: HookScope;
  remove: boolean;
  dryRun: boolean;
}

function parseInstallArgs(argv: readonly string[], deps: InstallDeps): InstallArgs {
  const agents: AgentId[] = [];
  let workspace: string | undefined;
  let user = false;
  let remove = false;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--user') user = true;
    else if (a === '--remove') remove = true;
    else if (a === '--dry-run') dryRun = true;
    else if (a === '--workspace' || a.startsWith('--workspace=')) {
      workspace = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!workspace) throw new UsageError('--workspace takes a folder, e.g. --workspace .');
    } else if (a === 'all') agents.push(...AGENT_IDS);
    else if (isAgentId(a)) agents.push(a);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else throw new UsageError(`unknown agent ${JSON.stringify(a)}; choose from ${AGENT_IDS.join(', ')} or all`);
  }
  if (!agents.length) throw new UsageError(`install-hooks needs at least one agent: ${AGENT_IDS.join(', ')} or all`);
  if (user && workspace) throw new UsageError('choose --user or --workspace DIR, not both');
  const scope: HookScope = workspace ? { kind: 'workspace', dir: resolve(workspace) } : { kind: 'user', home: deps.home, env: deps.env };
  return { agents: [...new Set(agents)], scope, remove, dryRun };
}

export async function installHooksCommand(argv: string[], io: Io, deps: InstallDeps = defaultInstallDeps()): Promise<number> {
  const args = parseInstallArgs(argv, deps);
  if (args.scope.kind === 'workspace') {
    io.stdout.write(`Note: a repository's own hook files can be edited by the agents working in it, which could take the guard out. User-level hooks (the default) are safer.\n\n`);
  }
  let failed = 0;
  if (!args.remove && !args.dryRun && deps.program.launcher && deps.writeLauncher) {
    try {
      deps.writeLauncher(deps.program);
      io.stdout.write(`Hook launcher: ${deps.program.launcher} (finds the current Agent Guard after updates, and refuses when it cannot run)\n\n`);
    } catch (e) {
      io.stdout.write(`could not write the hook launcher ${deps.program.launcher}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  for (const agent of args.agents) {
    const edit = planHookChange(agent, args.scope, args.remove, deps.program, deps.read);
    const title = `${AGENT_NAMES[agent]} — ${edit.path}`;
    if (edit.problem) {
      failed++;
      io.stdout.write(`${title}\n  cannot edit: ${edit.problem}\n`);
      if (edit.entry) io.stdout.write(`  Add this to "hooks"."${HOOK_SPECS[agent].event}" by hand:\n${JSON.stringify(edit.entry, null, 2).replace(/^/gm, '    ')}\n`);
      io.stdout.write('\n');
      continue;
    }
    if (!edit.changed) {
      io.stdout.write(`${title}\n  ${args.remove ? 'not connected' : 'already connected'}; nothing to change.\n`);
      if (agent === 'codex' && !args.remove && !args.dryRun && !(await codexTrust(args.scope, deps, io))) failed++;
      io.stdout.write('\n');
      continue;
    }
    io.stdout.write(`${title}\n${renderDiff(edit.path, edit.before, edit.after)}`);
    if (args.dryRun) {
      io.stdout.write('  (dry run: nothing written)\n\n');
      continue;
    }
    try {
      deps.write(edit.path, edit.after);
    } catch (e) {
      failed++;
      io.stdout.write(`  could not write ${edit.path}: ${(e as Error).message}\n\n`);
      continue;
    }
    io.stdout.write(`  ${edit.after === null ? 'removed' : 'wrote'} ${edit.path}\n`);
    if (!args.remove) for (const note of [...(agent === 'copilot' && args.scope.kind === 'user' ? [COPILOT_VSCODE_NOTE] : []), ...(agent === 'codex' ? [] : HOOK_SPECS[agent].notes)]) io.stdout.write(`  note: ${note}\n`);
    if (agent === 'codex' && !args.remove && !(await codexTrust(args.scope, deps, io))) failed++;
    io.stdout.write('\n');
  }
  return failed ? 1 : 0;
}

/**
 * Codex skips an untrusted hook without a word. The person running install-hooks trusts Agent Guard's own hook, the
 * way Codex's /hooks screen records it, and Codex is asked whether it now trusts it; if not, this says so plainly.
 */
async function codexTrust(scope: HookScope, deps: InstallDeps, io: Io): Promise<boolean> {
  const cwd = scope.kind === 'workspace' ? scope.dir : deps.home;
  const outcome = await trustOurCodexHook({ home: deps.home, env: deps.env, cwd });
  io.stdout.write(outcome.trusted ? `  Codex trust: ${outcome.text}\n` : `  WARNING: ${outcome.text}\n`);
  return outcome.trusted || !outcome.codexFound;
}
