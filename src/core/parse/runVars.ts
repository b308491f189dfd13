// Variables that make programs run or do something else: pagers, editors and helpers a program runs (PAGER, EDITOR,
// GIT_SSH_COMMAND…), terraform's TF_CLI_ARGS, git's settings from GIT_CONFIG_*. What they will run is judged with the
// line that sets them, whether on a command or for every later one (`export`).
import type { Invocation } from './invocation';
import type { LauncherHost } from './launchers';

/** Variables whose value a program runs as a command: pagers, editors, ssh and askpass helpers, less's input filter. */
const RUN_VARS = /^(PAGER|MANPAGER|GIT_PAGER|SYSTEMD_PAGER|EDITOR|VISUAL|GIT_EDITOR|GIT_SEQUENCE_EDITOR|SVN_EDITOR|GIT_SSH_COMMAND|GIT_SSH|GIT_ASKPASS|SSH_ASKPASS|SUDO_ASKPASS|GIT_EXTERNAL_DIFF|LESSOPEN|LESSCLOSE|RSYNC_RSH|BROWSER)$/;

/** Git settings whose value git runs in a shell (an alias only when it starts with `!`). */
const GIT_RUN_KEYS = /^(alias\..+|core\.(pager|editor|sshcommand|fsmonitor|askpass|gitproxy)|sequence\.editor|pager\..+|diff\.external|diff\..+\.(textconv|command)|filter\..+\.(clean|smudge|process)|merge\..+\.driver|credential\.helper|credential\..+\.helper|gpg\.program|gpg\..+\.program|uploadpack\.packobjectshook|sendemail\.(smtpserver|tocmd|cccmd)|web\.browser|browser\..+\.cmd|difftool\..+\.cmd|mergetool\..+\.cmd)$/i;

/** The command a variable's value runs (`LESSOPEN='|cmd %s'` is cmd), or undefined when it runs none. */
function varCommand(name: string, value: string): string | undefined {
  const v = name === 'LESSOPEN' || name === 'LESSCLOSE' ? value.replace(/^\|+-?/, '') : value;
  return v.trim() ? v.replace(/%s/g, 'file') : undefined;
}

/** The command a git setting's value runs, or undefined. */
export function gitValueCommand(key: string, value: string): string | undefined {
  const k = key.toLowerCase();
  if (!GIT_RUN_KEYS.test(k)) return undefined;
  if (k.startsWith('alias.') || /^credential\./.test(k)) return value.startsWith('!') ? value.slice(1) : undefined;
  return value.trim() ? value : undefined;
}

const TERRAFORMS = new Set(['terraform', 'tofu', 'terragrunt']);
/** Variables terraform takes arguments from, inserted after its command: TF_CLI_ARGS, and TF_CLI_ARGS_<command>. */
const TF_ARGS = /^TF_CLI_ARGS(?:_([a-z][a-z0-9-]*))?$/;

/** git's settings given by variables: GIT_CONFIG_KEY_<n>/GIT_CONFIG_VALUE_<n>, and GIT_CONFIG_PARAMETERS. */
function gitVarSettings(vars: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, key] of Object.entries(vars)) {
    const n = /^GIT_CONFIG_KEY_(\d+)$/.exec(name)?.[1];
    if (n !== undefined) out.push([key, vars[`GIT_CONFIG_VALUE_${n}`] ?? '']);
  }
  // 'alias.st'='!cmd' (git 2.31+) or 'alias.st=!cmd'.
  for (const m of (vars.GIT_CONFIG_PARAMETERS ?? '').matchAll(/'((?:[^']|'\\'')*)'(?:='((?:[^']|'\\'')*)')?/g)) {
    const [k, v] = [m[1], m[2]].map((x) => x?.replace(/'\\''/g, "'"));
    if (v !== undefined) out.push([k, v]);
    else if (k.includes('=')) out.push([k.slice(0, k.indexOf('=')), k.slice(k.indexOf('=') + 1)]);
  }
  return out;
}

/**
 * Reads what variables will make programs run: those set on a command (`GIT_PAGER='…' git -p log`, `EDITOR=…
 * crontab -e`) and, with `declared`, those a line sets for every later command (`export GIT_PAGER=…`, a bare
 * `TF_CLI_ARGS_apply=…`), judged when they are set. terraform's TF_CLI_ARGS flags count as typed (`-destroy`), and
 * git's settings from GIT_CONFIG_* as `git -c` ones.
 */
export function readRunVars(inv: Invocation, host: LauncherHost, declared: [string, string][] = []): void {
  const vars: Record<string, string> = { ...inv.env, ...Object.fromEntries(declared) };
  for (const [name, value] of Object.entries(vars)) {
    if (RUN_VARS.test(name)) {
      const cmd = varCommand(name, value);
      if (cmd !== undefined) host.script(cmd, inv);
      continue;
    }
    const tf = TF_ARGS.exec(name);
    const cmd = tf && value.trim() ? terraformWith(inv, tf[1], value) : undefined;
    if (cmd !== undefined) host.script(cmd, inv);
  }
  for (const [key, value] of gitVarSettings(vars)) {
    const cmd = gitValueCommand(key, value);
    if (cmd !== undefined) host.script(cmd, inv);
  }
}

/**
 * The terraform command a TF_CLI_ARGS variable makes: on a terraform command, that command with the variable's flags
 * after its own command word (TF_CLI_ARGS_<command> only for that command); set for later, `terraform <command>`
 * (apply for TF_CLI_ARGS) with them. Undefined when the variable names another command than the one run.
 */
function terraformWith(inv: Invocation, only: string | undefined, value: string): string | undefined {
  if (!TERRAFORMS.has(inv.program)) return `terraform ${only ?? 'apply'} ${value}`;
  const words = inv.argWords.map((w) => w.raw);
  const at = inv.args.findIndex((a) => !a.startsWith('-'));
  if (at < 0 || (only !== undefined && inv.args[at] !== only)) return undefined;
  return [inv.path, ...words.slice(0, at + 1), value, ...words.slice(at + 1)].join(' ');
}

