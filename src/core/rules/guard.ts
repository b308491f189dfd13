// The guard itself: commands that would switch it off, or type into the approval box for a person.

import { posix } from 'node:path';
import { namesHookOffVar, PROTECTED_DIR_EXAMPLES, PROTECTED_EXAMPLES, protectedDir, protectedFile } from '../agents/protectedFiles';
import { Invocation } from '../parse/invocation';
import { fitsPattern } from '../parse/pathForms';
import { handedPaths, LAST_IS_TARGET, landsInFolder, supposedInside, touchedPaths, withLineValues, WRITE_REDIRECT } from '../parse/writes';
import { linksCarried, linksMade } from '../links';
import { aheadRisk, pathAssignments, prependedFolders } from '../pathList';
import { defineRule } from './rule';

const GUARD_VARS = /^(AGENT_GUARD_[A-Z_]*|BASH_ENV|PROMPT_COMMAND|ZDOTDIR)$/;
/** Interpreters whose inline code can open any file for writing. */
const INLINE_CODE = new Set(['python', 'python3', 'python2', 'node', 'nodejs', 'deno', 'bun', 'perl', 'ruby', 'php', 'jq', 'awk', 'gawk']);

function touchesGuardVar(words: string[]): string | undefined {
  for (const w of words) {
    const name = w.replace(/^-[a-z]+$/, '').split('=')[0];
    if (GUARD_VARS.test(name)) return name;
  }
  return undefined;
}

const SHELL_NAMES = new Set(['bash', 'sh', 'zsh', 'dash', 'fish', 'ksh']);
/** Programs that take a file away or change its mode: an .env file losing lines cannot switch a hook off. */
const REMOVES = new Set(['rm', 'unlink', 'shred', 'truncate', 'chmod', 'chown', 'chattr', 'setfacl']);

/**
 * Whether a shell write to an .env file could add a hook off-switch (QWEN_CODE_SIMPLE=1…): when the text written is on
 * the line (echo, printf, a heredoc, a sed expression), only if it names one; when it comes from elsewhere (a copy,
 * a pipe, an editor, a variable), always, since what it writes cannot be read here.
 */
const NO_CONTENT = new Set(['touch', 'chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'truncate', 'rmdir', 'shred', 'srm', 'wipe']);

function dotenvWriteMatters(inv: Invocation, redirected: boolean): boolean {
  const p = inv.program;
  // Removing, emptying or changing the modes of a .env file cannot add a variable to it.
  if (REMOVES.has(p) || NO_CONTENT.has(p)) return false;
  const seen = [inv.text, inv.stdin ?? '', ...(inv.pipeFrom ? [inv.pipeFrom.text, inv.pipeFrom.stdin ?? ''] : [])].join('\n');
  if (namesHookOffVar(seen)) return true;
  const visible = redirected && !inv.pipeFrom && (p === 'echo' || p === 'printf' || p === '' || p === 'true' || p === ':' || (p === 'cat' && inv.stdin !== undefined && !inv.args.length));
  const dynamic = /[$`]/.test(inv.args.join(' ') + (inv.stdin ?? ''));
  if (visible) return dynamic;
  if (p === 'sed' || p === 'perl' || p === 'ruby') return dynamic;
  // A copy or link from another .env file (a template): that file's own writes are guarded the same way.
  if (LAST_IS_TARGET.has(p)) {
    const sources = inv.args.filter((a) => !a.startsWith('-')).slice(0, -1);
    return !sources.length || !sources.every((a) => protectedFile(a)?.format === 'dotenv');
  }
  return true;
}

/** A PATH that no longer starts from the old PATH drops the guard's shims. */
function replacesPath(value: string): boolean {
  return !/\$\{?PATH\}?/.test(value);
}

/**
 * What a command that turns shell builtins or the line editor's pieces off names, if it does: with `read` disabled
 * (`enable -n read`, zsh `disable read`) a function of that name stands in for it again, and the gate's own code
 * would call the function. The shell refuses such a line when it spells the command out; a name built at run time
 * (`e=en; e+=able; $e -n unset`) reaches the engine only, which follows the assignments.
 */
function turnsOffBuiltins(inv: Invocation): string | undefined {
  const p = inv.program;
  const what = TURNS_OFF.get(p);
  if (!what) return undefined;
  // A word the text cannot give (`o=$(printf -- -n); enable "$o" unset`) may be any option.
  if (inv.args.some((a) => /[$`]/.test(a))) return what;
  const options = inv.args.filter((a) => /^-[A-Za-z]+$/.test(a)).join('').replace(/-/g, '');
  const named = inv.args.some((a) => !a.startsWith('-'));
  // bash: -n disables, -d deletes a loaded builtin, -f loads one (code run inside the shell). Listing is fine.
  if (p === 'enable') return /[ndf]/.test(options) ? what : undefined;
  // zsh: every `disable` with a name turns something off (builtins, -r reserved words, -f functions, -a aliases).
  if (p === 'disable') return named ? what : undefined;
  // zsh: unloading a module (or switching its features off) takes its builtins and parameters away.
  if (p === 'zmodload') return /[uF]/.test(options) ? what : undefined;
  // zsh: a widget made, removed or aliased stands in for the line editor's own (accept-line).
  // (and a function that calls a widget that runs the line, `zle .accept-line`, runs it past the gate's widget when
  // a hook of the line editor calls that function)
  if (p === 'zle') return /[NDAC]/.test(options) || inv.args.some((a) => /^\.|^(accept-|execute-)/.test(a)) ? what : undefined;
  // zsh: a hook widget added (or removed) replaces zle-line-init or zle-line-finish, the gate's own among them; -L lists.
  if (p === 'add-zle-hook-widget') return options.includes('L') ? undefined : what;
  // zsh: bindkey lists with -l/-L or picks a keymap with -e/-v; anything else binds, removes or resets keys (`-d`
  // puts every keymap back to zsh's defaults, the gate's own keys among them).
  return named || /[^lLev]/.test(options) ? what : undefined;
}

/** The commands turnsOffBuiltins reads, and what each one names when it is held. */
const TURNS_OFF: ReadonlyMap<string, string> = new Map([
  ['enable', 'shell builtins'],
  ['disable', 'shell builtins'],
  ['zmodload', 'shell modules'],
  ['zle', 'key bindings'],
  ['add-zle-hook-widget', 'key bindings'],
  ['bindkey', 'key bindings'],
]);

/** Whether INV runs inside a trap's command text. */
function underTrap(inv: Invocation): boolean {
  for (let p = inv.parent; p; p = p.parent) if (p.program === 'trap') return true;
  return false;
}

export const tamper = defineRule({
  id: 'guard.tamper',
  severity: 'destructive',
  summary: 'Changes or switches off Agent Guard in this shell',
  programs: ['*'],
  match(inv: Invocation) {
    const p = inv.program;
    const assigned = Object.entries(inv.env).find(([k, v]) => GUARD_VARS.test(k) || (k === 'PATH' && replacesPath(v)));
    if (assigned) return { resource: assigned[0] };
    if (p === 'unset' || p === 'export' || p === 'declare' || p === 'typeset' || p === 'readonly') {
      const v = touchesGuardVar(inv.args);
      if (v) return { resource: v };
      const path = inv.args.find((a) => a.startsWith('PATH=') && replacesPath(a.slice(5)));
      if (path) return { resource: 'PATH' };
      if (p === 'unset' && inv.args.some((a) => a.startsWith('__agent_guard'))) return { resource: 'agent guard' };
      return null;
    }
    // `env -i bash` (or `env -u AGENT_GUARD_PORT …`) starts a shell the guard's variables never reach.
    const envCall = inv.parent?.program === 'env' ? inv.parent : p === 'env' ? inv : undefined;
    if (envCall) {
      const cleared = envCall.args.some((a) => a === '-i' || a === '--ignore-environment');
      const unsetsGuard = envCall.args.some((a, i) => (a === '-u' || a === '--unset') && GUARD_VARS.test(envCall.args[i + 1] ?? ''));
      if (unsetsGuard || (cleared && (inv === envCall || SHELL_NAMES.has(p)))) return { resource: 'environment' };
    }
    if (p === 'bind') return inv.args.some((a) => /\\C-[mjo]|accept-line|^-r$|^-f$|^-x$/.test(a)) ? { resource: 'key bindings' } : null;
    const builtins = turnsOffBuiltins(inv);
    if (builtins) return { resource: builtins };
    if (p === 'trap') return inv.args.includes('DEBUG') || inv.args.includes('-') ? { resource: 'trap' } : null;
    // A trap runs in the middle of whatever the shell is doing, the gate's own wait for the editor's answer included:
    // one that reopens descriptors (`trap 'exec 10<allow.txt' USR1`, then a signal while a line is held) had the gate
    // read an answer from a file of its choosing.
    // (`exec {fd}<file` reads as a program named `{fd}`.)
    if ((p === 'exec' || /^\{[A-Za-z_]\w*\}$/.test(p)) && inv.redirects.length && underTrap(inv)) return { resource: 'trap' };
    return null;
  },
  examples: {
    gated: [
      ['unset AGENT_GUARD_PORT', 'AGENT_GUARD_PORT'],
      ['export PATH=/usr/bin:/bin', 'PATH'],
      ['AGENT_GUARD_NESTED=1 bash -c "rm -rf data"', 'AGENT_GUARD_NESTED'],
      ["bind '\"\\C-m\": accept-line'", 'key bindings'],
      ['env -i bash', 'environment'],
      ["trap 'exec 10<ok.txt 11<ok.txt' USR1", 'trap'],
      ["trap 'exec {fd}<ok.txt' INT", 'trap'],
      ['e=en; e+=able; $e -n unset', 'shell builtins'],
      ['builtin enable -n read printf', 'shell builtins'],
      ['enable -f /tmp/x.so fake', 'shell builtins'],
      ['d=dis; d+=able; $d unfunction', 'shell builtins'],
      ["disable -r '[['", 'shell builtins'],
      ['zmodload -u zsh/system', 'shell modules'],
      ['zmodload -F zsh/system -b:sysread', 'shell modules'],
      ['z=zl; z+=e; $z -N accept-line mine', 'key bindings'],
      ["k=bind; k+=key; $k '^M' .accept-line", 'key bindings'],
      ['k=bind; k+=key; $k -d', 'key bindings'],
      ['o=$(printf -- -n); enable "$o" unset', 'shell builtins'],
      ['d=dis; d+=able; $d "$(printf unfunction)"', 'shell builtins'],
      ['add-zle-hook-widget line-finish mine', 'key bindings'],
      ['printf() { BUFFER=x; "z"le .accept-line; }', 'key bindings'],
      ['f() { zle accept-and-hold; }', 'key bindings'],
      ['a=add-zle-hook; a+=-widget; $a -d zle-line-finish __agent_guard_finish', 'key bindings'],
    ],
    allowed: ['export PATH=$HOME/bin:$PATH', 'export NODE_ENV=test', 'unset FOO', 'bind -p', 'trap cleanup EXIT', 'exec 3<input.txt', "trap 'echo done' EXIT", 'enable', 'enable -a', 'enable read', 'disable', 'zmodload zsh/datetime', 'zmodload -l', 'bindkey -L', 'bindkey -l', 'bindkey -e', 'zle -l', 'add-zle-hook-widget -L', 'f() { zle reset-prompt; }', 'zle -I'],
  },
});

/**
 * Inline code and interpreter words that read as code (`python -c "open(...,'w')"`): a bare path is a file it reads.
 * With the line's own variables put in (`d=.claude; python3 -c "open('$d/settings.json','w')"`).
 */
function codeWords(inv: Invocation): string[] {
  if (!(INLINE_CODE.has(inv.program) || (inv.program === 'sed' && inv.args.some((a) => /w /.test(a))))) return [];
  return withLineValues(inv.args.filter((x) => /[\s(;'"=+]/.test(x)), inv).concat(inv.stdin !== undefined ? [inv.stdin] : []);
}

export const guardFiles = defineRule({
  id: 'guard.config-edit',
  severity: 'destructive',
  summary: "Rewrites the guard's, VS Code's or an agent's hook configuration from the shell",
  programs: ['*'],
  match(inv: Invocation) {
    const p = inv.program;
    const positional = inv.args.filter((a) => !a.startsWith('-'));
    const redirected = new Set(withLineValues(inv.redirects.filter((r) => WRITE_REDIRECT.test(r.op)).map((r) => r.target?.text ?? ''), inv));
    let unfinished: string | undefined;
    // A path only supposed (what a folder moved away may hold) is matched as a name, not as a pattern.
    const supposed = supposedInside(p, positional);
    const written = [...touchedPaths(inv), ...withLineValues(landsInFolder(p, positional, inv.args), inv), ...handedPaths(inv)];
    // A target set to a command's output is also what that command names (`f=$(ls -d .vs?ode/s*); echo x > $f`).
    const fromOutput = inv.vars ? written.flatMap((t) => inv.vars!.outputVariants(t)) : [];
    for (const t of [...written, ...fromOutput]) {
      const pf = protectedFile(t);
      if (pf && (pf.format !== 'dotenv' || dotenvWriteMatters(inv, redirected.has(t)))) return { resource: t };
      // A relative path after a `cd` on the line (`cd .vscode && > settings.json`): where it lands.
      const at = inv.site && !/^([A-Za-z]:|[\\/~$%])/.test(t) ? inv.site.resolve(t.replace(/\\/g, '/')) : undefined;
      // Inside the line's own folder only the part below it counts: a project kept in a folder named like a
      // protected one (`~/src/agent-guard-demo/data`) is not the guard's.
      const below = at !== undefined && inv.site ? posix.relative(inv.site.origin, at) : '';
      const where = below && !below.startsWith('..') && !posix.isAbsolute(below) ? below : at;
      const there = where !== undefined ? protectedFile(where) : undefined;
      if (where !== undefined && there && there.format !== 'dotenv') {
        // Named from the protected folder on (`.vscode/settings.json`), as a person knows it.
        const m = there.pattern.exec(where) ?? new RegExp(there.pattern.source, 'i').exec(where);
        return { resource: m ? where.slice(m.index).replace(/^\//, '') : where };
      }
      // The folder the line runs in may itself be a protected one (`cd .vscode` on an earlier line): what is written
      // there is (but a project kept in a folder named like the guard's state folder is not the guard's).
      const inside = at !== undefined ? protectedFile(at) : undefined;
      if (at !== undefined && inside && inside.format !== 'dotenv' && !inside.pattern.source.includes('agent-guard')) {
        const m = new RegExp(inside.pattern.source, 'i').exec(at);
        return { resource: m ? at.slice(m.index).replace(/^\//, '') : at };
      }
      // A path only the shell can finish (`$d/settings.json` with d exported by an earlier line, `${d%x}/…`, `$1/…`,
      // `.vs*/settings.json`, `.vscode/$f`): held when a protected file fits it. (A variable the line itself sets,
      // `d=src`, is judged by its values.)
      // A path the line names outright (a value it sets) is the better name to type: these come after.
      // After a `cd` to where only the shell knows, a relative path may be in any folder (`cd "$d" && > settings.json`).
      const relative = !/^([A-Za-z]:|[\\/~$%])/.test(t);
      const anywhere = inv.movedUnseen && relative ? [`$PWD/${t}`] : [];
      // A pattern the site does not resolve (`cd .vscode && sed -i … s*.json`): in the folder the line moved to.
      const moved = inv.site && relative && inv.site.cwd !== inv.site.origin ? posix.relative(inv.site.origin, posix.join(inv.site.cwd, t)) : undefined;
      const forms = [t, ...(where !== undefined && where !== t ? [where] : []), ...(moved !== undefined && moved !== where ? [moved] : []), ...anywhere];
      for (const form of supposed.has(t) ? [] : forms) {
        const fits = fitsPattern(form, inv.vars, PROTECTED_EXAMPLES, inv.varsAt);
        if (fits && !unfinished && (protectedFile(fits.replaceAll('\u0000', 'x'))?.format !== 'dotenv' || dotenvWriteMatters(inv, redirected.has(t)))) unfinished = t;
      }
    }
    if (unfinished) return { resource: unfinished };
    // A link to a settings file or folder is a second name for it, which a later write would use unnoticed.
    if (p === 'ln' || (p === 'cp' && inv.args.some((a) => /^-[a-zA-Z]*s|^--symbolic-link$/.test(a)))) {
      const linked = positional.find((a) => (protectedFile(a) && protectedFile(a)?.format !== 'dotenv') || protectedDir(a) || fitsPattern(a.replace(/\/+$/, ''), inv.vars, PROTECTED_DIR_EXAMPLES, inv.varsAt) || fitsPattern(a, inv.vars, PROTECTED_EXAMPLES, inv.varsAt));
      if (linked) return { resource: linked };
    }
    // Inline code (`python -c "open('.claude/settings.json','w')…"`, `node -e`) that names such a file.
    for (const a of codeWords(inv)) {
      for (const m of a.matchAll(/[~\w./-]*(?:\.vscode|\.claude|\.gemini|\.qwen|\.codex|\.github\/hooks|\.copilot|\.cursor|User|Machine|agent-guard)[\w./-]*/g)) {
        if (protectedFile(m[0])) return { resource: m[0] };
      }
      // A quoted glob the code expands (`glob.glob('.vs*/s*.json')`, `fs.globSync(…)`) that a protected file fits.
      for (const m of a.matchAll(/(['"`])([^'"`\s]{1,256})\1/g)) {
        if (/[*?[]/.test(m[2]) && fitsPattern(m[2], undefined, PROTECTED_EXAMPLES)) return { resource: m[2] };
      }
    }
    return null;
  },
  examples: {
    gated: [
      ['echo \'{"agentGuard.environment":"development"}\' > .vscode/settings.json', '.vscode/settings.json'],
      ["sed -i 's/production/development/' .vscode/settings.json", '.vscode/settings.json'],
      ['rm ~/.copilot/hooks/agent-guard.json', '~/.copilot/hooks/agent-guard.json'],
      ['jq \'.disableAllHooks=true\' s.json > .claude/settings.local.json', '.claude/settings.local.json'],
      ['python3 -c "import json; json.dump({\'hooksConfig\': {\'enabled\': False}}, open(\'.gemini/settings.json\', \'w\'))"', '.gemini/settings.json'],
      ["sed -i 's/\\}/,\"agentGuard.rules.allow\":[\"*\"]}/' ~/.config/Code/User/settings.json", '~/.config/Code/User/settings.json'],
      ['cp /tmp/x.json .claude/./settings.json', '.claude/./settings.json'],
      ['dd if=/dev/null of=/root/.local/state/agent-guard/audit.jsonl', '/root/.local/state/agent-guard/audit.jsonl'],
      ['vim .gemini/settings.json', '.gemini/settings.json'],
      ['awk \'{print > ".claude/settings.json"}\' in.json', '.claude/settings.json'],
      ['mv .claude/settings.json /tmp/s.json', '.claude/settings.json'],
      ['cp conf/settings.json .vscode/', '.vscode/settings.json'],
      ['mv /tmp/settings.local.json .claude', '.claude/settings.local.json'],
      ['mv .vscode .vscode.old', '.vscode/settings.json'],
      ['mv .claude/ /tmp/', '.claude/settings.json'],
      ['f=$(ls -d .vs*/s*); sed -i s/production/development/ $f', '.vs*/s*'],
      ['sed -i s/production/development/ (.vscode|x)/settings.json', '(.vscode|x)/settings.json'],
      ['cp evil/settings.json .vscode', '.vscode/settings.json'],
      ['cp -t .vscode settings.json', '.vscode/settings.json'],
      ['install -m 644 settings.json .claude', '.claude/settings.json'],
      ['cp evil/settings.json (.vscode|x)', '(.vscode|x)/settings.json'],
      ['sed -i s/production/development/ */*(D)', '*/*(D)'],
      [`python3 -c "import glob; [open(f,'w').write('{}') for f in glob.glob('.vs*/s*.json')]"`, '.vs*/s*.json'],
      ['echo QWEN_CODE_SIMPLE=1 >> .env', '.env'],
      ['cp /tmp/x .qwen/.env', '.qwen/.env'],
      ['ln -s ~/.claude cfg', '~/.claude'],
    ],
    allowed: ['echo API_URL=http://localhost >> .env', 'rm .env', "sed -i 's/DEBUG=1/DEBUG=0/' .env", 'cat .env', 'cp conf/app.json .vscode/', 'mv build dist', 'mv src/settings.json src/old.json', 'cp settings.json backup/', 'cat .vscode/settings.json', 'cp .vscode/settings.json /tmp/backup.json.txt', 'sed -n 1,5p .vscode/settings.json', 'python3 -c "print(1)"', 'vim src/app.ts', 'jq . .claude/settings.json', 'python3 check.py .vscode/settings.json', 'out=$(mktemp); echo x > $out', 'f=$(ls *.json); sed -i s/a/b/ $f', 'if (true); then ls; fi', `python3 -c "import glob; print(glob.glob('src/*.json'))"`],
  },
});

/** A path written through one of the guard's own variables: `$AGENT_GUARD_DIR/prefilter`, `${AGENT_GUARD_STATE_DIR}`. */
const GUARD_VARIABLE_PATH = /^\$\{?AGENT_GUARD_[A-Z_]*\}?(\/|$)/;
/** Where the guard's folders lie by default (the state folder, the editor's storage for the terminals' shell folder). */
const GUARD_FOLDER = /(^|\/)(\.local\/state\/agent-guard|Application Support\/agent-guard|AppData\/Local\/agent-guard|globalStorage\/agent-guard\.agent-guard)(\/|$)/i;

/** Whether a path as written is one of Agent Guard's own files or folders (by variable, default place or real path). */
export function isGuardFile(path: string, inv: Invocation): boolean {
  const p = path.replace(/^["']|["']$/g, '');
  if (GUARD_VARIABLE_PATH.test(p) || /AGENT_GUARD_[A-Z]/.test(p) || GUARD_FOLDER.test(p.replace(/\\/g, '/'))) return true;
  const site = inv.site;
  if (!site) return false;
  return site.resolveAll(p).some((abs) => site.isGuardPath(abs)) || site.globMayBeGuard(p);
}

/** Code that names the guard's variables or folders (`os.environ['AGENT_GUARD_DIR']`, `process.env.AGENT_GUARD_DIR`). */
function codeNamesGuard(code: string, inv: Invocation): string | undefined {
  const v = /AGENT_GUARD_[A-Z_]+/.exec(code);
  if (v) return v[0];
  for (const m of code.matchAll(/[~\w./-]*\/[\w./-]+/g)) if (isGuardFile(m[0], inv)) return m[0];
  return undefined;
}

export const ownFiles = defineRule({
  id: 'guard.own-files',
  severity: 'destructive',
  summary: "Changes, moves or deletes Agent Guard's own files (shell hooks, shims, word lists, audit log, hook launcher)",
  programs: ['*'],
  match(inv: Invocation) {
    const hit = touchedPaths(inv, true).find((t) => isGuardFile(t, inv));
    if (hit) return { resource: hit };
    for (const a of codeWords(inv)) {
      const named = codeNamesGuard(a, inv);
      if (named) return { resource: named };
    }
    return null;
  },
  examples: {
    gated: [
      ['printf "1\\nnormal\\nzz\\n" > "$AGENT_GUARD_DIR/prefilter"', '$AGENT_GUARD_DIR/prefilter'],
      // Keeping an old version's marker would keep running shells on old word lists (through a freeze).
      ['touch "$AGENT_GUARD_DIR/current/1796372778696-2641"', '$AGENT_GUARD_DIR/current/1796372778696-2641'],
      ['cd "$AGENT_GUARD_DIR"/current && touch 1796372778696-2641', '$AGENT_GUARD_DIR/current'],
      ['mv "$AGENT_GUARD_DIR/lib.bash" /tmp/lib.old', '$AGENT_GUARD_DIR/lib.bash'],
      ['cp /dev/null ${AGENT_GUARD_DIR}/shim.sh', '${AGENT_GUARD_DIR}/shim.sh'],
      ['dd if=/dev/zero of=$AGENT_GUARD_DIR/prefilter count=0', '$AGENT_GUARD_DIR/prefilter'],
      ["sed -i 's/ rm / /' $AGENT_GUARD_DIR/prefilter", '$AGENT_GUARD_DIR/prefilter'],
      ['chmod -x "$AGENT_GUARD_DIR/shim.sh"', '$AGENT_GUARD_DIR/shim.sh'],
      // The native shim (Linux): a program put in its place would answer for every guarded program a script runs.
      ['cp /bin/true "$AGENT_GUARD_DIR/shim"', '$AGENT_GUARD_DIR/shim'],
      ['ln -sf /dev/null $AGENT_GUARD_DIR/bin/rm', '$AGENT_GUARD_DIR/bin/rm'],
      ['ln -s "$AGENT_GUARD_DIR" g', '$AGENT_GUARD_DIR'],
      ['find "$AGENT_GUARD_DIR/bin" -delete', '$AGENT_GUARD_DIR/bin'],
      // A compressor replaces the file by file.gz: the shim's links then point at nothing.
      ['gzip -f "$AGENT_GUARD_DIR/shim"', '$AGENT_GUARD_DIR/shim'],
      ['xz "$AGENT_GUARD_DIR/prefilter"', '$AGENT_GUARD_DIR/prefilter'],
      ['cd "$AGENT_GUARD_DIR"', '$AGENT_GUARD_DIR'],
      ['tee ~/.local/state/agent-guard/audit.jsonl.head < /dev/null', '~/.local/state/agent-guard/audit.jsonl.head'],
      ['perl -pi -e "s/rm//" ~/.config/Code/User/globalStorage/agent-guard.agent-guard/shell/prefilter', '~/.config/Code/User/globalStorage/agent-guard.agent-guard/shell/prefilter'],
      ['python3 -c "import os; open(os.environ[\'AGENT_GUARD_DIR\']+\'/prefilter\',\'w\')"', 'AGENT_GUARD_DIR'],
      ['node -e "require(\'fs\').writeFileSync(process.env.AGENT_GUARD_DIR+\'/prefilter\', \'\')"', 'AGENT_GUARD_DIR'],
    ],
    allowed: ['cat "$AGENT_GUARD_DIR/prefilter"', 'ls ~/.local/state/agent-guard', 'echo $AGENT_GUARD_DIR', 'cp ~/.local/state/agent-guard/audit.jsonl /tmp/audit-copy.jsonl', 'cd src', 'mv a.txt b.txt', 'tail -f ~/.local/state/agent-guard/audit.jsonl', 'grep rm "$AGENT_GUARD_DIR/prefilter"', 'gzip -c "$AGENT_GUARD_DIR/prefilter" > /tmp/p.gz', 'zstd "$AGENT_GUARD_DIR/prefilter" -o /tmp/p.zst'],
  },
});

export const pathPrepend = defineRule({
  id: 'guard.path-prepend',
  severity: 'risky',
  summary: "Puts a folder the agent can write ahead of PATH (or one holding guarded programs): a plain program name would then run what is there, unchecked. Asked in production and staging; development allows it",
  programs: ['*'],
  match(inv: Invocation) {
    // PowerShell's and cmd's PATH (`;`, drive letters) is not this rule's: the line gates are bash's and zsh's.
    if (inv.dialect) return null;
    for (const [name, value] of pathAssignments(inv.env, inv.program, inv.args)) {
      const ahead = prependedFolders(name, value);
      if (ahead === 'unknown') return { resource: name, detail: 'it changes the current PATH in a way the text does not say' };
      for (const folder of ahead ?? []) {
        const why = aheadRisk(folder, inv);
        if (why) return { resource: folder === '' ? '.' : folder, detail: why };
      }
    }
    return null;
  },
  examples: {
    // Written into a development folder these still run (severity risky); production and staging ask.
    gated: [
      ['PATH=$PWD/tools:$PATH', '$PWD/tools'],
      ['export PATH="$PWD/node_modules/.bin:$PATH"', '$PWD/node_modules/.bin'],
      ['PATH=tools:$PATH tidy', 'tools'],
      ['PATH=:$PATH', '.'],
      ['PATH=/tmp/x/bin:$PATH', '/tmp/x/bin'],
      ['declare -gx PATH=~/.local/bin:$PATH', '~/.local/bin'],
      ['typeset -x PATH=$HOME/bin${PATH:+:$PATH}', '$HOME/bin'],
      ['path=(~/bin $path)', '~/bin'],
      ['env PATH=/dev/shm/t:$PATH make', '/dev/shm/t'],
      ['PATH=$TOOLS:$PATH', '$TOOLS'],
      ['PATH=${PATH/\\/usr\\/bin/\\/tmp\\/t:\\/usr\\/bin}', 'PATH'],
      // Not writable by a user, but ahead of the shims: a script's rm would be /usr/bin/rm, unchecked.
      ['PATH=/usr/bin:$PATH', '/usr/bin'],
    ],
    allowed: ['PATH=$PATH:$PWD/tools', 'export PATH=${PATH}:~/bin', 'PATH+=:/opt/x/bin', 'path+=(~/bin)', 'path=($path ~/bin)', 'export PATH', 'echo $PATH', 'PATH=/usr/games:$PATH', 'export PATH=/usr/local/games${PATH:+:$PATH}'],
  },
});

export const linkAbove = defineRule({
  id: 'guard.link-above',
  severity: 'destructive',
  summary: "Makes (or moves to where it climbs higher) a symbolic link to Agent Guard's own folder or a folder above it: its files would then have a second name that never names them",
  programs: ['*'],
  match(inv: Invocation) {
    const site = inv.site;
    for (const l of [...linksMade(inv, codeWords(inv)), ...linksCarried(inv)]) {
      // A link into the guard's own folder, or to one of its files by a variable: guard.own-files.
      if (isGuardFile(l.target, inv)) continue;
      const folder = site?.resolve(l.into ? l.at : posix.dirname(l.at));
      const lead = !site ? undefined : l.fromCwd || folder === undefined ? site.resolve(l.target) : site.linkTarget(posix.join(folder, 'link'), l.target);
      // `$(which python3)` is a program file: never a folder above the guard's.
      if (/^(\$\(which [\w.+-]+\)|`which [\w.+-]+`)$/.test(l.target)) continue;
      if (lead === undefined) {
        // Relative to a folder the text does not give, or through a variable: where it leads is not known.
        if (/[$`]/.test(l.target) || (folder === undefined && !l.target.startsWith('/'))) return { resource: l.target, severity: 'risky', detail: 'where the link leads is not known when the line is checked' };
        continue;
      }
      if (site?.reachesGuard(lead)) return { resource: l.target, detail: `${l.into ? `a link in ${l.at}` : l.at} would lead to ${lead}, which holds Agent Guard's own folder` };
    }
    return null;
  },
  examples: {
    gated: [
      ['ln -s / r', '/'],
      ['ln -s ~ h', '~'],
      ['ln -sT -- $HOME h', '$HOME'],
      ['ln -s ../../../../../../../../../.. up', '../../../../../../../../../..'],
      ['ln -rs / r', '/'],
      // Home holds the state folder (~/.local/state/agent-guard, ~/Library/Application Support/agent-guard).
      ['cp -rs ~ r', '~'],
      ['ln -s -t links / ~', '/'],
      ['python3 -c "import os; os.symlink(\'/\', \'r\')"', '/'],
      ['node -e "require(\'fs\').symlinkSync(\'/\', \'r\')"', '/'],
      ['ln -s $X u', '$X'],
    ],
    allowed: ['ln -s data/file alias', 'ln -s ../sibling x', 'ln -s $(which python3) py', 'ln -s /usr/bin/python3 py', 'ln -sf ../shared/config.json config.json', 'ln data/a b', 'cp -r ~/.local/share/x y', 'ln -s -- dist/app.js app.js', "python3 -c \"import os; os.symlink('build/out', 'out')\""],
  },
});

export * from './guardSessions';
