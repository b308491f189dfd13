// How each real agent CLI is pointed at the mock model, run headless in each of its permission modes, and which tool
// names it offers for a shell command and a patch. One throwaway HOME (and CODEX_HOME, COPILOT_HOME) per run.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScriptedCall } from './mock';

export type AgentKey = 'claude' | 'gemini' | 'codex' | 'copilot' | 'qwen';

export interface Sandbox {
  root: string;
  home: string;
  project: string;
  state: string;
}

export interface Driver {
  key: AgentKey;
  /** Its program under the provisioned bin folder. */
  bin: string;
  /** Permission modes, each with the flags that let the tool run with no person there (the control must run it). */
  modes: Record<string, string[]>;
  shell(command: string): ScriptedCall;
  /** A patch adding one file, in the agent's own patch or write tool. */
  addFile(path: string, content: string): ScriptedCall;
  /** Writes the agent's own configuration for the mock model; returns the environment to run it with. */
  configure(box: Sandbox, port: number): NodeJS.ProcessEnv;
  args(prompt: string, modeFlags: string[]): string[];
}

const common = (box: Sandbox): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: box.home,
  USER: 'tester',
  LANG: 'C.UTF-8',
  TERM: 'dumb',
  NO_COLOR: '1',
  CI: '1',
  TMPDIR: join(box.root, 'tmp'),
  XDG_CONFIG_HOME: join(box.home, '.config'),
  XDG_CACHE_HOME: join(box.home, '.cache'),
  XDG_DATA_HOME: join(box.home, '.local', 'share'),
  XDG_STATE_HOME: join(box.home, '.local', 'state'),
  AGENT_GUARD_STATE_DIR: box.state,
  KUBECONFIG: join(box.home, 'no-kubeconfig'),
});

const addPatch = (path: string, content: string): string => `*** Begin Patch\n*** Add File: ${path}\n${content.split('\n').map((l) => `+${l}`).join('\n')}\n*** End Patch\n`;

export const DRIVERS: Record<AgentKey, Driver> = {
  claude: {
    key: 'claude',
    bin: 'claude',
    modes: {
      default: ['--permission-mode', 'default', '--allowedTools', 'Bash,Write'],
      acceptEdits: ['--permission-mode', 'acceptEdits', '--allowedTools', 'Bash'],
      dontAsk: ['--permission-mode', 'dontAsk', '--allowedTools', 'Bash,Write'],
      bypassPermissions: ['--permission-mode', 'bypassPermissions'],
    },
    shell: (command) => ({ name: 'Bash', args: { command, description: 'Run a command' } }),
    addFile: (path, content) => ({ name: 'Write', args: { file_path: path, content } }),
    configure(box, port) {
      mkdirSync(join(box.home, '.claude'), { recursive: true });
      return {
        ...common(box),
        ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`,
        ANTHROPIC_API_KEY: 'sk-ant-mock',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        IS_SANDBOX: '1',
      };
    },
    args: (prompt, flags) => ['-p', prompt, '--output-format', 'json', '--model', 'claude-sonnet-4-5', ...flags],
  },
  gemini: {
    key: 'gemini',
    bin: 'gemini',
    modes: {
      // Headless Gemini refuses what needs a confirmation; a policy file (its Policy Engine) allows the tools instead.
      default: ['--approval-mode', 'default', '--policy', '{home}/.gemini/allow-tools.toml'],
      auto_edit: ['--approval-mode', 'auto_edit', '--policy', '{home}/.gemini/allow-shell.toml'],
      // Not run: `auto` asks the model itself to classify each call, which a scripted model cannot answer meaningfully.
      yolo: ['--approval-mode', 'yolo'],
    },
    shell: (command) => ({ name: 'run_shell_command', args: { command, description: 'Run a command' } }),
    addFile: (path, content) => ({ name: 'write_file', args: { file_path: path, content } }),
    configure(box, port) {
      mkdirSync(join(box.home, '.gemini'), { recursive: true });
      const settings = join(box.home, '.gemini', 'settings.json');
      const kept = existsSync(settings) ? (JSON.parse(readFileSync(settings, 'utf8')) as Record<string, unknown>) : {};
      writeFileSync(settings, JSON.stringify({ ...kept, security: { auth: { selectedType: 'gemini-api-key' } }, general: { disableAutoUpdate: true }, privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false } }, null, 2));
      const rule = (tool: string) => `[[rule]]\ntoolName = "${tool}"\ndecision = "allow"\npriority = 100\n`;
      writeFileSync(join(box.home, '.gemini', 'allow-tools.toml'), rule('run_shell_command') + rule('write_file'));
      writeFileSync(join(box.home, '.gemini', 'allow-shell.toml'), rule('run_shell_command'));
      return { ...common(box), GOOGLE_GEMINI_BASE_URL: `http://127.0.0.1:${port}`, GEMINI_API_KEY: 'mock', GEMINI_CLI_TRUST_WORKSPACE: 'true', GEMINI_CLI_NO_RELAUNCH: 'true' };
    },
    args: (prompt, flags) => ['-p', prompt, '--model', 'gemini-2.5-flash', ...flags],
  },
  codex: {
    key: 'codex',
    bin: 'codex',
    modes: {
      // codex exec never asks; its default read-only sandbox refuses every write by itself.
      'workspace-write': ['--sandbox', 'workspace-write'],
      'danger-full-access': ['--sandbox', 'danger-full-access'],
      bypass: ['--dangerously-bypass-approvals-and-sandbox'],
    },
    shell: (command) => ({ name: 'exec_command', args: { cmd: command } }),
    addFile: (path, content) => ({ name: 'apply_patch', args: addPatch(path, content) }),
    configure(box, port) {
      const codexHome = join(box.home, '.codex');
      mkdirSync(codexHome, { recursive: true });
      // A later run in the same home keeps what is there (the hook's trust) and only points at this run's mock.
      const config = join(codexHome, 'config.toml');
      const provider = `model = "gpt-5.5"\nmodel_provider = "mock"\n\n[model_providers.mock]\nname = "mock"\nbase_url = "http://127.0.0.1:${port}/v1"\nenv_key = "MOCK_API_KEY"\nwire_api = "responses"\nrequest_max_retries = 0\nstream_max_retries = 0\n`;
      writeFileSync(config, existsSync(config) ? readFileSync(config, 'utf8').replace(/http:\/\/127\.0\.0\.1:\d+\/v1/, `http://127.0.0.1:${port}/v1`) : provider);
      return { ...common(box), CODEX_HOME: codexHome, MOCK_API_KEY: 'mock' };
    },
    args: (prompt, flags) => ['exec', '--skip-git-repo-check', ...flags, prompt],
  },
  copilot: {
    key: 'copilot',
    bin: 'copilot',
    modes: {
      'allow-all-tools': ['--allow-all-tools'],
      yolo: ['--yolo'],
      autopilot: ['--autopilot', '--allow-all-tools'],
    },
    shell: (command) => ({ name: 'bash', args: { command, description: 'Run a command' } }),
    addFile: (path, content) => ({ name: 'apply_patch', args: addPatch(path, content) }),
    configure(box, port) {
      const copilotHome = join(box.home, '.copilot');
      mkdirSync(copilotHome, { recursive: true });
      return {
        ...common(box),
        COPILOT_HOME: copilotHome,
        COPILOT_PROVIDER_BASE_URL: `http://127.0.0.1:${port}/v1`,
        COPILOT_PROVIDER_TYPE: 'openai',
        COPILOT_PROVIDER_WIRE_API: 'responses',
        COPILOT_PROVIDER_API_KEY: 'mock',
        COPILOT_MODEL: 'gpt-5.4',
        COPILOT_OFFLINE: 'true',
        COPILOT_AUTO_UPDATE: 'false',
      };
    },
    args: (prompt, flags) => ['-p', prompt, ...flags],
  },
  qwen: {
    key: 'qwen',
    bin: 'qwen',
    modes: {
      // Headless Qwen refuses what needs a confirmation; --allowed-tools skips it for the named tools. Its rules read a
      // shell rm as an edit ("Matching deny rule: edit"), so edit is allowed too.
      default: ['--approval-mode', 'default', '--allowed-tools', 'run_shell_command,write_file,edit'],
      'auto-edit': ['--approval-mode', 'auto-edit', '--allowed-tools', 'run_shell_command'],
      // Not run: `auto` asks the model itself to classify each call, which a scripted model cannot answer meaningfully.
      yolo: ['--approval-mode', 'yolo'],
    },
    shell: (command) => ({ name: 'run_shell_command', args: { command, description: 'Run a command' } }),
    addFile: (path, content) => ({ name: 'write_file', args: { file_path: path, content } }),
    configure(box, port) {
      mkdirSync(join(box.home, '.qwen'), { recursive: true });
      const settings = join(box.home, '.qwen', 'settings.json');
      const kept = existsSync(settings) ? (JSON.parse(readFileSync(settings, 'utf8')) as Record<string, unknown>) : {};
      writeFileSync(settings, JSON.stringify({ ...kept, security: { auth: { selectedType: 'openai' } }, general: { disableAutoUpdate: true }, privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false } }, null, 2));
      return { ...common(box), OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_API_KEY: 'mock', OPENAI_MODEL: 'qwen3-coder-plus', QWEN_CODE_NO_RELAUNCH: 'true' };
    },
    args: (prompt, flags) => ['-p', prompt, '--auth-type', 'openai', '--model', 'qwen3-coder-plus', ...flags],
  },
};

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the agent to its end (or kills it after timeoutMs). */
export function runAgent(binDir: string, d: Driver, box: Sandbox, env: NodeJS.ProcessEnv, prompt: string, modeFlags: string[], timeoutMs = 90_000): Promise<RunResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const flags = modeFlags.map((f) => f.replace('{home}', box.home));
    const child = spawn(join(binDir, d.bin), d.args(prompt, flags), { cwd: box.project, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
