// Text the extension shows but nobody edits (a hook change's preview, the protection report): a read-only virtual
// document, so no Untitled tab is left behind asking to be saved.

import * as vscode from 'vscode';

export const READONLY_SCHEME = 'agent-guard-view';

const contents = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();

export function registerReadonlyDocuments(): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(READONLY_SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => contents.get(uri.path) ?? '' }),
    changed,
  ];
}

/** Opens (or refreshes) the read-only document `name` with `text`; `name` ends in the extension that picks the language. */
export async function showReadonly(name: string, text: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: READONLY_SCHEME, path: `/${name}` });
  contents.set(uri.path, text);
  changed.fire(uri);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
}
