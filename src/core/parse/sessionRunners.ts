// Programs that run a command given on their command line somewhere else: in a session, pane or window of their own
// (terminal multiplexers, read in multiplexers.ts, and terminal emulators), once per input or change (GNU parallel,
// entr), per connection (socat's EXEC: and SYSTEM:, ncat -e/-c), as another group (sg), and cmake -E's file commands
// and scripts. What they run is judged with the line: words they run as a program, text a shell runs, and keys they
// type into a shell. The launchers that only put a program in front of another (sshpass, dtach, flatpak-spawn,
// bwrap…) are wrappers (wrappers.ts).

import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';
import { screen, tmux } from './multiplexers';
import { own } from '../own';
import { shellQuote } from './shellQuote';
import { readTerminal, TERMINAL_PROGRAMS } from './terminals';
import { defaultConfigsWritten } from './defaultConfigs';
import { zellij } from './zellij';

export { TERMINALS } from './terminals';

/** The programs readSessionRunner reads (the shells' quick path must send their lines: install.ts's ALSO_ASK). */
export const SESSION_RUNNERS = ['tmux', 'byobu', 'byobu-tmux', 'screen', 'byobu-screen', 'zellij', 'parallel', 'entr', 'sg', 'socat', 'ncat', 'nc', 'netcat', 'nc.traditional', 'cmake', 'ctest', ...TERMINAL_PROGRAMS];

/** Reads what a session runner runs; true when inv is one (its reading is done). */
export function readSessionRunner(inv: Invocation, host: LauncherHost): boolean {
  const p = inv.program;
  defaultConfigsWritten(inv, host);
  if (p === 'tmux' || p === 'byobu' || p === 'byobu-tmux') return tmux(inv, host, 0);
  if (p === 'screen' || p === 'byobu-screen') return screen(inv, host);
  if (p === 'zellij') return zellij(inv, host);
  if (p === 'parallel') return parallel(inv, host);
  if (p === 'entr') return entr(inv, host);
  if (p === 'sg') return sg(inv, host);
  if (p === 'socat') return socat(inv, host);
  if (p === 'ncat' || p === 'nc' || p === 'netcat' || p === 'nc.traditional') return ncat(inv, host);
  if (p === 'cmake' && inv.args[0] === '-E') return cmakeE(inv, host);
  if (p === 'cmake' || p === 'ctest') return cmakeScript(inv, host);
  return readTerminal(inv, host);
}

/** GNU parallel's options that take a value (a value attached, `-j4` or `--jobs=4`, needs no skip). */
const PARALLEL_VALUES = new Set(['-j', '--jobs', '-P', '--max-procs', '-S', '--sshlogin', '--slf', '--sshloginfile', '-a', '--arg-file', '--arg-file-sep', '--arg-sep', '-d', '--delimiter', '-E', '--eof', '-I', '--replace', '-N', '--max-args', '-n', '-L', '--max-lines', '--colsep', '-C', '--env', '--joblog', '--results', '--res', '--tmpdir', '--workdir', '--wd', '--delay', '--timeout', '--retries', '--halt', '--tagstring', '--tag-string', '--rpl', '--basefile', '--bf', '--return', '--transferfile', '--tf', '--limit', '--load', '--memfree', '--nice', '--header', '--block', '--blocksize', '--recend', '--recstart', '--sqlmaster', '--sqlworker', '--sqlandworker', '--semaphorename', '--id', '--termseq', '--ssh', '--sshdelay', '--shebang', '-s', '--max-chars', '--sql', '--profile', '-J']);
/** The short options among them, as letters: a cluster's value starts after the first of these. */
const PARALLEL_VALUE_LETTERS = 'jPSadEINnLCsJ';
const PARALLEL_INPUTS = /^(:::|::::|:::\+|::::\+)$/;

/**
 * GNU parallel runs its command through a shell once per input: `parallel rm -rf ::: data`, `parallel 'rm -rf {}'
 * ::: data`, and with no command, each input is a command (`parallel ::: 'rm -rf data'`, lines on standard input or
 * in `-a`/`::::` files). The inputs replace {} (and {.}, {/}…) or are added at the end; inputs the line does not show
 * are judged as a word it does not know. `{= … =}` and `--rpl` are Perl, run once per input.
 */
function parallel(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  const argFiles: string[] = [];
  const perl = (code: string) => host.script(`perl -e ${shellQuote(code)}`, inv);
  let i = 0;
  for (; i < a.length && a[i].startsWith('-') && a[i].length > 1 && !PARALLEL_INPUTS.test(a[i]); i++) {
    if (a[i] === '--') {
      i++;
      break;
    }
    let name = a[i].startsWith('--') && a[i].includes('=') ? a[i].slice(0, a[i].indexOf('=')) : a[i];
    let value = a[i].startsWith('--') && a[i].includes('=') ? a[i].slice(a[i].indexOf('=') + 1) : undefined;
    if (!a[i].startsWith('--') && a[i].length > 2) {
      const at = [...a[i].slice(1)].findIndex((c) => PARALLEL_VALUE_LETTERS.includes(c));
      if (at >= 0) {
        name = `-${a[i][at + 1]}`;
        value = a[i].slice(at + 2) || undefined;
      }
    }
    if (PARALLEL_VALUES.has(name) && value === undefined) value = a[++i];
    if ((name === '-a' || name === '--arg-file') && value !== undefined) argFiles.push(value);
    if ((name === '--rpl' || name === '--tagstring' || name === '--tag-string') && value !== undefined) {
      const code = name === '--rpl' ? value.replace(/^\s*\S+\s*/, '') : (/\{=(.*?)=\}/s.exec(value)?.[1] ?? '');
      if (code.trim()) perl(code);
    }
  }
  const inputsAt = a.findIndex((w, k) => k >= i && PARALLEL_INPUTS.test(w));
  const command = a.slice(i, inputsAt < 0 ? a.length : inputsAt);
  const inputs: string[] = [];
  for (let k = inputsAt; k >= 0 && k < a.length; ) {
    const files = a[k].startsWith('::::');
    let j = k + 1;
    for (; j < a.length && !PARALLEL_INPUTS.test(a[j]); j++) (files ? argFiles : inputs).push(a[j]);
    k = j;
  }
  let unseen = inputsAt < 0 && !argFiles.length;
  for (const f of argFiles) {
    const text = f === '-' ? host.fed(inv) : host.file(inv, f, 'takes the inputs of');
    if (text === undefined) unseen = true;
    else inputs.push(...text.split('\n').filter((l) => l.trim()));
  }
  if (unseen) {
    const fed = host.fed(inv);
    if (fed !== undefined && !command.length) inputs.push(...fed.split('\n').filter((l) => l.trim()));
    else if (!command.length) host.error(`${inv.program} runs each line of its input as a command, and the line does not show them`);
  }
  for (const w of command) for (const m of w.matchAll(/\{=(.*?)=\}/gs)) perl(m[1]);
  if (!command.length) {
    for (const input of inputs.slice(0, 64)) host.script(input, inv);
    if (inputs.length > 64) host.script(inputs.slice(64).join('\n'), inv);
    return true;
  }
  const template = command.join(' ');
  const placeholder = /\{(\d*[./#%]*|\/\/|\/\.|\.\.|=.*?=)?\}/g;
  const takes = new RegExp(placeholder.source).test(template);
  // Inputs the line does not show (standard input, a file it cannot read) are a word it does not know.
  // The first inputs one by one, and every one after them together (no input goes unjudged).
  const runs = inputs.length ? [...inputs.slice(0, 16).map(shellQuote), ...(inputs.length > 16 ? [inputs.slice(16).map(shellQuote).join(' ')] : [])] : ['$(cat)'];
  for (const input of runs) host.script(takes ? template.replace(placeholder, () => input) : `${template} ${input}`, inv);
  return true;
}

/** entr runs its utility and words when a file changes; with -s, its one word is a script for the shell. */
function entr(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let i = 0;
  let shell = false;
  for (; i < a.length && a[i].startsWith('-') && a[i].length > 1; i++) {
    if (a[i] === '--') {
      i++;
      break;
    }
    if (a[i].includes('s')) shell = true;
  }
  if (i >= a.length) return true;
  if (shell) host.script(a[i], inv);
  else host.runWords(inv, i);
  return true;
}

/** sg GROUP [-c] COMMAND: the command, one string for /bin/sh (words given apart are joined). */
function sg(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  let i = a[0] === '-' ? 1 : 0;
  i++;
  if (a[i] === '-c') i++;
  if (i < a.length) host.script(a.slice(i).join(' '), inv);
  return true;
}

/** TEXT up to its first comma not escaped with a backslash, its escapes removed (socat's address parameters). */
function socatParam(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) out += text[++i];
    else if (text[i] === ',') break;
    else out += text[i];
  }
  return out;
}

/**
 * socat's addresses: EXEC:cmd (its words) and SYSTEM:cmd or SHELL:cmd (a shell runs it) run a program; CREATE:,
 * OPEN:, GOPEN:, FILE: and a bare path write a file (emptied by CREATE or the trunc option). Written in any case, in
 * either address or a dual one (`A!!B`); the address options after an unescaped comma are not the command.
 */
function socat(inv: Invocation, host: LauncherHost): boolean {
  for (const arg of inv.args) {
    if (arg.startsWith('-') && arg !== '-') continue;
    for (const part of arg.split('!!')) {
      const run = /^(exec|system|shell):(.*)$/is.exec(part);
      if (run) {
        host.script(socatParam(run[2]), inv);
        continue;
      }
      const file = /^(create|creat|open|gopen|file):(.*)$/is.exec(part) ?? (/^[./~]|\//.test(part) && !/^[A-Za-z-]+:/.test(part) ? [part, '', part] : null);
      if (!file) continue;
      const path = socatParam(file[2]);
      const empties = /^creat/i.test(file[1]) || /,(trunc|o-trunc)\b/i.test(file[2]);
      if (path) host.script(`${empties ? ': >' : 'touch --'} ${shellQuote(path)}`, inv);
    }
  }
  return true;
}

/** ncat's options that take a value, as letters (a cluster's value is the rest of it, or the next word). */
const NCAT_VALUE_LETTERS = 'ecpswigGmdoxqa';

/**
 * ncat's -e/--exec (a program and its words) and -c/--sh-exec (a shell runs it), as in netcat's traditional -e and
 * -c; a long option may be shortened to any prefix (`--sh`, `--sh-e=`), and a short one carry its value (`-crm …`).
 */
function ncat(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (w.startsWith('--') && w.length > 3) {
      const eq = w.indexOf('=');
      const name = eq > 0 ? w.slice(2, eq) : w.slice(2);
      if (['exec', 'sh-exec', 'lua-exec'].some((o) => o.startsWith(name))) {
        const value = eq > 0 ? w.slice(eq + 1) : a[++i];
        if (value !== undefined) host.script(value, inv);
      }
      continue;
    }
    if (!w.startsWith('-') || w.startsWith('--')) continue;
    for (let c = 1; c < w.length; c++) {
      if (!NCAT_VALUE_LETTERS.includes(w[c])) continue;
      const value = c + 1 < w.length ? w.slice(c + 1) : a[++i];
      if ((w[c] === 'e' || w[c] === 'c') && value !== undefined) host.script(value, inv);
      break;
    }
  }
  return true;
}

/** cmake -E's commands that do what a program does, as that program and the options it implies. */
const CMAKE_E: Record<string, [string, ...string[]]> = {
  rm: ['rm'], remove: ['rm', '-f'], remove_directory: ['rm', '-rf'], rename: ['mv'], copy: ['cp'], copy_if_different: ['cp'],
  copy_directory: ['cp', '-r'], copy_directory_if_different: ['cp', '-r'], create_symlink: ['ln', '-s'], create_hardlink: ['ln'],
  make_directory: ['mkdir', '-p'], touch: ['touch'], touch_nocreate: ['touch', '-c'], tar: ['tar'], cat: ['cat'], env: ['env'], time: ['time'],
};

/** cmake -E CMD: its file commands judged as the programs they stand for; `chdir DIR cmd…` runs cmd in DIR. */
function cmakeE(inv: Invocation, host: LauncherHost): boolean {
  const cmd = inv.args[1];
  if (cmd === 'chdir' && inv.args.length > 3) {
    host.script(`cd ${shellQuote(inv.args[2])} && ${inv.args.slice(3).map(shellQuote).join(' ')}`, inv);
    return true;
  }
  const as = own(CMAKE_E, cmd);
  if (as) host.runWords(inv, 1, { as: { program: as[0], args: as.slice(1) } });
  return true;
}

/** CMake's argument words: blanks separate them, quotes group them, `${VAR}` is a value known at run time. */
function cmakeWords(text: string): string[] {
  return [...text.matchAll(/"((?:\\.|[^"\\])*)"|([^\s"]+)/g)].map((m) => (m[1] ?? m[2]).replace(/\$\{(\w+)\}/g, '$$$1'));
}

const CMAKE_KEYWORDS = /^(COMMAND|WORKING_DIRECTORY|TIMEOUT|RESULT_VARIABLE|RESULTS_VARIABLE|OUTPUT_VARIABLE|ERROR_VARIABLE|INPUT_FILE|OUTPUT_FILE|ERROR_FILE|OUTPUT_QUIET|ERROR_QUIET|COMMAND_ECHO|OUTPUT_STRIP_TRAILING_WHITESPACE|ERROR_STRIP_TRAILING_WHITESPACE|ENCODING|ECHO_OUTPUT_VARIABLE|ECHO_ERROR_VARIABLE|COMMAND_ERROR_IS_FATAL)$/;

/**
 * A CMake script run as a script (`cmake -P FILE`, `ctest -S FILE`): its file(REMOVE…), file(WRITE…), file(RENAME…)
 * and execute_process(COMMAND…) are judged as the commands they stand for.
 */
function cmakeScript(inv: Invocation, host: LauncherHost): boolean {
  const a = inv.args;
  const i = a.findIndex((w) => w === '-P' || (inv.program === 'ctest' && (w === '-S' || w === '-SP')));
  if (i < 0 || a[i + 1] === undefined) return false;
  const text = host.file(inv, a[i + 1].replace(/,.*$/, ''), 'runs the CMake script');
  if (text === undefined) return true;
  const q = (w: string) => (w.startsWith('$') ? w : shellQuote(w));
  for (const m of text.matchAll(/\b(file|execute_process|exec_program)\s*\(([^)]*)\)/gi)) {
    const words = cmakeWords(m[2]);
    if (/^file$/i.test(m[1])) {
      const [sub, ...args] = words;
      if (/^REMOVE(_RECURSE)?$/i.test(sub) && args.length) host.script(`rm ${/RECURSE/i.test(sub) ? '-rf' : '-f'} -- ${args.map(q).join(' ')}`, inv);
      else if (/^(WRITE|APPEND|TOUCH|TOUCH_NOCREATE)$/i.test(sub) && args[0] !== undefined) host.script(`${/^WRITE$/i.test(sub) ? ': >' : 'touch --'} ${q(args[0])}`, inv);
      else if (/^(RENAME|COPY_FILE)$/i.test(sub) && args.length >= 2) host.script(`${/RENAME/i.test(sub) ? 'mv' : 'cp'} -- ${q(args[0])} ${q(args[1])}`, inv);
      continue;
    }
    // execute_process(COMMAND a b COMMAND c …): each command, its words up to the next keyword.
    const commands: string[][] = [];
    let current: string[] | undefined = /^exec_program$/i.test(m[1]) ? [] : undefined;
    if (current) commands.push(current);
    for (const w of words) {
      if (w === 'COMMAND') commands.push((current = []));
      else if (CMAKE_KEYWORDS.test(w) || /^(ARGS|OUTPUT_VARIABLE|RETURN_VALUE)$/.test(w)) current = w === 'ARGS' ? current : undefined;
      else current?.push(w);
    }
    for (const c of commands) if (c.length) host.script(c.map(q).join(' '), inv);
  }
  return true;
}
