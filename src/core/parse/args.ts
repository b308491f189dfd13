// Normalised flags, so rules never look at one argv position: `-rf` = `-fr` = `-r -f` = `--recursive --force`,
// and flags after positionals count too (`rm foo -rf`).

export interface ArgSpec {
  /** Options that take a value (`-n`, `--namespace`); long ones may also be written `--namespace=x`. */
  readonly values?: readonly string[];
  /** Single-dash long options (find, terraform): `-destroy` is one option, not `-d -e -s …`. */
  readonly singleDashLong?: boolean;
  /** Options end at the first positional (git's global options, sudo). */
  readonly stopAtPositional?: boolean;
}

export class Args {
  readonly positionals: string[] = [];
  /** Everything after a bare `--`. */
  readonly rest: string[] = [];
  private readonly options = new Map<string, string[]>();
  /** Index in the original args of each positional (for slicing what follows a subcommand). */
  readonly positionalIndex: number[] = [];

  add(name: string, value: string): void {
    const list = this.options.get(name);
    if (list) list.push(value);
    else this.options.set(name, [value]);
  }

  has(...names: string[]): boolean {
    for (const n of names) if (this.options.has(n)) return true;
    return false;
  }

  /** The last value given to any of the names. */
  value(...names: string[]): string | undefined {
    let found: string | undefined;
    for (const n of names) {
      const v = this.options.get(n);
      if (v && v.length) found = v[v.length - 1];
    }
    return found;
  }

  values(...names: string[]): string[] {
    return names.flatMap((n) => this.options.get(n) ?? []);
  }

  names(): string[] {
    return [...this.options.keys()];
  }
}

export function parseArgs(args: readonly string[], spec: ArgSpec = {}): Args {
  const out = new Args();
  const values = spec.values ?? [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.rest.push(...args.slice(i + 1));
      break;
    }
    if (a.length < 2 || a[0] !== '-' || (spec.stopAtPositional && out.positionals.length)) {
      out.positionals.push(a);
      out.positionalIndex.push(i);
      continue;
    }
    if (a.startsWith('--') || spec.singleDashLong) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        out.add(a.slice(0, eq), a.slice(eq + 1));
      } else if (values.includes(a) && i + 1 < args.length) {
        out.add(a, args[++i]);
      } else {
        out.add(a, '');
      }
      continue;
    }
    // A short cluster: -rf, -n5, -nprod
    for (let j = 1; j < a.length; j++) {
      const name = '-' + a[j];
      if (values.includes(name)) {
        const attached = a.slice(j + 1);
        if (attached) out.add(name, attached);
        else if (i + 1 < args.length) out.add(name, args[++i]);
        else out.add(name, '');
        break;
      }
      out.add(name, '');
    }
  }
  return out;
}

/** parseArgs once per spec: an Invocation's `parsed`. */
export function argCache(args: string[]): (spec?: ArgSpec) => Args {
  const cache = new Map<ArgSpec | undefined, Args>();
  return (spec?: ArgSpec) => {
    let a = cache.get(spec);
    if (!a) {
      a = parseArgs(args, spec);
      cache.set(spec, a);
    }
    return a;
  };
}
