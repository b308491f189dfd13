// What the git rules share: the subcommand past git's global options, and the shape of a rule on one subcommand.

import { Args, parseArgs } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { defineRule, GatedExample, RuleMatch } from './rule';

/** Global options that point git at another repository than the working folder's. */
export const ELSEWHERE = ['-C', '--git-dir', '--work-tree'];
const GLOBAL_VALUE_OPTIONS = ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix'];

export interface GitCommand {
  sub: string;
  args: string[];
}

/** The git subcommand and its own arguments, past git's global options (`git -C dir -c k=v push …`). */
export function gitCommand(inv: Invocation): GitCommand | null {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (GLOBAL_VALUE_OPTIONS.includes(x)) {
      i++;
      continue;
    }
    if (x.startsWith('-')) continue;
    return { sub: x, args: a.slice(i + 1) };
  }
  return null;
}

export function gitRule(
  id: string,
  severity: 'risky' | 'destructive',
  summary: string,
  subs: readonly string[],
  values: readonly string[],
  match: (args: Args) => RuleMatch | null,
  examples: { gated: GatedExample[]; allowed: string[] },
) {
  return defineRule({
    id,
    severity,
    summary,
    programs: ['git'],
    match(inv) {
      const g = gitCommand(inv);
      if (!g || !subs.includes(g.sub)) return null;
      const m = match(parseArgs(g.args, { values }));
      // `git -C ../api push -f` pushes another repository's branch: the working folder does not name it.
      if (m?.inPlace && (inv.args.slice(0, inv.args.length - g.args.length).some((x) => ELSEWHERE.includes(x.split('=')[0])) || inv.env.GIT_DIR || inv.env.GIT_WORK_TREE)) delete m.inPlace;
      return m;
    },
    examples,
  });
}
