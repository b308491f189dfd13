// Composition root: builds the pieces and registers their Disposables. Nothing else lives here.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Adapters are added here as they land.
}

export function deactivate(): void {}
