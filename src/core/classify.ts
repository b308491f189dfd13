// The engine: a command line in, a Decision out. Every surface (terminals, tasks, agent hooks, the CLI) calls this.

import { credentialUseOutsideHome, CredentialUse, CredentialUseOptions, redactCredentials } from './credentials/gate';
import { PROCESS_FINGERPRINT_KEY } from './credentials/mask';
import type { CredentialFinding } from './credentials/types';
import type { ShellKind } from './parse/dialect';
import { expand, Invocation } from './parse/invocation';
import { CompiledUserRules, DEFAULT_POLICY, FREEZE_POLICY, UNPARSEABLE_POLICY, UserRules } from './policy';
import { isReadOnly } from './readonly';
import { RULES } from './rules';
import type { Rule } from './rules/rule';
import { joinResources, standIn } from './rules/rule';
import { defaultGuardPaths, Site, windowsFolder } from './site';
import { Decision, Finding, FREEZE_RULE, maxSeverity, Severity, severityRank, Tier, Verdict, verdictRank } from './types';

export interface EngineOptions {
  tier?: Tier;
  /** Plan-only mode: everything that changes state is held. */
  freeze?: boolean;
  rules?: UserRules;
  /**
   * What the credential scan found, for the `credentials.unrelated-token` check and to keep found secrets out of
   * every field of the Decision. `cwd` is the command's working folder relative to the workspace `root`.
   */
  credentials?: EngineCredentials;
  /**
   * Agent Guard's own folders and files (the terminals' shell folder, the state folder): writing, moving or deleting
   * them is held. Default: the state folder and AGENT_GUARD_DIR of this process.
   */
  guardPaths?: string[];
}

/** Where a line runs. With a `cwd` the engine reads the files the line runs (scripts, Makefiles, package.json). */
export interface CommandContext {
  cwd?: string;
}

export interface EngineCredentials extends CredentialUseOptions {
  findings: readonly CredentialFinding[];
  /** Globs, relative to the workspace root, where the person keeps credentials meant for use. */
  configuredLocations: readonly string[];
}

/**
 * An engine-level check (it needs the scan's findings, so it is not a declaration in src/core/rules): a command
 * that uses a credential found in a file other than where the person configured credentials. `risky`: held in
 * staging and production, allowed in development.
 */
export const UNRELATED_TOKEN_RULE = 'credentials.unrelated-token';
const UNRELATED_TOKEN_SUMMARY = 'Uses a credential found in a file other than where credentials are configured';

/** Command lines longer than this are checked up to this length and treated as not understood. */
export const MAX_COMMAND_LENGTH = 2 * 1024 * 1024;

const RULE_INDEX: ReadonlyMap<string, readonly Rule[]> = indexRules(RULES);
const EVERY_PROGRAM: readonly Rule[] = RULE_INDEX.get('*') ?? [];
/** Rules about text only known at run time, which a script read from a file runs as its own plumbing. */
const OPAQUE_IN_FILES = new Set(['exec.dynamic-command', 'exec.eval-dynamic']);
/** Whether the run-time text is what the caller passed (`exec "$@"`, `eval "$1"`): the program word, or eval's words. */
function passedIn(inv: Invocation): boolean {
  const words = inv.program === 'eval' ? inv.argWords.filter((w) => w.dynamic).map((w) => w.raw) : [inv.path];
  return words.some((w) => /\$\{?[@*0-9]/.test(w));
}

/** Programs some rule looks at by name: a renamed copy or link of one is judged as that program. */
const GUARDED_PROGRAMS: ReadonlySet<string> = new Set([...RULE_INDEX.keys()].filter((p) => p !== '*' && !/^(sh|bash|zsh|dash|ksh|env|sudo|xargs|cat|echo|printf|true|false|test)$/.test(p)));

function indexRules(rules: readonly Rule[]): Map<string, Rule[]> {
  const index = new Map<string, Rule[]>();
  for (const r of rules) {
    for (const p of r.programs) {
      const list = index.get(p);
      if (list) list.push(r);
      else index.set(p, [r]);
    }
  }
  return index;
}

/** The rules that fired on one invocation. A rule that throws is reported, never fatal. */
export function findingsFor(inv: Invocation): Finding[] {
  const out: Finding[] = [];
  const candidates = RULE_INDEX.get(inv.program);
  for (const list of candidates ? [candidates, EVERY_PROGRAM] : [EVERY_PROGRAM]) {
    for (const rule of list) {
      let m;
      try {
        m = rule.match(inv);
      } catch (e) {
        m = { resource: inv.program, detail: `rule error: ${(e as Error).message}` };
      }
      if (!m) continue;
      // A script read from disk runs programs from its own variables (`"$JAVACMD"`, `eval set -- …` in gradlew): that
      // is its plumbing, and the shims still ask about guarded programs it starts by name. What the line passes in
      // (`exec "$@"`) is still judged as hidden.
      if (inv.file !== undefined && OPAQUE_IN_FILES.has(rule.id) && !passedIn(inv)) continue;
      out.push({
        rule: rule.id,
        severity: m.severity ?? rule.severity,
        summary: rule.summary,
        // A resource is what a person types: never let it be blank.
        resource: m.resource.trim() || standIn(inv),
        command: inv.text,
        ...(m.detail || inv.file ? { detail: [m.detail, inv.file && `in ${inv.file}`].filter(Boolean).join('; ') } : {}),
        ...(m.inPlace ? { inPlace: m.inPlace } : {}),
      });
    }
  }
  return out;
}

interface Judged {
  verdict: Verdict;
  severity: Severity;
  findings: Finding[];
  command: string;
  userRule?: string;
}

/**
 * Whether the shell runs LINE as soon as its here-documents end (see Engine.decide): with quoted text taken out, no
 * group, substitution or compound command is left open in it, and it ends with no operator that reads on.
 */
function endsWithItsHeredocs(line: string): boolean {
  const bare = line.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");
  if (/[(){}`]|\$\(/.test(bare)) return false;
  if (/(^|[;&|\s])(if|then|else|elif|do|done|while|until|for|select|case|esac|function|coproc)(\s|;|$)/.test(bare)) return false;
  return !/(&&|\|\||\||\\|;;)\s*$/.test(bare.trimEnd());
}

export class Engine {
  readonly tier: Tier;
  readonly freeze: boolean;
  readonly userRules: CompiledUserRules;
  private readonly credentials?: EngineCredentials;

  constructor(readonly options: EngineOptions = {}) {
    this.tier = options.tier ?? 'unknown';
    this.freeze = !!options.freeze;
    this.userRules = new CompiledUserRules(options.rules);
    if (options.credentials?.findings.length) this.credentials = options.credentials;
  }

  /** `text` with every found credential's value replaced by its mask: for prompts, logs and the audit trail. */
  redact(text: string): string {
    const c = this.credentials;
    return c ? redactCredentials(text, c.findings, c.key ?? PROCESS_FINGERPRINT_KEY) : text;
  }

  /** `shell`: the language the line is written in (a PowerShell tool's command, a cmd terminal); bash by default. */
  classify(commandLine: unknown, shell: ShellKind = 'bash', context: CommandContext = {}): Decision {
    return this.redacted(this.decide(commandLine, shell, context));
  }

  private site(context: CommandContext): Site | undefined {
    const guardPaths = this.options.guardPaths ?? defaultGuardPaths();
    try {
      if (typeof context.cwd === 'string' && context.cwd.startsWith('/')) return new Site({ cwd: context.cwd, guardPaths, readsFiles: true, guarded: GUARDED_PROGRAMS });
      const drive = typeof context.cwd === 'string' ? windowsFolder(context.cwd) : undefined;
      if (drive !== undefined) return new Site({ cwd: drive, guardPaths, readsFiles: true, guarded: GUARDED_PROGRAMS });
      // A folder given some other way (relative, a UNC share) is not one the reader opens: a script file run there is not understood.
      const unread = typeof context.cwd === 'string' && context.cwd.trim() ? `is in ${context.cwd}, a folder the guard does not read on this system` : undefined;
      return new Site({ cwd: process.cwd(), guardPaths, readsFiles: false, guarded: GUARDED_PROGRAMS, ...(unread ? { unread } : {}) });
    } catch {
      return undefined;
    }
  }

  private decide(commandLine: unknown, shell: ShellKind, context: CommandContext): Decision {
    if (typeof commandLine !== 'string') {
      return this.notUnderstood('', 'the command is not text');
    }
    let text = commandLine;
    const errors: string[] = [];
    if (text.length > MAX_COMMAND_LENGTH) {
      errors.push(`longer than ${MAX_COMMAND_LENGTH} characters`);
      text = text.slice(0, MAX_COMMAND_LENGTH);
    }
    let invocations: Invocation[];
    let heredocOpen = false;
    try {
      let ex = expand(text, shell, this.site(context));
      // A here-document typed line by line (a terminal's gate asks at each Enter) is unfinished until its last line:
      // judged as if it ended here. Nothing runs before the shell reads its end, and then the whole is judged again.
      // Only for a first line that the shell runs as soon as its here-documents end (no `&&`, `|`, `\` at its end, no
      // compound command or group): every later line is then a body, and where the shell ends one it runs the first
      // line alone, which was judged. Any other unfinished command is still not understood.
      const open = ex.errors.map((e) => /^heredoc not closed by ([^\n]+)$/.exec(e)?.[1]);
      if (shell === 'bash' && open.length && open.every((d) => d !== undefined && !d.endsWith('…')) && endsWithItsHeredocs(text.split('\n', 1)[0])) {
        const closed = expand(`${text}\n${open.join('\n')}`, shell, this.site(context));
        if (!closed.errors.length) {
          ex = closed;
          heredocOpen = true;
        }
      }
      invocations = ex.invocations;
      errors.push(...ex.errors);
    } catch (e) {
      return this.notUnderstood(text, `internal parser error: ${(e as Error).message}`);
    }

    const credentialFindings = this.credentialFindings(text, invocations);
    const judged = invocations.map((inv, i) => this.judge(inv, credentialFindings[i]));
    // The working folder names a resource only for a command that runs in it: not after a `cd`, nor over ssh or docker.
    const moves = invocations.some((inv) => MOVES.has(inv.program));
    invocations.forEach((inv, i) => {
      if (moves || inv.origin === 'remote' || inv.via.some((w) => !STAYS.has(w))) for (const f of judged[i].findings) delete f.inPlace;
    });
    let worst: Judged | undefined;
    let severity: Severity = 'read';
    for (const j of judged) {
      severity = maxSeverity(severity, j.severity);
      if (!worst || verdictRank(j.verdict) > verdictRank(worst.verdict) || (j.verdict === worst.verdict && severityRank(j.severity) > severityRank(worst.severity))) worst = j;
    }
    const findings = judged.flatMap((j) => j.findings);
    const parseError = errors.length ? errors.join('; ') : undefined;

    let decision: Verdict = worst?.verdict ?? 'allow';
    if (parseError && verdictRank(UNPARSEABLE_POLICY[this.tier]) > verdictRank(decision)) {
      return this.notUnderstood(text, parseError, findings, severity);
    }
    const gating = judged.filter((j) => j.verdict === decision && decision !== 'allow');
    const gatingFindings = gating.flatMap((j) => j.findings);
    const rules = [...new Set((decision === 'allow' ? [] : gatingFindings).map((f) => f.rule).concat(gating.flatMap((j) => (j.findings.length ? [] : j.userRule ? [`user:${j.userRule}`] : this.freeze ? [FREEZE_RULE] : []))))];
    if (parseError && decision !== 'allow') rules.push('parse.not-understood');
    const resource = decision === 'allow' ? null : joinResources(gating.flatMap((j) => (j.findings.length ? j.findings.map((f) => f.resource) : [standInFor(j.command)])));
    return {
      decision,
      severity,
      rules,
      resource,
      reason: this.reason(decision, worst, parseError) + (heredocOpen ? ' (A here-document is still open: judged as if it ended here.)' : ''),
      command: decision === 'allow' ? text.trim() : (worst?.command ?? text.trim()),
      tier: this.tier,
      freeze: this.freeze,
      findings,
      ...(parseError ? { parseError } : {}),
    };
  }

  private judge(inv: Invocation, extra: readonly Finding[] = []): Judged {
    const findings = [...findingsFor(inv), ...extra];
    let severity: Severity = isReadOnly(inv) ? 'read' : 'write';
    for (const f of findings) severity = maxSeverity(severity, f.severity);
    let verdict = DEFAULT_POLICY[this.tier][severity];
    let userRule: string | undefined;
    if (!this.userRules.empty) {
      const u = this.userRules.verdictFor(userText(inv), findings.map((f) => f.rule));
      if (u) {
        verdict = u.verdict;
        userRule = u.entry;
        for (const f of findings) f.userRule = u.entry;
      }
    }
    if (this.freeze && verdictRank(FREEZE_POLICY[severity]) > verdictRank(verdict)) verdict = FREEZE_POLICY[severity];
    return { verdict, severity, findings, command: inv.text, userRule };
  }

  /** Per invocation, the `credentials.unrelated-token` findings of the uses credentialUseOutsideHome reports. */
  private credentialFindings(text: string, invocations: readonly Invocation[]): Finding[][] {
    const out: Finding[][] = invocations.map(() => []);
    const c = this.credentials;
    if (!c || !invocations.length) return out;
    let uses: CredentialUse[];
    try {
      uses = credentialUseOutsideHome(text, c.findings, c.configuredLocations, c);
    } catch (e) {
      // Like a rule that throws: reported, never fatal, and never silently passed.
      out[0].push({ rule: UNRELATED_TOKEN_RULE, severity: 'risky', summary: UNRELATED_TOKEN_SUMMARY, resource: standIn(invocations[0]), command: invocations[0].text, detail: `rule error: ${(e as Error).message}` });
      return out;
    }
    if (!uses.length) return out;
    // A use names its simple command by its redacted text: find the invocation it came from.
    const redactedTexts = invocations.map((inv) => this.redact(inv.text));
    const home = c.configuredLocations.length ? `credentials are configured in ${c.configuredLocations.join(', ')}` : 'no credential locations are configured';
    for (const u of uses) {
      const i = Math.max(0, redactedTexts.indexOf(u.command));
      const f = u.finding;
      const what = u.how === 'file' ? `loads ${f.file}, which holds a ${f.label} (line ${f.line})` : `uses the ${f.label} found in ${f.file}:${f.line}`;
      out[i].push({ rule: UNRELATED_TOKEN_RULE, severity: 'risky', summary: UNRELATED_TOKEN_SUMMARY, resource: u.resource, command: invocations[i].text, detail: `${what}; ${home}` });
    }
    return out;
  }

  /** No field of a Decision carries a found credential's value: the prompt, the log and the audit trail show it. */
  private redacted(d: Decision): Decision {
    if (!this.credentials) return d;
    const r = (s: string) => this.redact(s);
    for (const f of d.findings) {
      f.command = r(f.command);
      f.resource = r(f.resource);
      if (f.detail !== undefined) f.detail = r(f.detail);
      if (f.userRule !== undefined) f.userRule = r(f.userRule);
    }
    return {
      ...d,
      rules: d.rules.map(r),
      resource: d.resource === null ? null : r(d.resource),
      reason: r(d.reason),
      command: r(d.command),
      ...(d.parseError !== undefined ? { parseError: r(d.parseError) } : {}),
    };
  }

  private reason(decision: Verdict, worst: Judged | undefined, parseError: string | undefined): string {
    const where = this.freeze ? `${this.tier} (frozen)` : this.tier;
    if (!worst || decision === 'allow') {
      if (parseError) return `Allowed in ${where}, though not fully understood: ${parseError}.`;
      return worst && worst.findings.length
        ? `Allowed by ${worst.userRule ? `your rule "${worst.userRule}"` : `the ${where} policy`}: ${worst.findings[0].summary}.`
        : 'Nothing destructive found.';
    }
    const f = worst.findings[0];
    const what = f ? `${f.summary}${f.detail ? ` (${f.detail})` : ''}` : this.freeze && worst.severity !== 'read' ? 'it changes state' : `matches your rule "${worst.userRule}"`;
    const by = worst.userRule ? ` — your rule "${worst.userRule}"` : this.freeze ? ' — freeze is on' : '';
    if (decision === 'deny') return `Refused in ${where}: ${what}${by}.`;
    return `Held in ${where}: ${what}${by}.`;
  }

  /** The decision for a command the engine did not get to judge (too long to judge in time): not understood. */
  unjudged(commandLine: string, why: string): Decision {
    return this.redacted(this.notUnderstood(commandLine.length > 500 ? commandLine.slice(0, 500) : commandLine, why));
  }

  private notUnderstood(text: string, why: string, findings: Finding[] = [], severity: Severity = 'write'): Decision {
    const verdict = UNPARSEABLE_POLICY[this.tier];
    const decision: Verdict = findings.length && findings.some((f) => f.severity === 'catastrophic') && this.tier === 'production' ? 'deny' : verdict;
    return {
      decision,
      severity,
      rules: ['parse.not-understood', ...new Set(findings.map((f) => f.rule))],
      resource: decision === 'allow' ? null : joinResources(findings.length ? findings.map((f) => f.resource) : [standInFor(text)]),
      reason: `${decision === 'allow' ? 'Allowed' : decision === 'deny' ? 'Refused' : 'Held'} in ${this.tier}: the command could not be understood (${why}).`,
      command: text.length > 500 ? text.slice(0, 500) + '…' : text.trim(),
      tier: this.tier,
      freeze: this.freeze,
      findings,
      parseError: why,
    };
  }
}

/** The text user command globs match: the program and its arguments, after wrappers. */
function userText(inv: Invocation): string {
  return [inv.program, ...inv.args].join(' ');
}

/** Programs after which a line's commands run in another folder. */
const MOVES: ReadonlySet<string> = new Set(['cd', 'pushd', 'popd', 'chdir', 'Set-Location', 'Push-Location', 'Pop-Location']);
/** Wrappers that run their command in the same folder, on the same machine. */
const STAYS: ReadonlySet<string> = new Set(['nice', 'nohup', 'time', 'timeout', 'command', 'exec', 'builtin', 'stdbuf', 'ionice', 'caffeinate']);

export { FREEZE_RULE };

/** A stand-in resource for a command held without a rule (freeze, a user rule, not understood). */
function standInFor(text: string): string {
  // The program and what it acts on: options are not a name a person recognises (`rm -rf build` -> `rm build`).
  const words = text.trim().split(/\s+/).filter((w) => w && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) && !/^-/.test(w));
  const cmd = words.slice(0, 2).join(' ');
  return cmd.length > 60 ? cmd.slice(0, 60) : cmd || 'command';
}

/** Classifies one command line with the given options. For many lines, build one Engine and reuse it. */
export function classify(commandLine: string, options: EngineOptions = {}, shell: ShellKind = 'bash', context: CommandContext = {}): Decision {
  return new Engine(options).classify(commandLine, shell, context);
}
