// The files a patch writes (`patch`, `git apply`, `git am`): named in its headers, not on the command line. Each is
// judged as a file the command changes, so a patch that edits a protected file (`.vscode/settings.json`, a hook's
// configuration) is held as an edit of it.

import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';
import { shellQuote } from './shellQuote';

/** A path as git writes one that needs quoting (`"a/\\163ettings.json"`): its C escapes and octal bytes decoded. */
function unquoted(p: string): string {
  const m = /^"(.*)"$/.exec(p);
  if (!m) return p;
  const bytes: number[] = [];
  const s = m[1];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      bytes.push(...Buffer.from(s[i]));
      continue;
    }
    const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1));
    if (oct) {
      bytes.push(parseInt(oct[0], 8) & 0xff);
      i += oct[0].length;
    } else {
      const c = s[++i] ?? '';
      bytes.push(...Buffer.from({ n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' }[c] ?? c));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A mail's parts encoded in base64 or quoted-printable (`git am` of an mbox), decoded after the text. */
function withDecodedParts(text: string): string {
  const parts: string[] = [text];
  for (const m of text.matchAll(/^Content-Transfer-Encoding:[ \t]*(base64|quoted-printable)[ \t]*\n(?:[^\n]+\n)*\n([\s\S]*?)(?=\n\n|\n--|(?![\s\S]))/gim)) {
    parts.push(m[1].toLowerCase() === 'base64' ? Buffer.from(m[2].replace(/\s+/g, ''), 'base64').toString('utf8') : m[2].replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
  }
  return parts.join('\n');
}

/** The paths a unified, context or git diff's headers name (`+++`, `---`, `***`, `rename to`, `diff --git`), decoded. */
export function patchPaths(text: string): string[] {
  const out = new Set<string>();
  const add = (p: string | undefined) => {
    const path = p === undefined ? undefined : unquoted(p.replace(/\t.*$/, '').trim());
    if (path && path !== '/dev/null') out.add(path);
  };
  for (const line of withDecodedParts(text).split('\n')) {
    const header = /^(?:\+\+\+|---|\*\*\*) (.+)$/.exec(line);
    if (header) add(header[1].replace(/\s+\d{4}-\d\d-\d\d[ \d:.+-]*$/, ''));
    // `Index: path` names the file of a diff of any format, a normal diff's (`1c1`) included.
    const index = /^Index: (.+)$/.exec(line);
    if (index) add(index[1]);
    const renamed = /^(?:rename|copy) (?:to|from) (.+)$/.exec(line);
    if (renamed) add(renamed[1]);
    const git = /^diff --git ("[^"]*"|\S+) ("[^"]*"|\S+)$/.exec(line);
    if (git) {
      add(git[1]);
      add(git[2]);
    }
  }
  return [...out];
}

/** A path as patch -pN or git apply -pN (default 1) finds it: N leading folders stripped; both it and the path as written. */
function forms(path: string, strip: number | undefined, dir: string | undefined): string[] {
  const parts = path.split('/');
  const stripped = parts.slice(Math.min(strip ?? 1, parts.length - 1)).join('/');
  return [...new Set([path, stripped])].map((p) => (dir ? `${dir.replace(/\/$/, '')}/${p}` : p));
}

/** Judges what a patch writes as a change to each file it names; TEXT is the patch, FILES the files named to patch. */
function judgePatch(inv: Invocation, host: LauncherHost, texts: string[], strip: number | undefined, dir: string | undefined, files: string[] = []): void {
  const targets = new Set(files);
  for (const t of texts) for (const p of patchPaths(t)) for (const f of forms(p, strip, dir)) targets.add(f);
  if (targets.size) host.script(`touch -- ${[...targets].map(shellQuote).join(' ')}`, inv);
}

/** The patch texts: the files named (read bounded), else what the line feeds on standard input. */
function patchTexts(inv: Invocation, host: LauncherHost, files: string[]): string[] {
  if (!files.length) {
    const fed = host.fed(inv);
    return fed === undefined ? [] : [fed];
  }
  return files.map((f) => host.file(inv, f, 'applies the patch')).filter((t): t is string => t !== undefined);
}

const PATCH_VALUES = ['-p', '-i', '--input', '-d', '--directory', '-o', '--output', '-r', '--reject-file', '-B', '--prefix', '-D', '--ifdef', '-F', '--fuzz', '-V', '--version-control', '-Y', '--basename-prefix', '-z', '--suffix', '-g', '--get', '--quoting-style', '--merge'];

/** `patch [FILE] [< PATCH]`, `-i PATCH`, `-d DIR`, `-pN`. */
export function readPatch(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.parsed({ values: PATCH_VALUES });
  const strip = a.value('-p');
  const input = a.value('-i', '--input');
  const positional = [...a.positionals, ...a.rest];
  // The file named, and where patch writes its output and its rejects.
  const explicit = [positional[0], a.value('-o', '--output'), a.value('-r', '--reject-file')].filter((f): f is string => f !== undefined && f !== '-');
  const patchFile = input ?? positional[1];
  judgePatch(inv, host, patchTexts(inv, host, patchFile !== undefined ? [patchFile] : []), strip !== undefined ? Number(strip) || 0 : undefined, a.value('-d', '--directory'), explicit);
  return true;
}

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

/** `git am [MAILBOX…]`: the patches of the mails named or fed; --abort, --skip, --quit and the like apply none of them. */
const GIT_AM_VALUES = ['-p', '-C', '--directory', '--exclude', '--include', '--whitespace', '--patch-format', '-S', '--gpg-sign', '--resolvemsg', '--quoted-cr', '--empty'];

/**
 * `git apply|am [PATCH…]`, with `-pN` and `--directory=ROOT`, in git's -C folder BASE. git apply's --stat, --numstat,
 * --summary, --check and --build-fake-ancestor only report (the last writes its file), unless --apply is given too.
 */
export function readGitApply(inv: Invocation, host: LauncherHost, from: number, base?: string): void {
  const args = inv.args.slice(from);
  const am = inv.args[from - 1] === 'am';
  if (am && args.some((w) => /^--(abort|skip|quit|show-current-patch)/.test(w))) return;
  const positional: string[] = [];
  let strip: number | undefined;
  let dir: string | undefined;
  const reports = new Set<string>();
  let forced: boolean | undefined;
  const inBase = (p: string) => (base === undefined || p.startsWith('/') ? p : `${base.replace(/\/$/, '')}/${p}`);
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    const short = /^-([pC])(\d*)$/.exec(w);
    if (short) {
      const value = short[2] || args[++i];
      if (short[1] === 'p') strip = Number(value) || 0;
      continue;
    }
    if (am) {
      const eq = w.indexOf('=');
      const name = eq > 0 ? w.slice(0, eq) : w;
      if (name === '--directory') dir = eq > 0 ? w.slice(eq + 1) : args[i + 1];
      if (GIT_AM_VALUES.includes(name) && eq < 0) i++;
      else if (!w.startsWith('-')) positional.push(w);
      continue;
    }
    if (!w.startsWith('--')) {
      if (!w.startsWith('-') || w === '-') positional.push(w);
      continue;
    }
    const eq = w.indexOf('=');
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
    if (option === 'directory') dir = value;
    if (option === 'build-fake-ancestor' && value !== undefined) host.script(`touch -- ${shellQuote(inBase(value))}`, inv);
  }
  if (reports.size && forced !== true) return;
  const root = dir === undefined ? base : inBase(dir);
  judgePatch(inv, host, patchTexts(inv, host, positional.filter((p) => p !== '-').map(inBase)), strip, root);
}
