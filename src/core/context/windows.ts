// Context windows of models whose transcripts do not state one (Claude, Gemini). Codex and Copilot write the window down; Claude
// Code does not, so Claude models get their published 200k, or 1M when the model id says so or usage already
// exceeds 200k (the 1M beta is invisible in the transcript otherwise).

const CLAUDE_DEFAULT = 200_000;
const CLAUDE_LONG = 1_000_000;

export function knownContextWindow(model: string | undefined, contextTokens: number): number | undefined {
  if (!model) return undefined;
  const m = model.toLowerCase();
  if (m.includes('claude') || m.startsWith('opus') || m.startsWith('sonnet') || m.startsWith('haiku')) {
    if (m.includes('[1m]') || m.includes('-1m') || contextTokens > CLAUDE_DEFAULT) return CLAUDE_LONG;
    return CLAUDE_DEFAULT;
  }
  // Gemini 1.5, 2.x and 3 models read 1,048,576 tokens.
  if (m.startsWith('gemini-') && !m.startsWith('gemini-1.0')) return 1_048_576;
  return undefined;
}
