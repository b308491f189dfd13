// What a command's words say on their own: the program's name in a path, and NAME=value assignments.

export const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
/** A command's own assignments as the shell reads them: `A=1`, `A+=1` (appends), `a[2]=x` (an element). */
export const COMMAND_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?(\+?)=(.*)$/s;

export function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  let b = i >= 0 ? p.slice(i + 1) : p;
  if (b.toLowerCase().endsWith('.exe')) b = b.slice(0, -4);
  return b;
}
