// Counts tokens in text that carries no recorded usage (Copilot sessions without usage, guarded terminals).
//
// Library: gpt-tokenizer (MIT, pure JavaScript, its BPE ranks ship inside the package: works offline and bundles
// with esbuild). Encoding: o200k_base, the one GPT-4o/GPT-5 models use. For Claude models it is an estimate: Anthropic
// publishes no offline tokenizer. Chosen over js-tiktoken from measurements on this machine (156 KB of code and prose,
// both give the same 43,293 tokens): gpt-tokenizer loads in ~0.3–0.6 s vs 1.4–8.5 s, counts 3–10 MB/s warm vs
// ~1–2 MB/s, and holds ~134 MB RSS vs ~216 MB; its bundle is larger (3.4 MB vs 2.3 MB).

export const TOKENIZER_NAME = 'gpt-tokenizer o200k_base';

type CountFn = (text: string, options?: { disallowedSpecial?: Set<string> }) => number;

let counter: CountFn | undefined;
const NO_SPECIALS = { disallowedSpecial: new Set<string>() };

/** Loaded on first use, so activating the extension does not pay for the ranks table. */
function load(): CountFn {
  if (!counter) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('gpt-tokenizer/encoding/o200k_base') as { countTokens: CountFn };
    counter = mod.countTokens;
  }
  return counter;
}

/** Tokens in `text` under o200k_base. Special-token markers such as `<|endoftext|>` count as plain text. */
export function countTokens(text: string): number {
  if (!text) return 0;
  return load()(text, NO_SPECIALS);
}

/**
 * Tokens in a possibly huge text: counted exactly up to `exactChars`, beyond that scaled from the counted part
 * (terminal output can be megabytes of build log; an estimate is all the meter needs there).
 */
export function estimateTokens(text: string, exactChars = 256 * 1024): number {
  if (text.length <= exactChars) return countTokens(text);
  const sample = text.slice(0, exactChars);
  return Math.round((countTokens(sample) * text.length) / sample.length);
}
