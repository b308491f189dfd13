// The agents Agent Guard connects to: their ids and the names a person reads. Shared by the CLI's hook adapters and
// the editor's "Connect agents…", status and watchers.

export const AGENT_IDS = ['copilot', 'claude', 'cursor', 'codex', 'gemini', 'qwen'] as const;
export type AgentId = (typeof AGENT_IDS)[number];

export function isAgentId(x: unknown): x is AgentId {
  return typeof x === 'string' && (AGENT_IDS as readonly string[]).includes(x);
}

export const AGENT_NAMES: Readonly<Record<AgentId, string>> = {
  copilot: 'GitHub Copilot',
  claude: 'Claude Code',
  cursor: 'Cursor',
  codex: 'Codex CLI',
  gemini: 'Gemini CLI',
  qwen: 'Qwen Code',
};
