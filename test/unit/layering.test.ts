// The architecture's layering, read from the source tree: src/core is pure (no vscode, nothing above it), src/gate
// and src/cli run without VS Code, src/vscode never reaches into src/cli, and only src/extension.ts composes.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const REPO = join(__dirname, '..', '..', '..');

/** What each layer may not import: other folders under src/ (by their first name) and the `vscode` module. */
/** The composition roots: src/extension.ts (the gate first), src/afterGate.ts (the rest) and the entry, src/boot.ts. */
const ROOTS = ['src/extension', 'src/afterGate', 'src/boot'];
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  core: ['vscode', 'src/gate', 'src/cli', 'src/vscode', ...ROOTS],
  gate: ['vscode', 'src/cli', 'src/vscode', ...ROOTS],
  cli: ['vscode', 'src/vscode', ...ROOTS],
  vscode: ['src/cli', ...ROOTS],
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module a file names: imports and re-exports (type-only ones too), import() and require(). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Where an import lands: `vscode`, or `src/<layer>` / `src/extension` for the project's own files, else undefined. */
function target(root: string, file: string, spec: string): string | undefined {
  if (spec === 'vscode') return 'vscode';
  if (!spec.startsWith('.')) return undefined;
  const parts = relative(join(root, 'src'), resolve(dirname(file), spec)).split(sep);
  if (parts[0] === '..') return undefined;
  return parts.length === 1 ? `src/${parts[0].replace(/\.ts$/, '')}` : `src/${parts[0]}`;
}

/** Upward imports in the tree at `root`, one line each: `src/core/x.ts imports ../vscode/y (src/vscode)`. */
function layerViolations(root: string): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const layer = relative(join(root, 'src'), file).split(sep)[0];
    const forbidden = FORBIDDEN[layer];
    if (!forbidden) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const to = target(root, file, spec);
      if (to && forbidden.includes(to)) out.push(`${relative(root, file).split(sep).join('/')} imports ${spec} (${to})`);
    }
  }
  return out;
}

describe('layering', () => {
  it('has no upward import in src/: core, gate and cli never import vscode; vscode never imports cli', () => {
    const files = sourceFiles(join(REPO, 'src'));
    assert.ok(files.length > 100, `read the source tree (${files.length} files under ${join(REPO, 'src')})`);
    assert.deepEqual(layerViolations(REPO), []);
  });

  it('finds every kind of upward import planted in a tree', () => {
    const root = mkdtempSync(join(tmpdir(), 'ag-layers-'));
    try {
      const put = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      put('src/core/rules/a.ts', "import type { Uri } from 'vscode';\nimport { x } from '../../gate/server';\nexport { y } from '../../cli/main';\n");
      put('src/core/b.ts', "// import { no } from '../vscode/ui';\nconst s = \"from '../vscode/ui'\";\nexport const c = () => import('../vscode/ui');\n");
      put('src/gate/c.ts', "const m = require('../cli/hooks/runner');\nimport '../extension';\n");
      put('src/vscode/f.ts', "import type { AfterGate } from '../afterGate';\n");
      put('src/vscode/d.ts', "import * as vscode from 'vscode';\nimport { run } from '../cli/hooks/install';\nimport { ok } from '../core/policy';\nimport { fine } from '../gate/client';\n");
      put('src/cli/e.ts', "import { ok } from '../core/policy';\nimport { fine } from '../gate/client';\nimport { bad } from '../vscode/ui';\n");
      put('src/extension.ts', "import * as vscode from 'vscode';\nimport { a } from './vscode/d';\nimport { b } from './cli/e';\n");
      assert.deepEqual(layerViolations(root).sort(), [
        'src/cli/e.ts imports ../vscode/ui (src/vscode)',
        'src/core/b.ts imports ../vscode/ui (src/vscode)',
        'src/core/rules/a.ts imports ../../cli/main (src/cli)',
        'src/core/rules/a.ts imports ../../gate/server (src/gate)',
        'src/core/rules/a.ts imports vscode (vscode)',
        'src/gate/c.ts imports ../cli/hooks/runner (src/cli)',
        'src/gate/c.ts imports ../extension (src/extension)',
        'src/vscode/d.ts imports ../cli/hooks/install (src/cli)',
        'src/vscode/f.ts imports ../afterGate (src/afterGate)',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
