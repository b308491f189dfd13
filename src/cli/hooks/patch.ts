// The V4A patches that Codex's apply_patch and Copilot's apply_patch (and Copilot CLI's `Edit` with GPT models, as a
// raw string) carry: which files a patch adds, updates, moves and deletes, and the lines it changes.

export interface PatchedFile {
  op: 'add' | 'update' | 'delete';
  path: string;
  /** `*** Move to:` of an update. */
  moveTo?: string;
  /** Lines added (`+`) and removed (`-`), without their markers. */
  added: string[];
  removed: string[];
}

export function isPatchText(v: unknown): v is string {
  return typeof v === 'string' && /^\s*\*\*\* Begin Patch/.test(v);
}

export function parsePatch(text: string): PatchedFile[] {
  const out: PatchedFile[] = [];
  let current: PatchedFile | undefined;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\*\*\* (Add|Update|Delete) File:\s*(.+?)\s*$/.exec(line);
    if (header) {
      current = { op: header[1].toLowerCase() as PatchedFile['op'], path: header[2], added: [], removed: [] };
      out.push(current);
      continue;
    }
    const move = /^\*\*\* Move to:\s*(.+?)\s*$/.exec(line);
    if (move && current) {
      current.moveTo = move[1];
      continue;
    }
    if (!current || line.startsWith('***')) continue;
    if (line.startsWith('+')) current.added.push(line.slice(1));
    else if (line.startsWith('-')) current.removed.push(line.slice(1));
  }
  return out;
}
