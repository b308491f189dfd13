// Findings as Problems-panel warnings: one per credential, at its place in the file, coded `provider/kind`.

import * as vscode from 'vscode';
import { findingCode, type CredentialFinding } from '../../core/credentials';

export const DIAGNOSTIC_SOURCE = 'Agent Guard';

export function toDiagnostic(f: CredentialFinding): vscode.Diagnostic {
  const range = new vscode.Range(Math.max(0, f.line - 1), Math.max(0, f.column - 1), Math.max(0, f.endLine - 1), Math.max(0, f.endColumn - 1));
  const where = f.variable ? ` in ${f.variable}` : '';
  const d = new vscode.Diagnostic(range, `${f.label} (${f.masked})${where}: ${f.capability} Instead: ${f.suggestion}`, vscode.DiagnosticSeverity.Warning);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = findingCode(f);
  return d;
}

/** Replaces the diagnostics of every file under `folder` with `byFile` (workspace-relative paths). */
export function showFindings(collection: vscode.DiagnosticCollection, folder: vscode.Uri, byFile: ReadonlyMap<string, readonly CredentialFinding[]>): void {
  const prefix = folder.toString().replace(/\/?$/, '/');
  collection.forEach((uri) => {
    if (uri.toString().startsWith(prefix)) collection.delete(uri);
  });
  for (const [file, findings] of byFile) {
    if (findings.length) collection.set(vscode.Uri.joinPath(folder, ...file.split('/')), findings.map(toDiagnostic));
  }
}
