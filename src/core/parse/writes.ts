// The paths a command writes, replaces, removes or links to, as far as its words show: shared by the rules that
// protect the guard's own files and start-up files, and by the reader of the files a line runs.

import type { Invocation } from './invocation';
import { braceForms } from './pathForms';

/** Editors and in-place tools: every file argument is written. */
const EDITORS = new Set(['vi', 'vim', 'nvim', 'nano', 'emacs', 'ed', 'ex', 'code', 'code-insiders', 'codium', 'cursor', 'sponge', 'chmod', 'chown', 'chattr', 'setfacl', 'shred', 'unlink', 'rm', 'truncate', 'tee']);
/** Programs whose last argument is the file written. */
export const LAST_IS_TARGET = new Set(['cp', 'mv', 'ln', 'install', 'rsync', 'scp']);

/** Compressors that replace each file they are given by the (un)compressed one, unless told to keep it or write stdout. */
const REPLACES_INPUT = new Set(['gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', 'lzma', 'unlzma', 'lzip', 'pigz', 'unpigz', 'pbzip2', 'compress', 'uncompress']);
/** Compressors that remove their input only when asked (`--rm`). */
const REPLACES_WITH_RM = new Set(['zstd', 'unzstd', 'lz4', 'brotli']);

function replacesInput(inv: Invocation): boolean {
  const keeps = inv.args.some((a) => /^-[a-zA-Z0-9]*[cklt]/.test(a) || /^--(stdout|to-stdout|keep|list|test)$/.test(a));
  if (REPLACES_INPUT.has(inv.program)) return !keeps;
  return REPLACES_WITH_RM.has(inv.program) && inv.args.includes('--rm') && !keeps;
}

/** Redirections that write their target. */
export const WRITE_REDIRECT = /^(>|>>|>\||&>|&>>|<>)$/;
/** Programs that remove, rename or change every path they are given. */
const CHANGES_EVERY_PATH = new Set(['rm', 'unlink', 'rmdir', 'shred', 'srm', 'wipe', 'truncate', 'chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'touch']);

/** Commands that change a file's mode, owner or times, never what it holds. */
const KEEPS_CONTENT = new Set(['chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'touch']);

/** The paths whose content a command may change: touchedPaths without a mode, owner or time change (only its redirections). */
export function contentWrites(inv: Invocation): string[] {
  return KEEPS_CONTENT.has(inv.program) ? touchedPaths({ ...inv, args: [] }) : touchedPaths(inv);
}

/**
 * The paths a command writes, replaces, removes or links to, as written: redirections, the target of cp/install/rsync,
 * every path of mv (its sources disappear), editors and in-place editors, dd's of=, find's roots when it deletes or
 * runs a command, tar's and unzip's destination. `links`: also the source of ln (a link into a file lets later writes
 * reach it).
 */
export function touchedPaths(inv: Invocation, links = false): string[] {
  const p = inv.program;
  const out = inv.redirects.filter((r) => WRITE_REDIRECT.test(r.op)).map((r) => r.target?.text ?? '');
  const positional = inv.args.filter((a) => !a.startsWith('-'));
  const targetDir = inv.args.filter((a) => a.startsWith('--target-directory=')).map((a) => a.slice(19)).concat(inv.args.flatMap((a, i) => (a === '-t' && inv.args[i + 1] ? [inv.args[i + 1]] : [])));
  if (p === 'sed' || p === 'perl' || p === 'ruby') {
    if (inv.args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'))) out.push(...positional);
  } else if (p === 'mv' || (p === 'ln' && links)) {
    out.push(...positional, ...targetDir);
  } else if (LAST_IS_TARGET.has(p)) {
    out.push(...positional.slice(-1), ...targetDir);
  } else if (EDITORS.has(p) || CHANGES_EVERY_PATH.has(p) || replacesInput(inv)) {
    out.push(...positional);
  } else if (p === 'dd') {
    out.push(...inv.args.filter((a) => a.startsWith('of=')).map((a) => a.slice(3)));
  } else if (p === 'find') {
    if (inv.args.some((a) => /^-(delete|exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/.test(a))) out.push(...findStarts(inv.args));
  } else if (p === 'tar' || p === 'bsdtar' || p === 'unzip' || p === '7z' || p === 'cpio' || p === 'git') {
    inv.args.forEach((a, i) => {
      if (a === '-C' || a === '--directory' || (p === 'unzip' && a === '-d')) out.push(inv.args[i + 1] ?? '');
      else if (a.startsWith('--directory=')) out.push(a.slice(12));
      else if (p === '7z' && a.startsWith('-o')) out.push(a.slice(2));
    });
  } else if (DOWNLOADERS.has(p)) {
    out.push(...downloadTargets(inv));
  } else if (p === 'cd' || p === 'pushd') {
    out.push(...positional.slice(0, 1));
  }
  return withLineValues(out.filter((x) => x !== ''), inv);
}

/** Paths as written and as the line's own variables make them (`d=.vscode; … > "$d/settings.json"`). */
export function withLineValues(paths: string[], inv: Invocation): string[] {
  const vars = inv.vars;
  // Each word brace expansion makes of it (`{.vscode,/tmp}/settings.json`), as written and with the line's values.
  const words = paths.flatMap((p) => (p.includes('{') ? [...new Set([p, ...braceForms(p)])] : [p]));
  return vars ? words.flatMap((p) => [p, ...vars.variants(p)]) : words;
}

function findStarts(args: readonly string[]): string[] {
  const roots: string[] = [];
  for (const a of args) {
    if (a === '-H' || a === '-L' || a === '-P') continue;
    if (a.startsWith('-') || a === '(' || a === '!') break;
    roots.push(a);
  }
  return roots;
}


/** Programs that write what they fetch to a file the line names. */
const DOWNLOADERS = new Set(['curl', 'wget', 'certutil', 'bitsadmin', 'Invoke-WebRequest', 'Invoke-RestMethod', 'Start-BitsTransfer', 'aria2c']);

/** The files a download writes: curl -o/-O, wget -O/-P, certutil -urlcache URL FILE, bitsadmin /transfer … FILE, -OutFile. */
function downloadTargets(inv: Invocation): string[] {
  const a = inv.args;
  const out: string[] = [];
  const p = inv.program;
  const urlName = (u: string | undefined) => (u ? (u.replace(/[?#].*$/, '').split('/').pop() ?? '') : '');
  if (p === 'certutil') {
    if (a.some((x) => /^[-/]urlcache$/i.test(x))) {
      const pos = a.filter((x) => !/^[-/]/.test(x));
      if (pos.length >= 2) out.push(pos[pos.length - 1]);
    }
    return out;
  }
  if (p === 'bitsadmin') {
    if (a.some((x) => /^\/(transfer|addfile)$/i.test(x))) out.push(a[a.length - 1]);
    return out;
  }
  if (p === 'Invoke-WebRequest' || p === 'Invoke-RestMethod' || p === 'Start-BitsTransfer') {
    a.forEach((x, i) => {
      if (/^-(outfile|o|destination)$/i.test(x) && a[i + 1] !== undefined) out.push(a[i + 1]);
    });
    return out;
  }
  const urls = a.filter((x) => /^[a-z][\w+.-]*:\/\//i.test(x));
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (p === 'curl') {
      if (x === '--output' || x === '-o') out.push(a[++i] ?? '');
      else if (x.startsWith('--output=')) out.push(x.slice(9));
      else if (x === '-O' || x === '--remote-name' || x === '--remote-name-all' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(x)) out.push(...urls.map(urlName));
      else if (/^-[a-zA-Z]*o$/.test(x)) out.push(a[++i] ?? '');
      else if (/^-[a-zA-Z]*o./.test(x) && !x.startsWith('--')) out.push(x.slice(x.indexOf('o') + 1));
    } else if (p === 'wget') {
      if (x === '-O' || x === '--output-document') out.push(a[++i] ?? '');
      else if (x.startsWith('--output-document=')) out.push(x.slice(18));
      else if (/^-[a-zA-Z]*O$/.test(x)) out.push(a[++i] ?? '');
      else if (/^-[a-zA-Z]*O./.test(x) && !x.startsWith('--')) out.push(x.slice(x.indexOf('O') + 1));
    } else if (p === 'aria2c') {
      if (x === '-o' || x === '--out') out.push(a[++i] ?? '');
    }
  }
  // wget with no -O writes the URL's file name where it runs (and -P's folder).
  if (p === 'wget' && !out.length) out.push(...urls.map(urlName));
  return out.filter((x) => x !== '-' && x !== '/dev/null');
}

/**
 * The files a command is handed rather than named: `find … -name 'sett*' -exec sed -i … {} +` edits what find
 * matches anywhere under its start, dot folders included (`$PWD` stands for the folder); `ls .v?code/settings.json
 * | xargs sed -i …` edits what the piped command names. Only for a command that writes the files it is given.
 */
export function handedPaths(inv: Invocation): string[] {
  const parent = inv.parent;
  const written = parent ? touchedPaths(inv) : [];
  if (!parent || !written.length) return [];
  if (parent.program === 'find' && written.some((t) => t.includes('{}'))) {
    return parent.args.flatMap((a, i) => (/^-(i?name|i?path|i?wholename)$/.test(a) && parent.args[i + 1] ? [`$PWD/${parent.args[i + 1].replace(/^\.\//, '')}`] : []));
  }
  if (parent.program === 'xargs' && parent.pipeFrom) return parent.pipeFrom.args.filter((a) => !a.startsWith('-'));
  return [];
}

/** Names a protected file can have inside a folder that holds one (`.vscode`, `.claude`, `.codex`, `.github/hooks`, the state folder). */
const HELD_INSIDE = ['settings.json', 'settings.local.json', 'config.toml', 'hooks.json', 'x'];

/**
 * Where `cp`/`mv`/`install`/`rsync` put files besides their last argument: a source copied into a folder lands as
 * `<folder>/<its name>` (`cp conf/settings.json .vscode/`), and a folder moved away takes what it holds with it
 * (`mv .vscode .vscode.old` moves the folder's label).
 */
export function landsInFolder(p: string, positional: readonly string[], args: readonly string[] = []): string[] {
  if (!LAST_IS_TARGET.has(p)) return [];
  const strip = (x: string) => x.replace(/[\\/]+$/, '');
  // `cp -t DIR a b`, `--target-directory=DIR` (coreutils; rsync's -t keeps times): every positional word is a source.
  const t = p === 'rsync' || p === 'scp' ? -1 : args.findIndex((a) => a === '-t' || a === '--target-directory' || /^-t./.test(a) || a.startsWith('--target-directory='));
  const named = t < 0 ? undefined : args[t].startsWith('--target-directory=') ? args[t].slice(19) : /^-t./.test(args[t]) ? args[t].slice(2) : args[t + 1];
  if (named === undefined && positional.length < 2) return [];
  const dest = strip(named ?? positional[positional.length - 1]);
  const sources = (named === undefined ? positional.slice(0, -1) : positional.filter((x) => x !== named)).map(strip);
  const into = sources.map((s) => `${dest}/${s.split(/[\\/]/).pop()}`);
  const moved = p === 'mv' ? sources.flatMap((s) => HELD_INSIDE.map((f) => `${s}/${f}`)) : [];
  return [...into, ...moved];
}

/** Of landsInFolder's paths, those only supposed (what a moved folder may hold), not named by the line. */
export function supposedInside(p: string, positional: readonly string[]): Set<string> {
  return new Set(p === 'mv' ? positional.slice(0, -1).flatMap((s) => HELD_INSIDE.map((f) => `${s.replace(/[\\/]+$/, '')}/${f}`)) : []);
}
