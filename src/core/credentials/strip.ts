// Which variables to remove from guarded terminals' environment, from what a person configured. Removing is
// tightening, so the setting may come from any scope; the VS Code adapter unions the scopes so a workspace file
// can add names but never take away names the person set for their user.

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATTERN = /^[A-Za-z0-9_*]+$/;

export interface StripPlan {
  /** Exact variable names to remove, sorted. */
  names: string[];
  /** Entries that are neither a variable name nor a `*` pattern, for a message naming the setting. */
  invalid: string[];
}

/**
 * Names to strip: each configured entry is a variable name (`RAILWAY_TOKEN`) or a pattern with `*`
 * (`*_TOKEN`, `AWS_*`) matched against the names present in `env`.
 */
export function variablesToStrip(configured: readonly unknown[], env: Readonly<Record<string, string | undefined>> = {}): StripPlan {
  const names = new Set<string>();
  const invalid: string[] = [];
  for (const entry of configured) {
    // A pattern needs some letters: `*` alone would strip PATH and HOME and leave a terminal that cannot run anything.
    if (typeof entry !== 'string' || !PATTERN.test(entry.trim()) || entry.replace(/\*/g, '').trim().length < 3) {
      invalid.push(String(entry));
      continue;
    }
    const e = entry.trim();
    if (NAME.test(e)) {
      names.add(e);
      continue;
    }
    const re = new RegExp(`^${e.split('*').join('[A-Za-z0-9_]*')}$`);
    for (const name of Object.keys(env)) if (re.test(name)) names.add(name);
  }
  return { names: [...names].sort(), invalid };
}
