// Files emptied or written over: a redirect from nothing, a program's output onto a file that exists, an archive
// extracted over files, a patch that empties or deletes them. Part of the fs family (re-exported by fs.ts).

import { readdirSync } from 'node:fs';
import { parseArgs } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { archiveMembers, patchLosses, stripPath } from '../overwrites';
import { gitCommand } from './gitCommand';
import { gitPatchRun, patchWords } from '../parse/patchArgs';
import { withDecodedParts } from '../parse/patchTargets';
import { defineRule, joinResources, standIn } from './rule';
import { own } from '../own';

/** Commands that write nothing: with `>` they leave the file empty. */
const NOTHING = new Set(['', ':', 'true']);
const FILTERS_OF_NOTHING = new Set(['cat', 'tac', 'head', 'tail', 'sort', 'uniq', 'rev', 'nl', 'cut', 'tr']);

function emptiesInto(inv: Invocation): boolean {
  if (NOTHING.has(inv.program)) return true;
  // A filter whose only input is nothing (`cat /dev/null > f`, `tac /dev/null > f`).
  if (FILTERS_OF_NOTHING.has(inv.program) && inv.args.length === 1 && inv.args[0] === '/dev/null') return true;
  if (inv.program === 'printf' && inv.args.length === 1 && inv.args[0] === '') return true;
  if (inv.program === 'echo' && inv.args.length === 1 && inv.args[0] === '-n') return true;
  // A bare `echo > f` leaves one empty line. (The Windows readers' `echo` twin with no words stands for a value they
  // do not spell out, so only an `echo` written as such counts.)
  if (inv.program === 'echo' && inv.args.every((a) => /^-[neE]+$/.test(a)) && /^\s*echo(\s|$)/.test(inv.text)) return true;
  // `exec 3> f` opens (and empties) f in the shell itself.
  if (inv.program === 'exec' && inv.args.length === 0) return true;
  return false;
}

/** Sources that leave nothing of a file written from them: `dd if=/dev/zero of=f` overwrites it whole. */
const NOTHING_SOURCE = /^\/dev\/(null|zero|u?random)$/;

/** Files a command empties or overwrites with nothing of their own: `tee f < /dev/null`, `dd of=f`, `sed -i d f`. */
function emptiedFiles(inv: Invocation): string[] {
  const fromNothing = inv.redirects.some((r) => r.op === '<' && NOTHING_SOURCE.test(r.target?.text ?? ''));
  if (inv.program === 'tee' && fromNothing && !inv.args.some((a) => /^-[a-z]*a|^--append$/.test(a))) return inv.args.filter((a) => !a.startsWith('-'));
  if (inv.program === 'dd') {
    const of = inv.args.find((a) => a.startsWith('of='))?.slice(3);
    const src = inv.args.find((a) => a.startsWith('if='))?.slice(3);
    if (of && !of.startsWith('/dev/') && !inv.args.some((a) => /^conv=.*notrunc/.test(a)) && (src ? NOTHING_SOURCE.test(src) : fromNothing)) return [of];
  }
  // `uniq IN OUT` writes OUT: from nothing, it empties it.
  if (inv.program === 'uniq') {
    const operands = inv.args.filter((a) => !a.startsWith('-') || a === '-');
    if (operands.length === 2 && operands[0] === '/dev/null' && !operands[1].startsWith('/dev/')) return [operands[1]];
  }
  if (inv.program === 'sed' && inv.args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'))) {
    const rest = inv.args.filter((a) => !a.startsWith('-'));
    if (rest.length >= 2 && /^(1,\$)?d$/.test(rest[0])) return rest.slice(1);
  }
  return [];
}

export const emptyFile = defineRule({
  id: 'fs.empty-file',
  severity: 'risky',
  summary: 'Empties a file, losing what it held',
  programs: ['*'],
  match(inv) {
    if (emptiesInto(inv)) {
      const targets = inv.redirects.filter((r) => (r.op === '>' || r.op === '>|') && r.target && r.target.text.trim() !== '' && !r.target.text.startsWith('/dev/') && !/^&?\d*$/.test(r.target.text) && !/^[<>]\(/.test(r.target.text)).map((r) => r.target!.text);
      if (targets.length) return { resource: joinResources(targets) };
    }
    const emptied = emptiedFiles(inv);
    if (emptied.length) return { resource: joinResources(emptied) };
    if (inv.program === 'cp' || inv.program === 'install') {
      const a = inv.parsed({ values: ['-t', '--target-directory', '-S', '--suffix', '-m', '--mode', '-o', '--owner', '-g', '--group'] });
      if (a.positionals.length === 2 && a.positionals[0] === '/dev/null' && !a.positionals[1].startsWith('/dev/')) return { resource: a.positionals[1] };
    }
    return null;
  },
  examples: {
    gated: [
      [': > data/orders.csv', 'data/orders.csv'],
      ['> notes.txt', 'notes.txt'],
      ['cat /dev/null > app.db', 'app.db'],
      ['true >| .env', '.env'],
      ['cp /dev/null notes.txt', 'notes.txt'],
      ['echo > notes.txt', 'notes.txt'],
      ['exec 3> app.db', 'app.db'],
      ['tee notes.txt < /dev/null', 'notes.txt'],
      ['dd of=app.db status=none < /dev/null', 'app.db'],
      ['dd if=/dev/zero of=app.db bs=1k count=1', 'app.db'],
      ['sed -i d notes.txt', 'notes.txt'],
      ['tac /dev/null > data/db.txt', 'data/db.txt'],
      ['uniq /dev/null data/db.txt', 'data/db.txt'],
      ["sed -i '1,$d' notes.txt", 'notes.txt'],
    ],
    allowed: ['echo hello > notes.txt', 'ls > files.txt', 'tac log.txt > reversed.txt', 'uniq in.txt out.txt', 'sort /dev/null', ': > /dev/null', 'cp notes.txt backup.txt', 'true', 'exec 2>/dev/null', 'exec 3>&1', 'exec > >(tee build.log)', 'tee -a log.txt < /dev/null', 'tee out.txt < in.txt', 'dd if=disk.img of=copy.img', 'dd if=/dev/zero of=/dev/null count=1', 'sed -i s/a/b/ notes.txt', 'sed -i /^#/d notes.txt'],
  },
});

/** What a command's standard input holds nothing: `< /dev/null`, an empty here-string or heredoc, a pipe from `true`. */
function fedNothing(inv: Invocation): boolean {
  if (inv.redirects.some((r) => r.op === '<' && NOTHING_SOURCE.test(r.target?.text ?? ''))) return true;
  if (inv.stdin !== undefined) return inv.stdin.trim() === '' && !inv.redirects.some((r) => r.body !== undefined && r.target?.text !== undefined && /[$`]/.test(r.target.text));
  const from = inv.pipeFrom;
  if (!from) return false;
  if (NOTHING.has(from.program) && from.program !== '') return true;
  if (from.program === 'cat' && from.args.length && from.args.every((a) => NOTHING_SOURCE.test(a))) return true;
  if (from.program === 'printf' && from.args.length === 1 && from.args[0] === '') return true;
  if (from.program === 'echo' && from.args.length === 1 && from.args[0] === '-n') return true;
  return (DECODERS.has(from.program) || from.program === 'cat') && fedNothing(from) && !from.args.some((a) => !a.startsWith('-'));
}

/** Encoders and decoders that read standard input when given no file: fed nothing, they write nothing. */
const DECODERS = new Set(['base64', 'base32', 'basenc', 'xxd', 'uudecode', 'gunzip', 'zcat', 'bzcat', 'xzcat', 'unxz', 'bunzip2', 'zstdcat']);

/** Words of a short-option cluster that take a value, per program (curl `-sSLo FILE`, wget `-qO FILE`). */
const SHORT_VALUES: Record<string, string> = { curl: 'AbcCdDeEFHKmoPQrtTuUwxXyYz', wget: 'aAbBdDeiIlOoPQRtTUwX' };

interface OutputOption {
  /** Output files named by an option (`-o f`, `--output=f`). */
  files: string[];
  /** URLs on the line (curl -O names its file after the URL's last part). */
  urls: string[];
  remoteName: boolean;
}

/** The files curl or wget write, from their clustered short options and long ones. */
function downloadOutputs(inv: Invocation): OutputOption {
  const letters = own(SHORT_VALUES, inv.program) ?? '';
  const out: OutputOption = { files: [], urls: [], remoteName: false };
  const fileLetter = inv.program === 'curl' ? 'o' : 'O';
  const longs = inv.program === 'curl' ? ['--output'] : ['--output-document'];
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x.startsWith('--')) {
      const [name, value] = x.includes('=') ? [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] : [x, undefined];
      if (longs.includes(name)) out.files.push(value ?? a[++i] ?? '');
      else if (inv.program === 'curl' && (name === '--remote-name' || name === '--remote-name-all')) out.remoteName = true;
      continue;
    }
    if (x.startsWith('-') && x.length > 1) {
      for (let j = 1; j < x.length; j++) {
        const c = x[j];
        if (inv.program === 'curl' && c === 'O') out.remoteName = true;
        if (!letters.includes(c)) continue;
        const value = x.slice(j + 1) || a[++i] || '';
        if (c === fileLetter) out.files.push(value);
        break;
      }
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(x)) out.urls.push(x);
  }
  return out;
}

/** Files a command writes its output onto by an option, and whether that output is nothing (the file is emptied). */
function optionOutputs(inv: Invocation): { files: string[]; empty: boolean } {
  const p = inv.program;
  if (p === 'sort') {
    const a = inv.parsed(SORT_ARGS);
    const files = a.values('-o', '--output');
    if (!files.length) return { files, empty: false };
    const inputs = [...a.positionals, ...a.rest];
    // `sort -o f f` sorts f in place: its lines are kept.
    const inPlace = files.filter((f) => inputs.includes(f));
    const empty = inputs.length ? inputs.every((x) => NOTHING_SOURCE.test(x)) : fedNothing(inv);
    return { files: files.filter((f) => !inPlace.includes(f)), empty };
  }
  if (p === 'curl' || p === 'wget') {
    const o = downloadOutputs(inv);
    const named = o.remoteName ? o.urls.map((u) => u.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '').filter((n) => n && !n.includes(':')) : [];
    const empty = o.urls.length > 0 && o.urls.every((u) => /^file:\/\/(localhost)?\/dev\/(null|zero)$/.test(u));
    return { files: [...o.files, ...named].filter((f) => f !== '-'), empty };
  }
  if (p === 'tee') {
    if (inv.args.some((x) => /^-[a-z]*a/.test(x) || x === '--append')) return { files: [], empty: false };
    return { files: inv.args.filter((x) => !x.startsWith('-')), empty: fedNothing(inv) };
  }
  if (p === 'dd') {
    const of = inv.args.find((x) => x.startsWith('of='))?.slice(3);
    if (!of || inv.args.some((x) => /^conv=.*notrunc/.test(x))) return { files: [], empty: false };
    return { files: [of], empty: false };
  }
  if (DECODERS.has(p) && fedNothing(inv) && !inv.args.some((x) => !x.startsWith('-'))) {
    const files = inv.redirects.filter((r) => (r.op === '>' || r.op === '>|') && r.target && !/^&?\d*$/.test(r.target.text)).map((r) => r.target!.text);
    return { files, empty: true };
  }
  return { files: [], empty: false };
}

const SORT_ARGS = { values: ['-o', '--output', '-k', '--key', '-t', '--field-separator', '-S', '--buffer-size', '-T', '--temporary-directory', '--parallel', '--batch-size', '--files0-from', '--compress-program', '--random-source', '--sort'] };

/** A file that exists, looked up from the line's folder; with no folder known, a path is taken to exist. */
function existingFile(inv: Invocation, path: string): boolean {
  if (path === '' || path.startsWith('/dev/') || path.startsWith('/proc/') || path.startsWith('/tmp/') || path.startsWith('/var/tmp/')) return false;
  const site = inv.site;
  if (!site) return true;
  const abs = site.resolve(path);
  return abs === undefined ? /[$`]/.test(path) : site.isFile(abs);
}

export const outputOver = defineRule({
  id: 'fs.output-over',
  severity: 'risky',
  summary: 'Writes a program’s output over a file that exists (sort -o, curl -o, tee, dd of=), losing what it held',
  programs: ['sort', 'curl', 'wget', 'tee', 'dd', ...DECODERS],
  match(inv) {
    const { files, empty } = optionOutputs(inv);
    // What fs.empty-file already names (`tee f < /dev/null`, `dd if=/dev/zero of=f`) is not said twice.
    const already = new Set(emptiedFiles(inv));
    const hit = files.filter((f) => !already.has(f) && existingFile(inv, f));
    if (!hit.length) return null;
    return { resource: joinResources(hit), detail: empty ? 'with nothing: the file is left empty' : 'the file is replaced by the output' };
  },
  // Whether a file exists is looked up from the repository's root (README.md, LICENSE).
  examples: {
    gated: [
      ['sort -o README.md /dev/null', 'README.md'],
      ['curl -so README.md file:///dev/null', 'README.md'],
      ['curl -sSL --output LICENSE https://example.com/LICENSE', 'LICENSE'],
      ['wget -qO README.md https://example.com/x', 'README.md'],
      ['cat /dev/null | tee README.md', 'README.md'],
      ['npm test | tee LICENSE', 'LICENSE'],
      ['dd if=other.md of=README.md', 'README.md'],
      ["base64 -d <<< '' > README.md", 'README.md'],
      ['curl -O https://example.com/files/README.md', 'README.md'],
    ],
    allowed: ['sort -o sorted-new.txt names.txt', 'sort -o README.md README.md', 'curl -so new-download.bin https://example.com/x', 'curl https://example.com', 'wget -O - https://example.com', 'npm test | tee -a LICENSE', 'npm test | tee new-test.log', "base64 -d <<< 'aGk=' > README.md", 'dd if=a.img of=README.md conv=notrunc', 'curl -o /tmp/x https://example.com'],
  },
});

const TAR_VALUES = { values: ['-f', '--file', '-C', '--directory', '-T', '--files-from', '-X', '--exclude-from', '-b', '--blocking-factor', '-H', '--format', '-I', '--use-compress-program', '--exclude', '--strip-components', '-N', '--newer', '--owner', '--group', '--mode', '--transform', '--xform', '-K', '--starting-file', '-L', '--tape-length', '-V', '--label'] };
const UNZIP_VALUES = { values: ['-d', '-x', '-P', '-I', '-O'] };

/** tar's old style (`tar xzf a.tgz`): the first word is letters alone, with `-` added it reads as the modern form. */
function tarArgs(inv: Invocation): string[] {
  const [first, ...rest] = inv.args;
  return first && /^[A-Za-z]+$/.test(first) && /[xtcrudA]/.test(first) ? [`-${first}`, ...rest] : inv.args;
}

/** Where an extraction writes and from which archive; null when the command does not extract over files. */
function extraction(inv: Invocation): { archive?: string; dest: string } | null {
  if (inv.program === 'unzip') {
    const a = inv.parsed(UNZIP_VALUES);
    if (!a.has('-o') || a.has('-l', '-t', '-v', '-p', '-Z', '-n')) return null;
    return { archive: a.positionals[0], dest: a.value('-d') ?? '.' };
  }
  const a = parseArgs(tarArgs(inv), TAR_VALUES);
  if (!a.has('-x', '--extract', '--get') || a.has('-t', '--list', '-O', '--to-stdout', '-k', '--keep-old-files', '--skip-old-files', '--keep-newer-files', '--to-command')) return null;
  const file = a.value('-f', '--file');
  const fed = inv.redirects.find((r) => r.op === '<' && r.target)?.target?.text;
  return { archive: file === undefined || file === '-' ? fed : file, dest: a.value('-C', '--directory') ?? '.' };
}

export const extractOver = defineRule({
  id: 'fs.extract-over',
  severity: 'risky',
  summary: 'Extracts an archive over files that exist, replacing what they held',
  programs: ['tar', 'bsdtar', 'unzip'],
  match(inv) {
    const x = extraction(inv);
    const site = inv.site;
    if (!x || !site) return null;
    const dest = site.resolve(x.dest);
    if (dest === undefined) return { resource: x.archive ?? standIn(inv), detail: `into ${x.dest}: the folder is not known from the line` };
    const archive = x.archive === undefined ? undefined : site.resolve(x.archive);
    const members = archive === undefined ? undefined : archiveMembers(archive);
    if (members === undefined) {
      // Members not readable (stdin, xz, a large archive): only an empty or new folder is surely not overwritten.
      let entries: string[] = [];
      try {
        entries = readdirSync(dest);
      } catch {
        return null;
      }
      return entries.length ? { resource: x.archive ?? standIn(inv), detail: `into ${x.dest}, which holds files; the archive's members could not be read` } : null;
    }
    const over = members.filter((m) => !m.split('/').includes('..') && site.isFile(`${dest}/${m.replace(/^\/+/, '')}`));
    if (!over.length) return null;
    const shown = over.map((m) => (x.dest === '.' ? m.replace(/^\.\//, '') : `${x.dest.replace(/\/+$/, '')}/${m.replace(/^\.\//, '')}`));
    return shown.length <= 3 ? { resource: joinResources(shown) } : { resource: x.archive ?? standIn(inv), detail: `replaces ${shown.length} files that exist, e.g. ${shown.slice(0, 3).join(', ')}` };
  },
  // Extracts into the repository's root, where test/fixtures holds archives whose members exist or not.
  examples: {
    gated: [
      ['tar -xf test/fixtures/overwrites/license.tar', 'LICENSE'],
      ['tar xzf test/fixtures/overwrites/license.tgz', 'LICENSE'],
      ['unzip -o test/fixtures/overwrites/license.zip', 'LICENSE'],
      ['tar -x -f - < incoming.tar', 'incoming.tar'], ['cat incoming.tar | tar -x', 'tar'],
    ],
    allowed: ['tar -xf test/fixtures/overwrites/new-file.tar', 'tar -tf test/fixtures/overwrites/license.tar', 'tar -xkf test/fixtures/overwrites/license.tar', 'tar -xf test/fixtures/overwrites/license.tar -C /tmp/agent-guard-empty-dir', 'unzip test/fixtures/overwrites/license.zip', 'tar -czf backup.tgz data'],
  },
});

const PATCH_VALUES = { values: ['-p', '--strip', '-i', '--input', '-d', '--directory', '-o', '--output', '-r', '--reject-file', '-D', '--ifdef', '-F', '--fuzz', '-z', '--suffix', '-B', '--prefix', '-V', '--version-control', '-g', '--get', '--quoting-style'] };
/** The files a command's standard input comes from: `< FILE`, or `cat FILE… |`; TEXT when the line holds it. */
function fedInput(inv: Invocation): { files: string[]; text?: string } {
  const redirected = inv.redirects.find((r) => r.op === '<' && r.target)?.target?.text;
  if (redirected !== undefined) return { files: [redirected] };
  const from = inv.pipeFrom;
  if (inv.stdin === undefined && from?.program === 'cat' && !from.argWords.some((w) => w.dynamic)) return { files: from.args.filter((a) => !a.startsWith('-')) };
  return { files: [], text: inv.stdin };
}

/** The diff a patch command reads and how it applies it; null when it does not change the working tree. */
function patchInput(inv: Invocation): { sources: string[]; stdin?: string; reverse: boolean; strip: number; dir?: string } | null {
  if (inv.program === 'patch') {
    const a = parseArgs(patchWords(inv.args), PATCH_VALUES);
    if (a.has('--dry-run', '-o', '--output')) return null;
    const input = a.value('-i', '--input') ?? a.positionals[1];
    const fed = input === undefined || input === '-' ? fedInput(inv) : { files: [input] };
    const strip = Number(a.value('-p', '--strip') ?? '0');
    return { sources: fed.files, stdin: fed.text, reverse: a.has('-R', '--reverse'), strip: Number.isFinite(strip) ? strip : 0, dir: a.value('-d', '--directory') };
  }
  const g = gitCommand(inv);
  if (!g || (g.sub !== 'apply' && g.sub !== 'am')) return null;
  // `--cached` writes the index alone; `--check`, `--stat`… only look, unless `--apply` says to apply as well.
  const run = gitPatchRun(g.args, g.sub === 'am');
  if (!run.applies || run.cached) return null;
  const fed = run.stdin ? fedInput(inv) : { files: [] };
  return { sources: [...run.files, ...fed.files], stdin: fed.text, reverse: run.reverse, strip: run.strip ?? 1, dir: run.dir };
}

export const patchLoss = defineRule({
  id: 'fs.patch-loss',
  severity: 'risky',
  summary: 'Applies a patch that deletes files or removes every line of them',
  programs: ['patch', 'git'],
  match(inv) {
    const p = patchInput(inv);
    if (!p) return null;
    const texts: string[] = [];
    if (p.stdin !== undefined) texts.push(p.stdin);
    for (const s of p.sources) {
      const abs = inv.site?.resolve(s);
      const r = abs === undefined ? undefined : inv.site!.read(abs);
      if (r?.ok) texts.push(r.text);
    }
    const lost = texts.flatMap((t) => patchLosses(withDecodedParts(t), p.reverse));
    if (!lost.length) return null;
    const paths = lost.map((l) => stripPath(l.path, p.strip));
    return { resource: joinResources(paths), detail: lost.some((l) => l.how === 'deleted') ? 'the patch deletes them' : 'the patch leaves them empty' };
  },
  // The patches are read from the repository's root (test/fixtures).
  examples: {
    gated: [
      ['patch -s -p0 < test/fixtures/overwrites/empty-notes.diff', 'notes.txt'],
      ['git apply test/fixtures/overwrites/delete-notes.diff', 'notes.txt'],
      ['patch -p1 -i test/fixtures/overwrites/delete-notes.diff', 'notes.txt'],
      ['git apply -R test/fixtures/overwrites/add-notes.diff', 'notes.txt'],
    ],
    allowed: ['git apply test/fixtures/overwrites/add-notes.diff', 'patch -p1 < test/fixtures/overwrites/add-notes.diff', 'git apply --check test/fixtures/overwrites/delete-notes.diff', 'patch --dry-run -p0 < test/fixtures/overwrites/empty-notes.diff', 'git apply --stat x.diff'],
  },
});
