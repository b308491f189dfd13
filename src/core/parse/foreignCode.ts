// Inline code in languages the code reader (code.ts) does not read: Lua, R, AppleScript, Emacs Lisp and Julia. Only
// the calls that run a shell command or delete files are looked for: given a string literal, the command (or an `rm`
// of the path) is judged with the line; given anything else, the command is built at run time, which is not
// understood (held in production and staging). The code comes from the option that carries it (`lua -e`, `Rscript
// -e`, `osascript -e`, `emacs --eval`, `julia -e`), the script file named, or the text fed on standard input.

import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';
import { own } from '../own';
import { shellQuote } from './shellQuote';

type Effect = 'shell' | 'rm' | 'rm-r' | 'open' | 'truncate' | 'mv' | 'module' | 'source';

interface Call {
  /** The call's name, up to where its argument begins. */
  name: RegExp;
  effect: Effect;
  /** For a delete: what, after the path, makes it recursive (R's recursive = TRUE, Lisp's t). */
  recursive?: RegExp;
}

interface Language {
  /** Options whose value is code. */
  code: string[];
  /** Options that take a value that is not code. */
  values?: string[];
  /** Quotes a string literal can have. */
  quotes: string;
  /** `$x` and `$(…)` in a string or command literal are filled in at run time (Julia). */
  interpolates?: boolean;
  /** What, after a literal, joins more text to it (Lua's `..`): the command is then built at run time. */
  joins?: RegExp;
  /** Ways to reach a command or code the calls above do not show (a name looked up, code evaluated): not understood. */
  escapes: RegExp;
  calls: Call[];
}

const LUA: Language = {
  code: ['-e'],
  values: ['-l'],
  quotes: `"'[`,
  joins: /^\s*\.\./,
  // The os and io tables handed on (`local o = os`, `f(os)`) are calls out of sight.
  escapes: /\b(load|loadstring|loadfile|dofile|getfenv|setfenv|rawget|debug)\b|\b(os|io|_G|_ENV)\s*\[|\bpackage\s*\.\s*(loadlib|path|cpath|searchers|preload)\b|\b(os|io)\b(?!\s*\.\s*\w)/,
  calls: [
    { name: /\bos\s*\.\s*execute\b/g, effect: 'shell' },
    { name: /\bio\s*\.\s*popen\b/g, effect: 'shell' },
    { name: /\bos\s*\.\s*remove\b/g, effect: 'rm' },
    { name: /\bos\s*\.\s*rename\b/g, effect: 'mv' },
    { name: /\bio\s*\.\s*open\b/g, effect: 'open' },
    { name: /\bio\s*\.\s*output\b/g, effect: 'truncate' },
    { name: /\brequire\b/g, effect: 'module' },
  ],
};
const R: Language = {
  code: ['-e'],
  values: ['-f', '--file', '-d', '--debugger', '-g', '--gui', '--arch', '--encoding'],
  quotes: `"'`,
  escapes: /\b(do\.call|eval|evalq|parse|get|get0|match\.fun|pipe|Sys\.setenv|processx|callr|rstudioapi|reg\.finalizer)\s*\(|::\s*(run|process)\b/,
  calls: [
    { name: /(?<![\w.$])(system|shell|system2)(?![\w.])/g, effect: 'shell' },
    { name: /(?<![\w.$])unlink(?![\w.])/g, effect: 'rm', recursive: /^[^)]*\brecursive\s*=\s*(TRUE|T)\b/ },
    { name: /\bfile\.remove\b/g, effect: 'rm' },
    // The fs package's deletes; source() runs another file's R code.
    { name: /(?<![\w.$])(fs::)?(file_delete|link_delete)(?![\w.])/g, effect: 'rm' },
    { name: /(?<![\w.$])(fs::)?dir_delete(?![\w.])/g, effect: 'rm', recursive: /^/ },
    { name: /(?<![\w.$])(base::)?(source|sys\.source)(?![\w.])/g, effect: 'source' },
  ],
};
const APPLESCRIPT: Language = {
  code: ['-e'],
  values: ['-l', '-s'],
  quotes: '"',
  joins: /^\s*&/,
  escapes: /\brun\s+script\b|\bload\s+script\b|\bdo\s+script\b|\bdo\s+JavaScript\b|\bkeystroke\b|\bkey\s+code\b|\bcurrent\s+application\b|\bNSTask\b|\bdelete\b|\btell\s+(application|app)\s+"(Finder|System Events|Terminal|iTerm2?)"/i,
  calls: [{ name: /\bdo\s+shell\s+script\b/gi, effect: 'shell' }],
};
// osascript -l JavaScript (JXA): doShellScript runs a command; Objective-C, other applications and eval are out of sight.
const JXA: Language = {
  code: ['-e'],
  values: ['-l', '-s'],
  quotes: `"'`,
  joins: /^\s*\+/,
  // A method reached by a name built at run time (`app[x](…)`, `.call`, `Reflect`) is a call out of sight too.
  escapes: /\b(eval|Function|ObjC|doScript|doJavaScript|keystroke|keyCode|runScript|loadScript|Application\s*\()|\$\s*[.(]|\bthis\s*\[|\bglobalThis\b|\]\s*\(|\.\s*(call|apply|bind)\s*\(|\bReflect\b|\bwith\s*\(/,
  calls: [{ name: /\bdoShellScript\b/g, effect: 'shell' }],
};
const ELISP: Language = {
  code: ['--eval', '-eval', '--execute', '-execute'],
  values: ['-l', '--load', '-f', '--funcall', '-L', '--directory', '--script', '-x'],
  quotes: '"',
  escapes: /(?<![\w-])(call-process|call-process-region|process-lines|process-file|start-process|start-file-process|make-process|funcall|apply|eval|read|load|load-file|intern|symbol-function|compile|shell)(?![\w-])|#'|\(\s*lambda\b/,
  calls: [
    { name: /\((?:async-)?shell-command(?:-to-string)?\b/g, effect: 'shell' },
    { name: /\(call-process-shell-command\b/g, effect: 'shell' },
    { name: /\(start-process-shell-command\s+\S+\s+\S+/g, effect: 'shell' },
    { name: /\(delete-directory\b/g, effect: 'rm', recursive: /^\s+(?!nil\b)[^\s)]/ },
    { name: /\(delete-file\b/g, effect: 'rm' },
  ],
};
const JULIA: Language = {
  code: ['-e', '--eval', '-E', '--print'],
  values: ['-p', '--procs', '-t', '--threads', '-J', '--sysimage', '-L', '--load', '--project', '-O'],
  quotes: '"`',
  interpolates: true,
  joins: /^\s*\*/,
  escapes: /\b(Cmd|eval|include|include_string|ccall|@cmd|Meta\s*\.\s*parse|Base\s*\.\s*(run|eval|include)|getfield|invokelatest)\s*[(`"]/,
  calls: [
    { name: /(?<![\w.])run(?![\w!])/g, effect: 'shell' },
    { name: /\bread\b(?=\s*\(\s*`)/g, effect: 'shell' },
    { name: /(?<![\w.])rm(?![\w!])/g, effect: 'rm', recursive: /^[^)]*\brecursive\s*=\s*true\b/ },
  ],
};

/** The programs whose inline code is read here (the shells' quick path must send their lines: install.ts's ALSO_ASK). */
export const FOREIGN_LANGUAGES: Record<string, Language> = {
  lua: LUA, luajit: LUA, 'lua5.1': LUA, 'lua5.2': LUA, 'lua5.3': LUA, 'lua5.4': LUA,
  Rscript: R, R: R, osascript: APPLESCRIPT, emacs: ELISP, julia: JULIA,
};

/**
 * The string literal at the start of TEXT (after blanks and an opening parenthesis), unescaped, or undefined (none
 * there, or one filled in at run time).
 */
function literalAt(text: string, lang: Language): { value: string; end: number } | undefined {
  const quotes = lang.quotes;
  const m = /^[\s(]*/.exec(text)!;
  // A literal inside parentheses of its own (`(("RM"):lower())`) is changed before the call sees it.
  if ((m[0].match(/\(/g) ?? []).length > 1) return undefined;
  let i = m[0].length;
  const q = text[i];
  if (!q || !quotes.includes(q)) return undefined;
  if (q === '[') {
    // Lua's long string: [[…]], [=[…]=].
    const open = /^\[(=*)\[/.exec(text.slice(i));
    if (!open) return undefined;
    const close = `]${open[1]}]`;
    const end = text.indexOf(close, i + open[0].length);
    return end < 0 ? undefined : { value: text.slice(i + open[0].length, end), end: end + close.length };
  }
  let value = '';
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (c === q) return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      // Escapes: \n and the like, a byte in decimal (Lua) or octal, in hex (\x72), a code point (\u{72}).
      const rest = text.slice(i + 1);
      const num = lang === LUA ? /^\d{1,3}/.exec(rest) : /^[0-7]{1,3}/.exec(rest);
      const hex = /^x([0-9A-Fa-f]{2})/.exec(rest);
      const uni = /^u\{?([0-9A-Fa-f]{1,6})\}?/.exec(rest);
      const blank = lang === LUA ? /^z\s*/.exec(rest) : null;
      const found = num ?? hex ?? uni ?? blank;
      if (found) {
        value += num ? String.fromCharCode(parseInt(num[0], lang === LUA ? 10 : 8) & 0xff) : hex ? String.fromCharCode(parseInt(hex[1], 16)) : uni ? String.fromCodePoint(Math.min(parseInt(uni[1], 16), 0x10ffff)) : '';
        i += found[0].length;
        continue;
      }
      const n = text[++i];
      value += ({ n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[n] ?? n;
    } else if (c === '$' && lang.interpolates && /[\w(]/.test(text[i + 1] ?? '')) {
      return undefined;
    } else value += c;
  }
  return undefined;
}

/** R's system2("cmd", c("a", "b")) and args = …: the program and its words, when all are literals. */
function system2(rest: string, lang: Language): string | undefined {
  const program = literalAt(rest, lang);
  if (!program) return undefined;
  const after = rest.slice(program.end);
  const args = /^\s*,\s*(?:args\s*=\s*)?c\s*\(([^)]*)\)/.exec(after) ?? /^\s*,\s*(?:args\s*=\s*)?(["'][^"']*["'])/.exec(after);
  const words = [program.value];
  if (args) for (const m of args[1].matchAll(/(["'])((?:\\.|(?!\1).)*)\1/g)) words.push(m[2]);
  return words.map(shellQuote).join(' ');
}

/** What CODE, in LANG, runs or deletes: each found call judged, a call with no literal to read reported. */
function readCode(code: string, lang: Language, inv: Invocation, host: LauncherHost): void {
  const escape = lang.escapes.exec(code);
  if (escape) host.error(`${inv.program} runs code the gate does not read (${escape[0].replace(/[\s([`"]+$/, '')})`);
  // A Julia command literal is a command, whatever runs it.
  if (lang === JULIA) {
    let opens = true;
    for (const m of code.matchAll(/`/g)) {
      if (opens) {
        const lit = literalAt(code.slice(m.index!, m.index! + 4096), lang);
        if (lit) host.script(lit.value, inv);
      }
      opens = !opens;
    }
  }
  for (const call of lang.calls) {
    for (const m of code.matchAll(call.name)) {
      const rest = code.slice(m.index! + m[0].length);
      const isSystem2 = call.effect === 'shell' && /system2$/.test(m[0]);
      const lit = isSystem2 ? undefined : literalAt(rest, lang);
      const command = isSystem2 ? system2(rest, lang) : lit?.value;
      // `run` and `rm` are common words in Julia; only a call is one.
      if (call.effect === 'module') {
        if (!lit) host.error(`${inv.program} loads a module the line does not name (require …)`);
        else moduleFile(lit.value, lang, inv, host);
        continue;
      }
      if (call.effect === 'source') {
        if (!lit) host.error(`${inv.program} runs R code from a file the line does not name (${m[0]} …)`);
        else sourceFile(lit.value, lang, inv, host);
        continue;
      }
      if (call.effect === 'open' || call.effect === 'truncate' || call.effect === 'mv') {
        fileCall(call.effect, m[0], rest, lit, lang, inv, host);
        continue;
      }
      // Text joined to the literal, or a method called on it (`"…":lower()`), changes it before the call sees it.
      if (command !== undefined && lit && (lang.joins?.test(rest.slice(lit.end)) || /^\s*(:|\.\.|\[|\+|%|\|>)/.test(rest.slice(lit.end)))) {
        host.error(`${inv.program} runs a command built at run time (${m[0].replace(/^\(/, '')} joins text to "${command.slice(0, 40)}")`);
        continue;
      }
      if (command === undefined) {
        if (lang === JULIA && !/^\s*\(/.test(rest)) continue;
        host.error(`${inv.program} runs a command built at run time (${m[0].replace(/^\(/, '')} …)`);
        continue;
      }
      if (call.effect === 'shell') host.script(command, inv);
      else host.script(`rm ${call.recursive?.test(rest.slice(lit!.end)) ? '-r ' : ''}-- ${shellQuote(command)}`, inv);
    }
  }
}

/** The modules a line has already read (a module that requires itself, or two that require each other). */
const reading = new Set<string>();

/** An R file run by source(): read bounded, judged as code (a file that sources itself is read once). */
function sourceFile(file: string, lang: Language, inv: Invocation, host: LauncherHost): void {
  if (reading.has(file) || reading.size > 8) return;
  reading.add(file);
  try {
    const text = host.file(inv, file, 'runs the R code of');
    if (text !== undefined) readCode(text, lang, inv, host);
  } finally {
    reading.delete(file);
  }
}

/** A Lua module by name (`require "a.b"`, `lua -l a`): ./a/b.lua, read bounded, judged as code. */
function moduleFile(name: string, lang: Language, inv: Invocation, host: LauncherHost): void {
  const file = `${name.replace(/\./g, '/')}.lua`;
  if (reading.has(file) || reading.size > 8) return;
  reading.add(file);
  try {
    const text = host.file(inv, file, 'loads the Lua module');
    if (text !== undefined) readCode(text, lang, inv, host);
  } finally {
    reading.delete(file);
  }
}

/** io.open(path, mode), io.output(path), os.rename(from, to): the files written, judged as written. */
function fileCall(effect: Effect, name: string, rest: string, lit: { value: string; end: number } | undefined, lang: Language, inv: Invocation, host: LauncherHost): void {
  const after = lit ? rest.slice(lit.end) : '';
  if (effect === 'open') {
    const mode = lit ? literalAt(after.replace(/^\s*,/, ''), lang) : undefined;
    const writes = mode === undefined ? (lit ? /^\s*,/.test(after) : /^\s*\(/.test(rest)) : /[wa+]/.test(mode.value);
    if (!writes) return;
    if (!lit || mode === undefined) return host.error(`${inv.program} opens a file the line does not show how (${name} …)`);
    return host.script(`${mode.value.includes('w') ? ': >' : 'touch --'} ${shellQuote(lit.value)}`, inv);
  }
  if (!lit) return host.error(`${inv.program} writes a file the line does not name (${name} …)`);
  if (effect === 'truncate') return host.script(`: > ${shellQuote(lit.value)}`, inv);
  const to = literalAt(after.replace(/^\s*,/, ''), lang);
  if (!to) return host.error(`${inv.program} renames a file to one the line does not name (${name} …)`);
  host.script(`mv -- ${shellQuote(lit.value)} ${shellQuote(to.value)}`, inv);
}

/** Reads the foreign inline code inv runs; true when inv is such a language's program. */
export function readForeignCode(inv: Invocation, host: LauncherHost): boolean {
  let lang = own(FOREIGN_LANGUAGES, inv.program);
  if (!lang) return false;
  if (inv.program === 'R' && rFrontEnd(inv, host)) return true;
  if (lang === R) rStartup(inv, host);
  if (lang === APPLESCRIPT) lang = osaLanguage(inv, host);
  if (!lang) return true;
  const a = inv.args;
  let sawCode = false;
  // Lua runs LUA_INIT first: code, or a file after an @.
  if (lang === LUA) {
    for (const [k, v] of [...Object.entries(inv.env), ...['LUA_INIT', 'LUA_INIT_5_1', 'LUA_INIT_5_2', 'LUA_INIT_5_3', 'LUA_INIT_5_4', 'LUA_INIT_5_5'].flatMap((n) => (inv.vars?.of(n) ?? []).map((v) => [n, v]))]) {
      if (!/^LUA_INIT(_5_\d)?$/.test(k)) continue;
      const text = v.startsWith('@') ? host.file(inv, v.slice(1), 'runs the Lua start-up file') : v;
      if (text !== undefined) readCode(text, lang, inv, host);
    }
  }
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    // Lua's -l NAME (or -lNAME): requires a module before the script.
    if (lang === LUA && w.startsWith('-l')) {
      const name = w.length > 2 ? w.slice(2) : a[++i];
      if (name !== undefined) moduleFile(name.replace(/^\w+=/, ''), lang, inv, host);
      continue;
    }
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq > 0 ? w.slice(0, eq) : w;
    if (lang.code.includes(name)) {
      const code = eq > 0 ? w.slice(eq + 1) : a[++i];
      if (code !== undefined) readCode(code, lang, inv, host);
      sawCode = true;
      continue;
    }
    // Lua's -e attached (`lua -e'os.execute…'`).
    if (lang === LUA && w.startsWith('-e') && w.length > 2) {
      readCode(w.slice(2), lang, inv, host);
      sawCode = true;
      continue;
    }
    if (lang.values?.includes(name)) {
      // A value next or attached (`R --file=x.R`); a file of code is read as code.
      const value = eq > 0 ? w.slice(eq + 1) : a[++i];
      if (/^(-f|--file|--script|-l|--load)$/.test(name) && lang !== LUA && lang !== APPLESCRIPT && lang !== JXA && value !== undefined) {
        const t = host.file(inv, value, `runs the ${inv.program} script`);
        if (t !== undefined) readCode(t, lang, inv, host);
        sawCode = true;
      }
      continue;
    }
    // R's words after --args are the script's; R itself takes no script file as an operand.
    if (lang === R && w === '--args') break;
    if (w.startsWith('-') || inv.program === 'R') continue;
    // The first operand is the script file (emacs opens files to edit: not code).
    if (!sawCode && lang !== ELISP) {
      const t = host.file(inv, w, `runs the ${inv.program} script`);
      if (t !== undefined) readCode(t, lang, inv, host);
      sawCode = true;
    }
    break;
  }
  if (!sawCode && lang !== ELISP) {
    const fed = host.fed(inv);
    if (fed !== undefined) readCode(fed, lang, inv, host);
  }
  return true;
}

/** osascript's language (`-l JavaScript`, `-lAppleScript`): AppleScript unless named; another OSA language is not read. */
function osaLanguage(inv: Invocation, host: LauncherHost): Language | undefined {
  const a = inv.args;
  let name: string | undefined;
  for (let i = 0; i < a.length && a[i].startsWith('-'); i++) {
    const m = /^-i*l(.*)$/s.exec(a[i]);
    if (m) name = m[1] || a[++i];
    else if (/^-[ie]*[es]$/.test(a[i])) i++;
  }
  if (name === undefined || /^applescript$/i.test(name)) return APPLESCRIPT;
  if (/^javascript$/i.test(name)) return JXA;
  host.error(`${inv.program} runs code in ${name}, which the gate does not read`);
  return undefined;
}

/** The tools in R's bin folder that `R CMD` runs as themselves; any other word is a program run in R's environment. */
const R_TOOLS = /^(COMPILE|INSTALL|LINK|REMOVE|Rd2pdf|Rd2txt|Rdconv|Rdiff|Rprof|SHLIB|Stangle|build|check|config|javareconf|libtool|mkinstalldirs|pager|rtags|exec)$/;

/**
 * The R front end: `-d`/`--debugger` runs a program (split at blanks, with `--debugger-args`) that starts R;
 * `R CMD BATCH FILE [OUT]` and `R CMD Sweave FILE` run FILE's R code (BATCH writes OUT); `R CMD PROG …` runs PROG.
 * True when the line is `R CMD …` (read here).
 */
function rFrontEnd(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let debuggerArgs = '';
  for (const w of a) if (w.startsWith('--debugger-args=')) debuggerArgs = w.slice('--debugger-args='.length);
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (w === '--args') return false;
    if ((w === '-d' || w === '--debugger' || w.startsWith('--debugger=')) && (w.includes('=') || a[i + 1] !== undefined)) host.script(`${w.includes('=') ? w.slice(w.indexOf('=') + 1) : a[++i]} ${debuggerArgs}`, inv);
    else if (w === '-g' || w === '--gui' || w === '--arch' || w === '--encoding' || w === '-f' || w === '-e') i++;
    if (w !== 'CMD') continue;
    const tool = a[i + 1];
    if (tool === undefined) return true;
    if (tool === 'BATCH' || tool === 'Sweave') {
      // BATCH's options: -d and -g take a value (passed to R: -d is its debugger), -- ends them.
      let k = i + 2;
      for (; k < a.length && a[k].startsWith('-'); k++) {
        if (a[k] === '--') {
          k++;
          break;
        }
        if ((a[k] === '-d' || a[k] === '-g') && a[k + 1] !== undefined) {
          if (a[k] === '-d') host.script(a[k + 1], inv);
          k++;
        }
      }
      if (a[k] === undefined) return true;
      const code = host.file(inv, a[k], 'runs the R code of');
      if (code !== undefined) readCode(code, R, inv, host);
      if (tool === 'BATCH') host.script(`touch -- ${shellQuote(a[k + 1] ?? `${a[k].replace(/^.*\//, '').replace(/\.R$/, '')}.Rout`)}`, inv);
    } else if (tool === 'INSTALL' || tool === 'check') rPackages(inv, host, i + 2);
    else if (!R_TOOLS.test(tool)) host.runWords(inv, i + 1);
    return true;
  }
  return false;
}

/**
 * What R runs before the code it is given: the site profile (R_PROFILE) and the user's (R_PROFILE_USER, else
 * `.Rprofile` here or in the home folder), unless --vanilla or --no-site-file/--no-init-file; an environ file
 * (R_ENVIRON, R_ENVIRON_USER, `.Renviron`) may point at another profile, and is not read.
 */
function rStartup(inv: Invocation, host: LauncherHost): void {
  const a = inv.args.slice(0, inv.args.includes('--args') ? inv.args.indexOf('--args') : undefined);
  const vanilla = a.includes('--vanilla');
  const environ = !vanilla && !a.includes('--no-environ');
  const profile = (file: string) => {
    const code = host.file(inv, file, 'runs at start-up the R profile');
    if (code !== undefined) readCode(code, R, inv, host);
    return code !== undefined;
  };
  if (environ) {
    const set = ['R_ENVIRON', 'R_ENVIRON_USER'].filter((n) => lineEnv(inv, n).length);
    if (set.length) host.error(`${inv.program} reads an environment file the line names (${set.join(', ')}), which may point at a profile`);
    for (const f of ['.Renviron', '~/.Renviron']) if (/\bR_(PROFILE|ENVIRON|LIBS)/.test(host.file(inv, f, 'reads the R environment file') ?? '')) host.error(`${inv.program} reads ${f}, which points at a profile or library the gate does not read`);
  }
  if (!vanilla && !a.includes('--no-site-file')) lineEnv(inv, 'R_PROFILE').forEach(profile);
  if (vanilla || a.includes('--no-init-file')) return;
  const user = lineEnv(inv, 'R_PROFILE_USER');
  if (user.length) user.forEach(profile);
  else if (!profile('.Rprofile')) profile('~/.Rprofile');
}

/** The values NAME may hold in inv's environment: set for it, or anywhere on the line (it may be exported). */
function lineEnv(inv: Invocation, name: string): string[] {
  return [...(inv.env[name] !== undefined ? [inv.env[name]] : []), ...(inv.vars?.of(name) ?? [])];
}

/** `R CMD INSTALL|check PKG…`: a package's folder runs its configure and cleanup scripts; an archive's are not read. */
function rPackages(inv: Invocation, host: LauncherHost, from: number): void {
  const a = inv.args;
  for (let k = from; k < a.length; k++) {
    if (a[k] === '-l' || a[k] === '--library') k++;
    if (a[k].startsWith('-')) continue;
    if (/\.(tar\.gz|tgz|tar|zip)$/.test(a[k]) || /^https?:/.test(a[k])) host.error(`${inv.program} CMD installs the package archive ${a[k]}, whose configure script the gate does not read`);
    else for (const script of ['configure', 'cleanup']) host.script(`sh -- ${shellQuote(`${a[k].replace(/\/$/, '')}/${script}`)}`, inv);
  }
}
