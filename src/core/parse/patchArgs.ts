// How `git apply`, `git am` and `patch` apply their patches, read once from their words for the parse (the files a
// patch writes) and for fs.patch-loss (the files it deletes): whether they apply at all, in reverse, with which -pN
// and root, from which files or from standard input. git and GNU patch take any unambiguous prefix of a long option.

/** git apply's long options: git takes any unambiguous prefix of one (`--ap`), and `--no-` before a switch. */
const GIT_APPLY_LONG = ['exclude', 'include', 'no-add', 'stat', 'numstat', 'summary', 'check', 'index', 'intent-to-add', 'cached', 'apply', '3way', 'ours', 'theirs', 'union', 'build-fake-ancestor', 'whitespace', 'ignore-space-change', 'ignore-whitespace', 'reverse', 'unidiff-zero', 'reject', 'allow-overlap', 'verbose', 'quiet', 'inaccurate-eof', 'recount', 'directory', 'allow-empty', 'allow-binary-replacement', 'binary'];
const GIT_APPLY_TAKES = new Set(['exclude', 'include', 'build-fake-ancestor', 'whitespace', 'directory']);
/** Those that only report on the patch: with one of them, nothing is applied unless --apply is given too. */
const GIT_APPLY_REPORTS = new Set(['stat', 'numstat', 'summary', 'check', 'build-fake-ancestor']);

/** The options a long option's NAME (without `--`) may be: itself, or those it is a prefix of (negated after `no-`). */
function gitApplyOption(name: string): { options: string[]; negated: boolean } {
  if (GIT_APPLY_LONG.includes(name)) return { options: [name], negated: false };
  const negated = name.startsWith('no-') && !'no-add'.startsWith(name);
  const bare = negated ? name.slice(3) : name;
  return { options: GIT_APPLY_LONG.filter((o) => o.startsWith(bare)), negated };
}

/** git am's options that take a value; --abort, --skip, --quit and --show-current-patch apply no patch. */
const GIT_AM_VALUES = ['-p', '-C', '--directory', '--exclude', '--include', '--whitespace', '--patch-format', '-S', '--gpg-sign', '--resolvemsg', '--quoted-cr', '--empty'];

/** What a patch command does with its patches. */
export interface PatchRun {
  /** False when it only reports (`--check`, `--stat`…) or stops a session (`git am --abort`). */
  applies: boolean;
  /** The patch files named; none, or `-`, is standard input. */
  files: string[];
  stdin: boolean;
  reverse: boolean;
  strip?: number;
  dir?: string;
  /** git apply --cached: the index alone is written. */
  cached: boolean;
  /** git apply --build-fake-ancestor's file, written even when nothing is applied. */
  ancestor?: string;
}

/** A git short-option cluster (`-vR`, `-vp0`, `-C3`): its flags, and the value of -p or -C (the rest, or the next word). */
function gitShort(w: string, next: () => string | undefined): { flags: string; p?: string } {
  let flags = '';
  for (let k = 1; k < w.length; k++) {
    const c = w[k];
    if (c === 'p' || c === 'C' || c === 'S') {
      const value = k + 1 < w.length ? w.slice(k + 1) : c === 'S' ? '' : next();
      return { flags, p: c === 'p' ? value : undefined };
    }
    flags += c;
  }
  return { flags };
}

/** `git apply ARGS` or `git am ARGS` (AM): how it applies its patches. */
export function gitPatchRun(args: string[], am: boolean): PatchRun {
  const run: PatchRun = { applies: true, files: [], stdin: false, reverse: false, cached: false };
  const reports = new Set<string>();
  let forced: boolean | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === '--') {
      run.files.push(...args.slice(i + 1));
      break;
    }
    if (!w.startsWith('--')) {
      if (!w.startsWith('-') || w === '-') run.files.push(w);
      else {
        const s = gitShort(w, () => args[++i]);
        if (s.p !== undefined) run.strip = Number(s.p) || 0;
        if (!am && s.flags.includes('R')) run.reverse = true;
      }
      continue;
    }
    const eq = w.indexOf('=');
    if (am) {
      const name = eq > 0 ? w.slice(0, eq) : w;
      if (/^--(abort|skip|quit|show-current-patch)/.test(w)) run.applies = false;
      if (name === '--directory') run.dir = eq > 0 ? w.slice(eq + 1) : args[i + 1];
      if (GIT_AM_VALUES.includes(name) && eq < 0) i++;
      continue;
    }
    const { options, negated } = gitApplyOption(eq > 0 ? w.slice(2, eq) : w.slice(2));
    const value = options.length === 1 && GIT_APPLY_TAKES.has(options[0]) && !negated ? (eq > 0 ? w.slice(eq + 1) : args[++i]) : undefined;
    // An ambiguous prefix that could be --apply is taken as it (git stops there: nothing applied either way).
    if (options.includes('apply')) forced = !negated;
    if (options.length !== 1) continue;
    const [option] = options;
    if (GIT_APPLY_REPORTS.has(option)) {
      if (negated) reports.delete(option);
      else reports.add(option);
    }
    if (option === 'reverse') run.reverse = !negated;
    if (option === 'cached') run.cached = !negated;
    if (option === 'directory') run.dir = value;
    if (option === 'build-fake-ancestor' && value !== undefined) run.ancestor = value;
  }
  if (reports.size && forced !== true) run.applies = false;
  run.stdin = !run.files.length || run.files.includes('-');
  run.files = run.files.filter((f) => f !== '-');
  return run;
}

/** GNU patch's long options (getopt_long: any unambiguous prefix is the option). */
const PATCH_LONG = ['backup', 'backup-if-mismatch', 'basename-prefix', 'batch', 'binary', 'context', 'directory', 'dry-run', 'ed', 'force', 'forward', 'fuzz', 'get', 'help', 'ifdef', 'ignore-whitespace', 'input', 'merge', 'no-backup-if-mismatch', 'normal', 'output', 'posix', 'prefix', 'quiet', 'quoting-style', 'read-only', 'reject-file', 'reject-format', 'remove-empty-files', 'reverse', 'set-time', 'set-utc', 'silent', 'strip', 'suffix', 'unified', 'verbose', 'version', 'version-control'];

/** patch's words with each long option written in full (`--rev` is `--reverse`, `--inp=x` is `--input=x`). */
export function patchWords(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === '--') return [...out, ...args.slice(i)];
    const m = /^--([^=]+)(=.*)?$/s.exec(w);
    const found = m ? (PATCH_LONG.includes(m[1]) ? [m[1]] : PATCH_LONG.filter((o) => o.startsWith(m[1]))) : [];
    out.push(found.length === 1 ? `--${found[0]}${m?.[2] ?? ''}` : w);
  }
  return out;
}
