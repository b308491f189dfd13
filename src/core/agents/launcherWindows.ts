// The hook launcher on Windows: a .cmd file (it runs under any execution policy, unlike a .ps1), and the one hook
// command every agent's configuration gets. Agents run that command through different shells on Windows — Claude
// Code through PowerShell (with `"shell": "powershell"`), Gemini CLI and the Copilot CLI through PowerShell, VS Code's
// hooks through cmd.exe — so it is written to mean the same in cmd.exe and in PowerShell:
//
//   C:\WINDOWS\system32\cmd.exe /d /c "C:\Users\Ana Lee\AppData\Local\agent-guard\bin\agent-guard-hook.cmd" hook claude; exit $LASTEXITCODE
//
// cmd.exe keeps the quotes of a lone quoted program name with a space in it (`cmd /?`, rule 1), runs the launcher, and
// the launcher ignores the words after the agent's name; PowerShell passes the quoted path on as one argument, and
// `exit $LASTEXITCODE` keeps the launcher's exit code 2 (PowerShell would turn it into 1, which agents let through).
// No text here depends on the machine it is generated on: tests build it for Windows on Linux.

import type { HookProgram } from './hookConfig';

export const WINDOWS_LAUNCHER_NAME = 'agent-guard-hook.cmd';

/**
 * Characters a path in the hook command may not hold: cmd.exe would read `&<>()@^|` and `%` between the quotes
 * (and then drop them), PowerShell would expand `$` and backticks inside double quotes, and `"` ends the quotes.
 */
const UNSAFE_IN_COMMAND = /[&<>()@^|%$`"\u2018\u2019\u201c\u201d\r\n]/;

export class UnsafeLauncherPathError extends Error {}

/** cmd.exe's full path (never a `cmd.exe` found in the agent's working folder). */
export function windowsCmdExe(env: NodeJS.ProcessEnv): string {
  const root = env.SystemRoot || env.SYSTEMROOT || env.windir || 'C:\\Windows';
  const cmd = `${root.replace(/[\\/]+$/, '')}\\System32\\cmd.exe`;
  return UNSAFE_IN_COMMAND.test(cmd) || /\s/.test(cmd) ? 'C:\\Windows\\System32\\cmd.exe' : cmd;
}

/** The hook command for Windows, the same in cmd.exe and PowerShell (see the top of this file). */
export function windowsHookCommand(agent: string, launcher: string, cmdExe: string): string {
  if (UNSAFE_IN_COMMAND.test(launcher)) {
    throw new UnsafeLauncherPathError(
      `the hook launcher's path ${launcher} holds a character that cmd.exe or PowerShell would read (one of & < > ( ) @ ^ | % $ \` or a quote); set AGENT_GUARD_STATE_DIR to a plain folder such as C:\\agent-guard-state and run this again`,
    );
  }
  return `${cmdExe} /d /c "${launcher}" hook ${agent}; exit $LASTEXITCODE`;
}

/** A value for `set "NAME=value"` in a batch file: only `%` is special there (delayed expansion is off). */
function batchLiteral(s: string): string {
  if (/[\r\n"]/.test(s)) throw new UnsafeLauncherPathError(`a path with a quote or a line break cannot go into the hook launcher: ${JSON.stringify(s)}`);
  return s.replace(/%/g, '%%');
}

const DENY_REASON = 'Agent Guard could not check this tool call (%AG_WHY%), so it is refused. Do not retry it; tell the user to run: agent-guard doctor';

/** The launcher's text (CRLF line ends, as cmd.exe expects) for this Node and CLI. */
export function windowsLauncherScript(program: HookProgram): string {
  const lines = [
    '@echo off',
    'rem Agent Guard\'s hook launcher, written by "agent-guard install-hooks" and "Agent Guard: Connect agents...".',
    'rem Every agent\'s hook runs this. It finds the current Agent Guard CLI, so extension updates and moves do not break',
    'rem the hook, and when nothing can run it refuses the tool call instead of letting it through. Do not edit: it is',
    'rem rewritten.',
    'setlocal EnableExtensions DisableDelayedExpansion',
    `set "AG_NODE=${batchLiteral(program.node)}"`,
    `set "AG_CLI=${batchLiteral(program.cli)}"`,
    `set "AG_ELECTRON=${program.electron ? 1 : 0}"`,
    'set "AG_AGENT=%~2"',
    'set "AG_STATE=%~dp0.."',
    // The state folder is the one this launcher lives in, whatever the agent's environment says (see launcher.ts).
    'for %%I in ("%~dp0..") do set "AGENT_GUARD_STATE_DIR=%%~fI"',
    'set "AG_WHY="',
    // Only the agents Agent Guard knows: the words after the name (the PowerShell half of the command) are not passed on.
    'set "AG_KNOWN="',
    'for %%A in (claude copilot cursor codex gemini qwen) do if /i "%AG_AGENT%"=="%%A" set "AG_KNOWN=%%A"',
    'if not defined AG_KNOWN set "AG_WHY=its hook command names no agent it knows"',
    'if not defined AG_KNOWN goto refuse',
    'set "AG_AGENT=%AG_KNOWN%"',
    // The extension moved or was updated: the newest installed copy of the CLI.
    'if exist "%AG_CLI%" goto have_cli',
    'for %%E in (.vscode .vscode-insiders .cursor .vscode-oss) do call :find_cli "%USERPROFILE%\\%%E\\extensions"',
    'if not exist "%AG_CLI%" set "AG_WHY=its command-line tool was not found"',
    'if not exist "%AG_CLI%" goto refuse',
    ':have_cli',
    'if exist "%AG_NODE%" goto have_node',
    'set "AG_ELECTRON=0"',
    'set "AG_NODE="',
    'for %%N in (node.exe) do set "AG_NODE=%%~$PATH:N"',
    'if not defined AG_NODE set "AG_WHY=no Node.js to run it"',
    'if not defined AG_NODE goto refuse',
    ':have_node',
    'set "ELECTRON_RUN_AS_NODE="',
    'if "%AG_ELECTRON%"=="1" set "ELECTRON_RUN_AS_NODE=1"',
    // The answer goes through a file in the private state folder: cmd.exe cannot otherwise tell "no answer" apart.
    'set "AG_OUT=%AG_STATE%\\hook-answer-%RANDOM%%RANDOM%%RANDOM%.tmp"',
    '"%AG_NODE%" "%AG_CLI%" hook %AG_AGENT% > "%AG_OUT%"',
    'set "AG_RC=%ERRORLEVEL%"',
    'set "AG_SIZE=0"',
    'if exist "%AG_OUT%" for %%F in ("%AG_OUT%") do set "AG_SIZE=%%~zF"',
    // Exit 2 with no output is the CLI's own refusal (a misconfigured hook); any other failure without an answer is a crash.
    'if not "%AG_SIZE%"=="0" goto answered',
    'if "%AG_RC%"=="0" goto answered',
    'if "%AG_RC%"=="2" goto answered',
    'del /q "%AG_OUT%" >nul 2>&1',
    'set "AG_WHY=it stopped with exit code %AG_RC% before answering"',
    'goto refuse',
    ':answered',
    'if exist "%AG_OUT%" type "%AG_OUT%"',
    'del /q "%AG_OUT%" >nul 2>&1',
    'exit /b %AG_RC%',
    ':refuse',
    'set "AG_WHEN=%DATE%_%TIME%"',
    'set "AG_WHEN=%AG_WHEN: =_%"',
    'if not defined AG_AGENT set "AG_AGENT=unknown"',
    '>>"%AG_STATE%\\hook-failures.log" echo %AG_WHEN% %AG_AGENT% %AG_WHY%',
    `set "AG_REASON=${DENY_REASON}"`,
    'if /i "%AG_AGENT%"=="gemini" goto refuse_gemini',
    'if /i "%AG_AGENT%"=="cursor" goto refuse_cursor',
    'if /i "%AG_AGENT%"=="copilot" goto refuse_copilot',
    'echo {"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"%AG_REASON%"}}',
    'goto refused',
    ':refuse_gemini',
    'echo {"decision":"deny","reason":"%AG_REASON%"}',
    'goto refused',
    ':refuse_cursor',
    'echo {"permission":"deny","user_message":"%AG_REASON%","agent_message":"%AG_REASON%"}',
    'goto refused',
    ':refuse_copilot',
    'echo {"permissionDecision":"deny","permissionDecisionReason":"%AG_REASON%","hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"%AG_REASON%"}}',
    ':refused',
    '>&2 echo %AG_REASON%',
    'exit /b 2',
    // From inside the folder: a quoted wildcard path is not expanded by every cmd.exe (Wine's).
    ':find_cli',
    'if not exist "%~1\\" exit /b 0',
    'pushd "%~1"',
    'for /d %%D in (agent-guard.agent-guard-*) do if exist "%%~fD\\dist\\cli.js" set "AG_CLI=%%~fD\\dist\\cli.js"',
    'popd',
    'exit /b 0',
  ];
  return lines.join('\r\n') + '\r\n';
}
