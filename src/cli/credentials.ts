// `agent-guard scan-credentials`: every credential an agent working in DIR could read, masked, with what it can
// do and what to use instead. Exit status: 0 none found, 1 found, 64 usage error.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CredentialFinding, findingCode, scanEnvironment, ScanResult, scanWorkspace, createCredentialScanner } from '../core/credentials';
import { Io, parseOptions, UsageError } from './main';

export const SCAN_CREDENTIALS_HELP = `agent-guard scan-credentials [--json] [--no-gitignore] [--environment] [DIR]
    Lists the credentials an agent working in DIR (default: the current directory) could read, masked.
    --no-gitignore  also read what .gitignore ignores (.env files and keys are read either way)
    --environment   also check this process's environment, which terminals started from here inherit
    Exit status: 0 none found, 1 found, 64 usage error.
`;

export async function scanCredentials(argv: string[], io: Io): Promise<number> {
  const { flags, rest } = parseOptions(argv, ['--json', '--no-gitignore', '--environment', '--help']);
  if (flags.has('--help')) {
    io.stdout.write(SCAN_CREDENTIALS_HELP);
    return 0;
  }
  if (rest.length > 1) throw new UsageError(`scan-credentials takes one directory; got ${rest.length}: ${rest.join(' ')}`);
  const dir = path.resolve(rest[0] ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`scan-credentials: ${dir} is not a directory`);
  const scanner = createCredentialScanner();
  const result = await scanWorkspace(dir, { respectGitignore: !flags.has('--no-gitignore') }, scanner);
  const environment = flags.has('--environment') ? await scanEnvironment(process.env, scanner) : [];
  const findings = [...result.findings, ...environment];
  io.stdout.write(flags.has('--json') ? JSON.stringify({ root: result.root, findings: findings.map(publicFinding), stats: result.stats }) + '\n' : formatReport(result, findings));
  return findings.length ? 1 : 0;
}

/** The fields a script can rely on, in a stable order. The fingerprint stays in the process that made it. */
export function publicFinding(f: CredentialFinding): Record<string, unknown> {
  return {
    code: findingCode(f),
    provider: f.provider,
    kind: f.kind,
    label: f.label,
    source: f.source,
    file: f.file,
    line: f.line,
    column: f.column,
    masked: f.masked,
    ...(f.variable ? { variable: f.variable } : {}),
    breadth: f.breadth,
    capability: f.capability,
    suggestion: f.suggestion,
    detector: f.detector,
  };
}

export function formatReport(result: ScanResult, findings: readonly CredentialFinding[]): string {
  const lines: string[] = [];
  const byFile = new Map<string, CredentialFinding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, list] of byFile) {
    lines.push(file);
    for (const f of list) {
      const where = f.source === 'environment' ? `$${f.variable}` : `${f.line}:${f.column}`;
      lines.push(`  ${where}  ${f.label} (${findingCode(f)})  ${f.masked}${f.variable && f.source !== 'environment' ? `  in ${f.variable}` : ''}`);
      lines.push(`      can: ${f.capability}`);
      lines.push(`      instead: ${f.suggestion}`);
    }
    lines.push('');
  }
  const s = result.stats;
  const skipped = Object.entries(s.skipped)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${n} ${why}`)
    .join(', ');
  lines.push(
    `${findings.length ? `${findings.length} credential${findings.length === 1 ? '' : 's'} in ${byFile.size} place${byFile.size === 1 ? '' : 's'}` : 'No credentials found'}` +
      ` — read ${s.filesScanned} files (${(s.bytesScanned / 1e6).toFixed(1)} MB) under ${result.root} in ${(s.durationMs / 1000).toFixed(1)} s${skipped ? `; left out: ${skipped}` : ''}.`,
  );
  return lines.join('\n') + '\n';
}
