// The rules' examples (src/core/rules/**: each declaration's `examples: { gated, allowed }`) are test data: the unit
// tests walk them from the sources, and at run time only a few things read them (src/core/agents/hookLoosening.ts,
// `agent-guard rules`). The shipped bundles leave them out: `stripExamples` puts a lazy stand-in
// (src/core/rules/lazyExamples.ts) where each literal was, and `writeExamples` writes the literals, and nothing else,
// to dist/ruleExamples.js, which the stand-in requires the first time something reads an example. The gate then
// neither compiles nor builds some 80 KB of strings and arrays at start.
import ts from 'typescript';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const RULES_DIR = 'src/core/rules';
export const EXAMPLES_FILE = 'ruleExamples.js';
const LAZY = 'lazyExamples';

/** The `{ gated, allowed }` object literals in one rule file, outermost only, in source order. */
export function exampleLiterals(path, source) {
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const names = node.properties.map((p) => p.name?.getText(sf));
      if (names.includes('gated') && names.includes('allowed')) {
        found.push({ start: node.getStart(sf), end: node.getEnd(), text: node.getText(sf) });
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function ruleFiles(dir = RULES_DIR, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) ruleFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The key of a rule file in dist/ruleExamples.js: its path under src/core/rules, with `/`. */
function keyOf(path) {
  return relative(join(process.cwd(), RULES_DIR), path).split(sep).join('/');
}

/** An esbuild plugin: each rule file's example literals become `lazyExamples(file, index)`. */
export const stripExamples = {
  name: 'strip-rule-examples',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]core[\\/]rules[\\/].+\.ts$/ }, (args) => {
      const key = keyOf(args.path);
      if (key === `${LAZY}.ts`) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const literals = exampleLiterals(args.path, source);
      if (!literals.length) return undefined;
      let out = source;
      for (let i = literals.length - 1; i >= 0; i--) out = `${out.slice(0, literals[i].start)}__ruleExamples(${JSON.stringify(key)}, ${i})${out.slice(literals[i].end)}`;
      const depth = key.split('/').length - 1;
      const from = `${depth ? '../'.repeat(depth) : './'}${LAZY}`;
      // One line, first: the lines after it keep their numbers for the source map.
      return { contents: `import { lazyExamples as __ruleExamples } from ${JSON.stringify(from)}; ${out}`, loader: 'ts' };
    });
  },
};

/** Writes every rule file's example literals, in the order stripExamples numbers them, to `outdir`/ruleExamples.js. */
export async function writeExamples(esbuild, outdir, minify) {
  const entries = ruleFiles().flatMap((p) => {
    const literals = exampleLiterals(p, readFileSync(p, 'utf8'));
    return literals.length ? [`${JSON.stringify(keyOf(join(process.cwd(), p)))}: [\n${literals.map((l) => l.text).join(',\n')}\n]`] : [];
  });
  const source = `// The rules' examples (see esbuild.examples.mjs).\nmodule.exports = {\n${entries.join(',\n')}\n};\n`;
  const { code } = await esbuild.transform(source, { loader: 'ts', format: 'cjs', target: 'node20', minify, sourcefile: 'ruleExamples.ts' });
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(outdir, EXAMPLES_FILE), code);
}
