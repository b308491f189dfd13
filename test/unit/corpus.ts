// Loads the labelled corpus in test/corpus/*.jsonl (shared by the corpus test, the fuzz test and the bench).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../../src/core/types';

export interface CorpusEntry {
  cmd: string;
  /** Expected decision in a production workspace. */
  prod: Verdict;
  /** Expected decision in a development workspace, when it matters. */
  dev?: Verdict;
  /** Rule ids expected in the production decision. */
  rules?: string[];
  /** What a person must type in production. */
  resource?: string;
  note?: string;
  file: string;
  line: number;
}

export const CORPUS_DIR = join(__dirname, '..', '..', '..', 'test', 'corpus');

export function loadCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    readFileSync(join(dir, file), 'utf8').split('\n').forEach((text, i) => {
      if (!text.trim() || text.trimStart().startsWith('#')) return;
      out.push({ ...JSON.parse(text), file, line: i + 1 });
    });
  }
  return out;
}

