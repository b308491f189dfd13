// In the shipped bundles, each rule's `examples` is this stand-in (esbuild.examples.mjs puts it where the literal was):
// the examples themselves sit in ruleExamples.js beside the bundle and load the first time something reads one, so
// starting the gate does not compile or build them. The sources, and the tests that walk them, keep the literals.
import { join } from 'node:path';
import type { Rule } from './rule';

type Examples = Rule['examples'];

/** The file beside the bundle that esbuild.examples.mjs writes. */
export const EXAMPLES_FILE = 'ruleExamples.js';

let loaded: Readonly<Record<string, readonly Examples[]>> | undefined;

function load(file: string, index: number): Examples {
  if (!loaded) {
    const path = join(__dirname, EXAMPLES_FILE);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(path) as Record<string, readonly Examples[]>;
    } catch (e) {
      throw new Error(`the rules' examples could not be loaded from ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const examples = loaded[file]?.[index];
  if (!examples) throw new Error(`the rules' examples file ${join(__dirname, EXAMPLES_FILE)} has no examples #${index} for ${file}: it does not belong to this bundle`);
  return examples;
}

/** The examples numbered `index` in the rule file `file` (a path under src/core/rules), read when first used. */
export function lazyExamples(file: string, index: number): Examples {
  return {
    get gated() {
      return load(file, index).gated;
    },
    get allowed() {
      return load(file, index).allowed;
    },
  };
}
