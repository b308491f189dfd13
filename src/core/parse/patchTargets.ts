// The files a patch writes (`patch`, `git apply`, `git am`): named in its headers, not on the command line. Each is
// judged as a file the command changes, so a patch that edits a protected file (`.vscode/settings.json`, a hook's
// configuration) is held as an edit of it.

import { parseArgs } from './args';
import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';
import { gitPatchRun, patchWords } from './patchArgs';
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
export function withDecodedParts(text: string): string {
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

/**
 * The patch texts: the files named (read bounded), else what the line feeds on standard input. A patch the line does
 * not show (piped from a program whose output is not known, a name built when the line runs) is not understood: it
 * may delete or rewrite any file.
 */
function patchTexts(inv: Invocation, host: LauncherHost, files: string[], stdin = !files.length): string[] {
  const fed = stdin ? host.fed(inv) : undefined;
  const from = inv.pipeFrom;
  const piped = from !== undefined && !(from.program === 'cat' && !from.argWords.some((w) => w.dynamic));
  const fedUnseen = stdin && fed === undefined && (piped || inv.redirects.some((r) => r.op === '<' && r.target?.dynamic));
  if (fedUnseen || inv.argsFromStdin || inv.argWords.some((w) => w.dynamic)) host.error(`${inv.program} applies a patch the line does not show`);
  const texts = files.map((f) => host.file(inv, f, 'applies the patch')).filter((t): t is string => t !== undefined);
  return fed === undefined ? texts : [fed, ...texts];
}

const PATCH_VALUES = ['-p', '--strip', '-i', '--input', '-d', '--directory', '-o', '--output', '-r', '--reject-file', '-B', '--prefix', '-D', '--ifdef', '-F', '--fuzz', '-V', '--version-control', '-Y', '--basename-prefix', '-z', '--suffix', '-g', '--get', '--quoting-style', '--merge'];

/** `patch [FILE] [< PATCH]`, `-i PATCH`, `-d DIR`, `-pN`. */
export function readPatch(inv: Invocation, host: LauncherHost): boolean {
  const a = parseArgs(patchWords(inv.args), { values: PATCH_VALUES });
  const strip = a.value('-p', '--strip');
  const input = a.value('-i', '--input');
  const positional = [...a.positionals, ...a.rest];
  // The file named, and where patch writes its output and its rejects.
  const explicit = [positional[0], a.value('-o', '--output'), a.value('-r', '--reject-file')].filter((f): f is string => f !== undefined && f !== '-');
  const patchFile = input ?? positional[1];
  judgePatch(inv, host, patchTexts(inv, host, patchFile !== undefined ? [patchFile] : []), strip !== undefined ? Number(strip) || 0 : undefined, a.value('-d', '--directory'), explicit);
  return true;
}

/**
 * `git apply|am [PATCH…]`, with `-pN` and `--directory=ROOT`, in git's -C folder BASE. git apply's --stat, --numstat,
 * --summary, --check and --build-fake-ancestor only report (the last writes its file), unless --apply is given too.
 */
export function readGitApply(inv: Invocation, host: LauncherHost, from: number, base?: string): void {
  const run = gitPatchRun(inv.args.slice(from), inv.args[from - 1] === 'am');
  const inBase = (p: string) => (base === undefined || p.startsWith('/') ? p : `${base.replace(/\/$/, '')}/${p}`);
  if (run.ancestor !== undefined) host.script(`touch -- ${shellQuote(inBase(run.ancestor))}`, inv);
  if (!run.applies) return;
  const root = run.dir === undefined ? base : inBase(run.dir);
  judgePatch(inv, host, patchTexts(inv, host, run.files.map(inBase), run.stdin), run.strip, root);
}
