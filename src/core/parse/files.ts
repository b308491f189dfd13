// The files a command runs inside the checked shell, read when the line is checked: `. file` and `source file`,
// `bash file` / `sh file`, `./script`, `make` (the recipes of the targets named, or the default goal, and what they
// depend on), and package.json scripts run by npm, yarn, pnpm and bun. What they hold is judged with the line.

import { posix } from 'node:path';
import type { Site } from '../site';
import type { Invocation } from './invocation';
import { own } from '../own';

/** A script to judge, and the file it came from (shown with what it holds). */
export interface FileScript {
  text: string;
  file: string;
}

export interface FilesRun {
  scripts: FileScript[];
  errors: string[];
}

const SHELL_INTERPRETERS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'busybox']);

/** How a file the line runs is found: missing is nothing to judge, unless this line writes it first. */
export interface FileReader {
  site: Site;
  /** Whether the line, before this command, writes this absolute path (`cp /bin/rm ./x && ./x …`). */
  writtenBefore(abs: string): boolean;
}

function read(r: FileReader, word: string, out: FilesRun, why: string): string | undefined {
  // `<(…)`: a file another command on the line writes as it is read.
  if (/^[<>]\(/.test(word)) {
    out.errors.push(`${why} ${word.slice(0, 60)}, which a command on the line writes as it is read`);
    return undefined;
  }
  const all = r.site.resolveAll(word);
  const abs = all.find((a) => r.site.isFile(a)) ?? all[0];
  if (abs === undefined) return undefined;
  // What the file holds on disk now is not what runs when the line writes it first (`echo … > s.sh; bash s.sh`).
  if (r.writtenBefore(abs)) {
    out.errors.push(`${why} ${word}, which this line writes before running it`);
    return undefined;
  }
  const res = r.site.read(abs);
  if (res.ok) return res.text;
  if (!res.missing || r.writtenBefore(abs)) out.errors.push(res.missing ? `${why} ${word}, which this line writes before running it` : `${why} ${word}, but ${res.why}`);
  return undefined;
}

/** A file's text, read bounded as a script is (`bash -s < f`, `cat f | sh`, `at -f f`); its errors in `out`. */
export function fileText(r: FileReader, word: string, why: string): FilesRun {
  const out: FilesRun = { scripts: [], errors: [] };
  const text = read(r, word, out, why);
  if (text !== undefined) out.scripts.push({ text, file: word });
  return out;
}

/** The scripts a sourced file, a shell's script file or a program run by path holds. */
export function scriptFile(r: FileReader, word: string, how: 'source' | 'shell' | 'path'): FilesRun {
  const out: FilesRun = { scripts: [], errors: [] };
  if (how === 'path') {
    const all = r.site.resolveAll(word);
    const abs = all.find((a) => r.site.isFile(a)) ?? all[0];
    if (abs === undefined) return out;
    if (r.writtenBefore(abs)) {
      out.errors.push(`runs ${word}, which this line writes before running it`);
      return out;
    }
    const head = r.site.peek(abs, 256);
    if (head === undefined) return out;
    // A compiled program is judged by what it is (renamed programs), not read as a script.
    if (isBinary(head)) return out;
    const interpreter = shebang(head);
    if (interpreter !== undefined && !SHELL_INTERPRETERS.has(interpreter)) return out;
  }
  const text = read(r, word, out, how === 'source' ? 'sources' : 'runs');
  if (text !== undefined) out.scripts.push({ text, file: word });
  return out;
}

function isBinary(head: Buffer): boolean {
  if (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return true;
  return head.includes(0);
}

/** The interpreter a `#!` line names (`#!/usr/bin/env bash` is bash); undefined without one. */
function shebang(head: Buffer): string | undefined {
  const text = head.toString('utf8');
  if (!text.startsWith('#!')) return undefined;
  const words = text.slice(2).split('\n')[0].trim().split(/\s+/);
  let prog = posix.basename(words[0] ?? '');
  if (prog === 'env') prog = posix.basename(words.slice(1).find((w) => !w.startsWith('-') && !w.includes('=')) ?? '');
  return prog;
}

const MAKE_VALUE_OPTIONS = new Set(['-f', '--file', '--makefile', '-C', '--directory', '-I', '--include-dir', '-j', '--jobs', '-l', '--load-average', '-o', '--old-file', '--assume-old', '-W', '--what-if', '--new-file', '--assume-new', '-O', '--output-sync', '--eval']);
/** Options after which make runs no recipe. */
const MAKE_NOT_RUNNING = new Set(['-n', '--just-print', '--dry-run', '--recon', '-q', '--question', '-p', '--print-data-base', '-v', '--version', '-h', '--help']);

/** The recipes `make` would run: of the targets named, or the default goal, and the targets they depend on. */
export function makeRecipes(r: FileReader, inv: Invocation): FilesRun {
  const out: FilesRun = { scripts: [], errors: [] };
  const args = inv.args;
  let dir = '.';
  const files: string[] = [];
  const goals: string[] = [];
  const vars = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (MAKE_NOT_RUNNING.has(name)) return out;
    if (MAKE_VALUE_OPTIONS.has(name)) {
      const v = inline ?? args[++i] ?? '';
      if (name === '-f' || name === '--file' || name === '--makefile') files.push(v);
      if (name === '-C' || name === '--directory') dir = posix.join(dir, v);
      continue;
    }
    if (/^-[fC]./.test(a)) {
      if (a[1] === 'f') files.push(a.slice(2));
      else dir = posix.join(dir, a.slice(2));
      continue;
    }
    if (a.startsWith('-')) {
      if (/^-[A-Za-z]*n/.test(a) && !a.startsWith('--')) return out;
      continue;
    }
    const m = /^([A-Za-z_][\w.]*)\s*:?=(.*)$/s.exec(a);
    if (m) vars.set(m[1], m[2]);
    else goals.push(a);
  }
  const candidates = files.length ? files.map((f) => (f.startsWith('/') ? f : posix.join(dir, f))) : ['GNUmakefile', 'makefile', 'Makefile'].map((f) => posix.join(dir, f));
  let text: string | undefined;
  let file = '';
  for (const c of candidates) {
    const abs = r.site.resolve(c);
    if (abs === undefined) return out;
    if (!files.length && !r.site.isFile(abs) && !r.writtenBefore(abs)) continue;
    text = read(r, c, out, 'runs the recipes of');
    file = c;
    break;
  }
  if (text === undefined) return out;
  const script = makefileScript(text, goals, vars, r.site.resolve(dir) ?? r.site.cwd);
  if (script.trim()) out.scripts.push({ text: script, file });
  return out;
}

interface MakeRule {
  prereqs: string[];
  recipe: string[];
}

/** Reads a Makefile's rules and variables (simply: no includes, no conditionals) and returns the recipes as one script. */
export function makefileScript(text: string, goals: readonly string[], given: ReadonlyMap<string, string> = new Map(), curdir = '.'): string {
  const rules = new Map<string, MakeRule>();
  const vars = new Map<string, string>([['RM', 'rm -f'], ['MAKE', 'make'], ['SHELL', '/bin/sh'], ['CURDIR', curdir]]);
  let first: string | undefined;
  let current: MakeRule[] = [];
  const readTime: string[] = [];
  let inDefine = false;
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const line of lines) {
    if (inDefine) {
      if (/^\s*endef\b/.test(line)) inDefine = false;
      continue;
    }
    if (line.startsWith('\t')) {
      for (const r of current) r.recipe.push(line.slice(1));
      continue;
    }
    const bare = line.replace(/(^|[^\\])#.*$/, '$1').trimEnd();
    if (!bare.trim()) continue;
    // `$(shell …)` outside recipes runs while make reads the file, whatever the target.
    for (let k = bare.indexOf('$(shell '); k >= 0; k = bare.indexOf('$(shell ', k + 1)) readTime.push(expandMake(bare.slice(k), vars, '', []).split('\n')[0]);
    if (/^\s*define\b/.test(bare)) {
      inDefine = true;
      continue;
    }
    const v = /^\s*(?:override\s+|export\s+)?([A-Za-z_][\w.]*)\s*(\+=|\?=|::?=|!=|=)\s*(.*)$/s.exec(bare);
    if (v) {
      const [, name, op, value] = v;
      if (op === '+=') vars.set(name, `${vars.get(name) ?? ''} ${value}`.trim());
      else if (op !== '?=' || !vars.has(name)) vars.set(name, op === '!=' ? `$(shell ${value})` : value);
      current = [];
      continue;
    }
    const rule = /^([^:=]+?)\s*::?\s*(.*)$/s.exec(bare);
    if (!rule || /^\s*(-?include|sinclude|ifeq|ifneq|ifdef|ifndef|else|endif|export|unexport|vpath)\b/.test(bare)) {
      current = [];
      continue;
    }
    const [deps, inline] = splitOnce(rule[2], ';');
    const targets = rule[1].trim().split(/\s+/);
    current = targets.map((t) => {
      let r = rules.get(t);
      if (!r) rules.set(t, (r = { prereqs: [], recipe: [] }));
      r.prereqs.push(...deps.trim().split(/\s+/).filter(Boolean));
      if (inline !== undefined && inline.trim()) r.recipe.push(inline.trim());
      return r;
    });
    if (first === undefined) first = targets.find((t) => !t.startsWith('.') && !t.includes('%'));
  }
  for (const [k, val] of given) vars.set(k, val);
  const wanted = goals.length ? [...goals] : first !== undefined ? [first] : [];
  const seen = new Set<string>();
  const out: string[] = [...readTime];
  // Prerequisites before the target, as make runs them.
  const visit = (t: string, depth: number) => {
    if (seen.has(t) || depth > 32 || seen.size > 500) return;
    seen.add(t);
    const r = rules.get(t);
    if (!r) return;
    for (const p of r.prereqs) visit(p, depth + 1);
    for (const line of r.recipe) out.push(expandMake(line.replace(/^[\s@+-]+/, ''), vars, t, r.prereqs));
  };
  for (const g of wanted) visit(g, 0);
  return out.join('\n');
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** make's own expansion of a recipe line: variables, automatic variables, `$(shell …)`; `$$` is the shell's `$`. */
function expandMake(line: string, vars: ReadonlyMap<string, string>, target: string, prereqs: readonly string[], depth = 0): string {
  if (depth > 8) return line;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const n = line[i + 1];
    if (n === '$') {
      out += '$';
      i++;
    } else if (n === '(' || n === '{') {
      const close = n === '(' ? ')' : '}';
      let level = 1;
      let j = i + 2;
      for (; j < line.length && level; j++) {
        if (line[j] === n) level++;
        else if (line[j] === close) level--;
      }
      const inner = line.slice(i + 2, j - 1);
      i = j - 1;
      const fn = /^(\w+)\s+(.*)$/s.exec(inner);
      if (fn && fn[1] === 'shell') out += `$(${expandMake(fn[2], vars, target, prereqs, depth + 1)})`;
      else if (fn) out += expandMake(fn[2].split(',').pop() ?? '', vars, target, prereqs, depth + 1);
      else if (/^@[DF]?$/.test(inner)) out += target;
      else if (vars.has(inner)) out += expandMake(vars.get(inner)!, vars, target, prereqs, depth + 1);
      else out += '';
    } else if (n === '@' || n === '*') {
      out += target;
      i++;
    } else if (n === '<' || n === '^' || n === '?' || n === '+') {
      out += n === '<' ? (prereqs[0] ?? '') : prereqs.join(' ');
      i++;
    } else if (n !== undefined && /\w/.test(n)) {
      out += vars.get(n) ?? '';
      i++;
    } else out += c;
  }
  return out;
}

const NPM_VALUE_OPTIONS = new Set(['-w', '--workspace', '--prefix', '-C', '--dir', '--cwd', '--filter', '-F', '--loglevel', '--script-shell']);
/** npm's own commands that run the script of the same name. */
const NPM_LIFECYCLE = new Set(['test', 't', 'tst', 'start', 'stop', 'restart']);
/** The package managers' words for installing the project in the folder, and the project's scripts that runs. */
const PROJECT_INSTALLS = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean', 'rebuild', 'rb']);
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];

/** The package.json scripts `npm run x`, `yarn x`, `pnpm x`, `bun run x` would run (with their pre and post scripts). */
export function packageScripts(r: FileReader, inv: Invocation): FilesRun {
  const out: FilesRun = { scripts: [], errors: [] };
  const p = inv.program;
  const words: string[] = [];
  // The folder the package manager works in (`npm --prefix DIR`, `pnpm -C DIR`, `yarn --cwd DIR`).
  let folder: string | undefined;
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i];
    if (a === '--') break;
    const at = /^(--prefix|--dir|--cwd)=(.*)$/s.exec(a);
    if (at) folder = at[2];
    if (NPM_VALUE_OPTIONS.has(a)) {
      if (/^(--prefix|-C|--dir|--cwd)$/.test(a)) folder = inv.args[i + 1];
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    words.push(a);
    if (words.length === 2) break;
  }
  let name: string | undefined;
  // Installing the project itself (no package named) runs its own install and prepare scripts.
  if ((words.length === 1 && PROJECT_INSTALLS.has(words[0])) || (p === 'yarn' && words.length === 0)) name = 'install';
  else if (words[0] === 'run' || words[0] === 'run-script' || words[0] === 'rum' || words[0] === 'urn') name = words[1];
  else if (p !== 'bun' && words[0] !== undefined && NPM_LIFECYCLE.has(words[0])) name = words[0] === 't' || words[0] === 'tst' ? 'test' : words[0];
  else if ((p === 'yarn' || p === 'pnpm') && words[0] !== undefined) name = words[0];
  if (name === undefined) return out;
  // The nearest package.json above the folder, as the package managers find it.
  const start = folder === undefined ? r.site.cwd : r.site.resolve(folder);
  if (start === undefined) {
    out.errors.push(`runs the package.json scripts of a folder the line does not show (${folder})`);
    return out;
  }
  let dir = start;
  for (let k = 0; k < 32; k++) {
    const file = posix.join(dir, 'package.json');
    if (r.site.isFile(file)) {
      const res = r.site.read(file);
      if (!res.ok) {
        out.errors.push(`runs the package.json script ${name}, but ${res.why}`);
        return out;
      }
      let scripts: Record<string, unknown> = {};
      try {
        const json = JSON.parse(res.text) as { scripts?: Record<string, unknown> };
        scripts = json && typeof json.scripts === 'object' && json.scripts ? json.scripts : {};
      } catch (e) {
        out.errors.push(`runs the package.json script ${name}, but ${file} is not JSON (${(e as Error).message})`);
        return out;
      }
      for (const s of name === 'install' ? INSTALL_SCRIPTS : [`pre${name}`, name, `post${name}`]) {
        const body = own(scripts, s);
        if (typeof body === 'string' && body.trim()) out.scripts.push({ text: body, file: `package.json scripts.${s}` });
      }
      return out;
    }
    const parent = posix.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}
