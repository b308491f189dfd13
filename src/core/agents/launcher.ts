// The hook launcher: the one command every agent's hook configuration runs. It lives in Agent Guard's state folder,
// outside the versioned extension folder, so an update or a move of the extension does not break the hook; it finds
// the current CLI, and when nothing can run (no Node, no CLI, a crash before an answer) it answers the agent with a
// refusal — agents run the tool call when a hook cannot start or prints nothing — and notes the failure where
// `agent-guard doctor` and the editor look.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { replaceFile } from '../replaceFile';
import * as nodePath from 'node:path';
import type { HookProgram } from './hookConfig';
import { WINDOWS_LAUNCHER_NAME, windowsLauncherScript } from './launcherWindows';

/** Paths joined with the rules of the platform the launcher is for (tests build Windows paths on Linux). */
function pathsFor(platform: NodeJS.Platform): typeof nodePath.posix {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}

export function launcherPath(stateDir: string, platform: NodeJS.Platform = process.platform): string {
  return pathsFor(platform).join(stateDir, 'bin', platform === 'win32' ? WINDOWS_LAUNCHER_NAME : 'agent-guard-hook');
}

export function hookFailureLog(stateDir: string, platform: NodeJS.Platform = process.platform): string {
  return pathsFor(platform).join(stateDir, 'hook-failures.log');
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The launcher's text for this Node and CLI (checked first; searched for when they are gone). */
export function launcherScript(program: HookProgram, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return windowsLauncherScript(program);
  return `#!/bin/sh
# Agent Guard's hook launcher, written by \`agent-guard install-hooks\` and "Agent Guard: Connect agents…".
# Every agent's hook runs this. It finds the current Agent Guard CLI, so extension updates and moves do not break the
# hook, and when nothing can run it refuses the tool call instead of letting it through. Do not edit: it is rewritten.
AG_NODE=${q(program.node)}
AG_CLI=${q(program.cli)}
AG_ELECTRON=${program.electron ? 1 : 0}
ag_state=$(dirname "$(dirname "$0")")
ag_agent=$2
# The state folder is the one this launcher was installed in, whatever the agent's environment says: an agent's
# settings or a project's .env can set AGENT_GUARD_STATE_DIR or XDG_STATE_HOME for its hooks, and a registry and an
# audit log in a folder the agent writes would let it name its own "window" to approve.
ag_refuse_early=
AGENT_GUARD_STATE_DIR=$(cd "$ag_state" 2>/dev/null && pwd -P) || ag_refuse_early=1
export AGENT_GUARD_STATE_DIR

ag_refuse() {
  printf '%s %s %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ 2>/dev/null)" "\${ag_agent:-unknown}" "$1" >>"$ag_state/hook-failures.log" 2>/dev/null
  ag_reason="Agent Guard could not check this tool call ($1), so it is refused. Do not retry it; tell the user to run: agent-guard doctor"
  case $ag_agent in
    gemini) printf '{"decision":"deny","reason":"%s"}\\n' "$ag_reason" ;;
    cursor) printf '{"permission":"deny","user_message":"%s","agent_message":"%s"}\\n' "$ag_reason" "$ag_reason" ;;
    copilot) printf '{"permissionDecision":"deny","permissionDecisionReason":"%s","hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"%s"}}\\n' "$ag_reason" "$ag_reason" ;;
    *) printf '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"%s"}}\\n' "$ag_reason" ;;
  esac
  printf '%s\\n' "$ag_reason" >&2
  exit 2
}

[ -z "$ag_refuse_early" ] || ag_refuse "its state folder $ag_state cannot be read"
if [ ! -f "$AG_CLI" ]; then
  # The extension moved or was updated: the newest installed copy of the CLI.
  for ag_dir in "$HOME/.vscode/extensions" "$HOME/.vscode-server/extensions" "$HOME/.vscode-insiders/extensions" "$HOME/.cursor/extensions" "$HOME/.local/share/code-server/extensions" "$HOME/.vscode-oss/extensions"; do
    for ag_c in "$ag_dir"/agent-guard.agent-guard-*/dist/cli.js; do
      [ -f "$ag_c" ] && AG_CLI=$ag_c
    done
  done
fi
[ -f "$AG_CLI" ] || ag_refuse "its command-line tool was not found"
if [ ! -x "$AG_NODE" ]; then
  AG_ELECTRON=0
  AG_NODE=$(command -v node 2>/dev/null)
  [ -n "$AG_NODE" ] || ag_refuse "no Node.js to run it"
fi
if [ "$AG_ELECTRON" = 1 ]; then
  ag_out=$(ELECTRON_RUN_AS_NODE=1 "$AG_NODE" "$AG_CLI" "$@")
else
  ag_out=$("$AG_NODE" "$AG_CLI" "$@")
fi
ag_rc=$?
# Exit 2 with no output is the CLI's own refusal (a misconfigured hook); any other failure without an answer is a crash.
if [ -z "$ag_out" ] && [ "$ag_rc" -ne 0 ] && [ "$ag_rc" -ne 2 ]; then
  ag_refuse "it stopped with exit code $ag_rc before answering"
fi
[ -z "$ag_out" ] || printf '%s\\n' "$ag_out"
exit "$ag_rc"
`;
}

/** Writes (or refreshes) the launcher; returns its path. Whole or not at all. */
export function writeLauncher(stateDir: string, program: HookProgram, platform: NodeJS.Platform = process.platform): string {
  const path = launcherPath(stateDir, platform);
  const text = launcherScript(program, platform);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) {
    mkdirSync(pathsFor(platform).join(stateDir, 'bin'), { recursive: true, mode: 0o700 });
    replaceFile(path, text, 0o700);
  }
  return path;
}

export function launcherExists(stateDir: string, platform: NodeJS.Platform = process.platform): boolean {
  return existsSync(launcherPath(stateDir, platform));
}
