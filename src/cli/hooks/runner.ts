// `agent-guard hook <agent>`: reads one tool call from the agent on stdin, judges it with the engine, and answers in
// that agent's JSON. A held command waits for a typed approval in the VS Code window that has the folder open; with
// no window, or no answer before the agent's own hook timeout would fire (a timeout lets the tool run in every agent
// but Cursor), it is refused with a message saying how the person can run it themselves.

import { AuditLog, type AuditEntry, type DecidedBy } from '../../core/audit/log';
import { Engine } from '../../core/classify';
import { candidateShells } from '../../core/parse/dialect';
import { stricterTier } from '../../core/environment';
import { detectFolderTier } from '../../core/folderTier';
import { floorFor, raiseFloor } from '../../core/tierFloor';
import { auditLogPath, stateDir } from '../../core/paths';
import { nameInPlace } from '../../core/place';
import { UNPARSEABLE_POLICY } from '../../core/policy';
import { parseTier, severityRank, TIERS, verdictRank, type Decision, type Tier } from '../../core/types';
import { ask as askGate, gateFromEnv, type AskResult, type GateAddress } from '../../gate/client';
import { readPlace } from '../../gate/place';
import { findWindow, registryDir, unverifiedWindows, windowForGate, type WindowEntry } from '../../gate/registry';
import type { Io } from '../main';
import { AGENT_IDS, AGENT_NAMES, diskFiles, isAgentId, isWithin, str, type Adapter, type AgentId, type Extraction, type FileView, type Payload, type ToolCall, type Verdict } from './adapter';
import { claude } from './claude';
import { codex } from './codex';
import { copilot, VSCODE_LOCAL_TOOLS } from './copilot';
import { HOOK_TIMEOUT_SECONDS } from '../../core/agents/hookConfig';
import { cursor } from './cursor';
import { gemini } from './gemini';
import { qwen } from './qwen';

export const ADAPTERS: Readonly<Record<AgentId, Adapter>> = { copilot, claude, cursor, codex, gemini, qwen };

/** Answer this long before the agent's hook timeout (installed as HOOK_TIMEOUT_SECONDS), so the agent never kills us. */
const DEADLINE_MARGIN_SECONDS = 20;
export const DEFAULT_DEADLINE_MS = (HOOK_TIMEOUT_SECONDS - DEADLINE_MARGIN_SECONDS) * 1000;
/** A Write of a large file carries its content: allow for it, but never read without bound. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
const STDIN_TIMEOUT_MS = 10_000;
const PRE_TOOL_EVENTS = new Set(['PreToolUse', 'preToolUse', 'beforeShellExecution', 'BeforeTool']);

export interface HookDeps {
  env: NodeJS.ProcessEnv;
  cwd: string;
  files: FileView;
  now(): Date;
  /** The VS Code window whose workspace holds cwd, from the registry under the state folder. */
  findWindow(cwd: string): WindowEntry | null;
  /** The live window that owns this gate address (port and token), if one does; without it no address is trusted. */
  windowForGate?(gate: GateAddress): WindowEntry | null;
  /** Registered windows holding cwd whose process does not own their port: their tier may raise ours, nothing more. */
  unverifiedWindows?(cwd: string): WindowEntry[];
  /** The floor kept for cwd or a folder above it (src/core/tierFloor.ts), and raising one. */
  floor?(cwd: string): { tier: Tier; folder?: string };
  raiseFloor?(folder: string, tier: Tier): void;
  ask(gate: GateAddress, body: Record<string, unknown>, options: { timeoutMs: number; onWait?: (text: string) => void }): Promise<AskResult>;
  record(entry: AuditEntry): void;
  /** The folder's own environment (tests give a stand-in); defaults to reading it from disk. */
  detectTier?: (cwd: string, env: NodeJS.ProcessEnv) => { tier: Tier; evidence: string[]; root?: string };
  stdinTimeoutMs?: number;
  maxInputBytes?: number;
  /** The platform the agent runs on (tests pretend Windows). */
  platform?: string;
}

/** Tools that run a line in whatever shell the editor's terminal has (PowerShell by default on Windows). */
/**
 * Tools whose command runs in a shell the payload does not name. On Windows that is PowerShell for Gemini CLI's
 * run_shell_command (its getShellConfiguration), Codex's shell and Cursor's, Git Bash for Claude Code's Bash: each
 * line is read both ways there and the stricter reading wins.
 */
const TERMINAL_TOOLS = new Set(['run_in_terminal', 'create_and_run_task', 'run_task', 'run_vscode_command', 'run_shell_command', 'Bash', 'Shell']);

export function defaultHookDeps(env: NodeJS.ProcessEnv = process.env): HookDeps {
  return {
    env,
    cwd: process.cwd(),
    files: diskFiles,
    now: () => new Date(),
    findWindow: (cwd) => findWindow(registryDir(stateDir(env)), cwd),
    windowForGate: (gate) => windowForGate(registryDir(stateDir(env)), gate),
    unverifiedWindows: (cwd) => unverifiedWindows(registryDir(stateDir(env)), cwd),
    floor: (cwd) => floorFor(stateDir(env), cwd),
    raiseFloor: (folder, tier) => void raiseFloor(stateDir(env), folder, tier),
    ask: askGate,
    record: (entry) => new AuditLog(auditLogPath(env)).appendSync(entry),
  };
}

interface HookArgs {
  tier?: Tier;
  freeze: boolean;
  deadlineMs: number;
}

/** The hook's own flags. Never throws: a misconfigured hook command must still answer the agent (and refuse). */
function parseHookArgs(argv: readonly string[]): HookArgs | { problem: string } {
  const out: HookArgs = { freeze: false, deadlineMs: DEFAULT_DEADLINE_MS };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--env') {
      const v = value();
      const tier = parseTier(v);
      if (!tier) return { problem: `--env takes one of ${TIERS.join(', ')}; got ${JSON.stringify(v ?? '')}` };
      out.tier = tier;
    } else if (name === '--freeze') {
      out.freeze = true;
    } else if (name === '--deadline') {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) return { problem: '--deadline takes a number of seconds' };
      out.deadlineMs = v * 1000;
    } else {
      return { problem: `unknown option ${JSON.stringify(argv[i])}` };
    }
  }
  return out;
}

/** Reads stdin to its end, up to a size and a time limit. */
export function readInput(stream: NodeJS.ReadableStream, maxBytes: number, timeoutMs: number): Promise<{ text: string } | { problem: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: { text: string } | { problem: string }, stop: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      if (stop) (stream as unknown as { destroy?: () => void }).destroy?.();
      resolve(r);
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      size += b.length;
      if (size > maxBytes) return finish({ problem: `input larger than ${maxBytes} bytes` }, true);
      chunks.push(b);
    };
    const onEnd = () => finish({ text: Buffer.concat(chunks).toString('utf8') }, false);
    const onError = (e: Error) => finish({ problem: `could not read input (${e.message})` }, true);
    const timer = setTimeout(() => finish({ problem: `no complete input within ${timeoutMs / 1000} s` }, true), timeoutMs);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

/**
 * Who really called: VS Code's Local harness also runs the hooks in ~/.claude/settings.json, and the Copilot CLI runs
 * those too; each must be answered in the caller's format, whichever file registered the hook.
 */
export function detectCaller(p: Payload, env: NodeJS.ProcessEnv, hint: AgentId): AgentId {
  const event = str(p, 'hook_event_name', 'hookEventName');
  if (event === 'beforeShellExecution' || 'cursor_version' in p || 'conversation_id' in p) return 'cursor';
  if (event === 'BeforeTool') return 'gemini';
  if (typeof p.toolName === 'string' || env.COPILOT_CLI === '1') return 'copilot';
  const tool = str(p, 'tool_name');
  if ((tool && VSCODE_LOCAL_TOOLS.has(tool)) || str(p, 'tool_use_id')?.includes('__vscode')) return 'copilot';
  return hint;
}

export async function runHook(argv: readonly string[], io: Io, deps: HookDeps = defaultHookDeps()): Promise<number> {
  const [agentArg, ...rest] = argv;
  if (!isAgentId(agentArg)) {
    io.stderr.write(`agent-guard: hook needs one of ${AGENT_IDS.join(', ')}; got ${JSON.stringify(agentArg ?? '')}. Fix the hook command, e.g. agent-guard install-hooks claude\n`);
    return 2; // blocks in every agent that reads exit codes
  }
  const args = parseHookArgs(rest);
  const input = await readInput(io.stdin, deps.maxInputBytes ?? MAX_INPUT_BYTES, deps.stdinTimeoutMs ?? STDIN_TIMEOUT_MS);
  let payload: Payload | null = null;
  let problem = 'problem' in input ? input.problem : undefined;
  if (!problem && 'text' in input) {
    try {
      const v = JSON.parse(input.text.replace(/^\uFEFF/, ''));
      if (v && typeof v === 'object' && !Array.isArray(v)) payload = v;
      else problem = 'input is not a JSON object';
    } catch (e) {
      problem = `input is not JSON (${(e as Error).message})`;
    }
  }
  const adapter = ADAPTERS[payload ? detectCaller(payload, deps.env, agentArg) : agentArg];
  const warn = (text: string) => io.stderr.write(`agent-guard: ${text}\n`);
  let extraction: Extraction | undefined;
  let failure: Error | undefined;
  try {
    const event = payload && str(payload, 'hook_event_name', 'hookEventName');
    if (payload && !(event && !PRE_TOOL_EVENTS.has(event))) extraction = adapter.extract(payload, { env: deps.env, cwd: deps.cwd, files: deps.files });
  } catch (e) {
    failure = e as Error;
  }
  // Where the call runs decides which window (and so which environment label) it belongs to.
  const cwd = (extraction && 'call' in extraction ? extraction.call.cwd : undefined) || (payload && str(payload, 'cwd')) || deps.cwd;
  const judge = new HookJudge(adapter, deps, 'problem' in args ? { freeze: false, deadlineMs: DEFAULT_DEADLINE_MS } : args, cwd, warn);
  let verdict: Verdict;
  try {
    if (failure) throw failure;
    if ('problem' in args) verdict = judge.misconfigured(args.problem);
    else if (!payload) verdict = judge.malformed(problem ?? 'no input');
    else verdict = extraction ? await judge.decide(extraction) : { kind: 'no-opinion' }; // not a pre-tool event
  } catch (e) {
    warn(`internal error: ${(e as Error).stack ?? e}`);
    verdict = judge.malformed(`internal error: ${(e as Error).message}`);
  }
  const answer = adapter.answer(verdict);
  io.stdout.write(answer.stdout);
  return answer.exitCode;
}

/** One hook call's decision: the engine, the window's gate, the audit log. */
class HookJudge {
  private readonly window: WindowEntry | null;
  /** Registered windows holding cwd that do not own their gate's port. */
  private silent: WindowEntry[] = [];
  readonly tier: Tier;
  /** Why the tier is what it is, for the agent's message. */
  readonly tierWhy: string;
  private readonly source: string;

  constructor(
    private readonly adapter: Adapter,
    private readonly deps: HookDeps,
    private readonly args: HookArgs,
    private readonly cwd: string,
    private readonly warn: (text: string) => void,
  ) {
    this.window = safely(() => deps.findWindow(cwd), null);
    // The window's label first: a hook started outside VS Code must judge as that window's terminals do (the window
    // also knows a person's typed lowering). With no window, the strictest of --env, AGENT_GUARD_TIER and what the
    // folder itself shows: a workspace file may raise the tier, never lower it.
    if (this.window?.tier) {
      this.tier = this.window.tier;
      this.tierWhy = `the VS Code window labels it ${this.window.tier}`;
      const folder = this.window.folders.filter((f) => isWithin(f, cwd)).sort((a, b) => b.length - a.length)[0];
      if (folder) safely(() => deps.raiseFloor?.(folder, this.window!.tier!), undefined);
    } else {
      const detected = safely(() => (deps.detectTier ?? detectFolderTier)(cwd, deps.env), { tier: 'unknown' as Tier, evidence: [] } as { tier: Tier; evidence: string[]; root?: string });
      const given = stricterTier(args.tier ?? 'unknown', parseTier(deps.env.AGENT_GUARD_TIER) ?? 'unknown');
      // A registered window that does not answer on its port (its gate stopped, or the entry was planted) is not
      // asked, but its label may still raise the tier: whoever wrote it cannot lower anything with it.
      this.silent = safely(() => deps.unverifiedWindows?.(cwd) ?? [], []);
      const registered = this.silent.reduce<Tier>((t, w) => stricterTier(t, parseTier(w.tier) ?? 'unknown'), 'unknown');
      // The floor kept outside the folder: moving .vscode away or rewriting the label from the shell lowers nothing.
      const floor = safely(() => deps.floor?.(cwd) ?? { tier: 'unknown' as Tier }, { tier: 'unknown' as Tier } as { tier: Tier; folder?: string });
      if (detected.root && detected.tier !== 'unknown') safely(() => deps.raiseFloor?.(detected.root!, detected.tier), undefined);
      this.tier = [given, detected.tier, registered, floor.tier].reduce<Tier>(stricterTier, 'unknown');
      this.tierWhy =
        this.tier === 'unknown' ? 'no environment label or signal found'
        : this.tier === detected.tier ? detected.evidence.join('; ')
        : this.tier === floor.tier ? `${floor.folder} was labelled ${floor.tier} before, and only a person lowers a label, in VS Code`
        : this.tier === registered ? `a VS Code window that no longer answers labelled it ${registered}`
        : `set by ${args.tier ? '--env' : 'AGENT_GUARD_TIER'}`;
    }
    this.source = `hook:${adapter.id}`;
  }

  /** Input the adapter cannot read: refused where the engine refuses what it cannot understand. */
  malformed(why: string): Verdict {
    const verdict = UNPARSEABLE_POLICY[this.tier];
    const command = `(unreadable ${this.adapter.id} hook input)`;
    if (verdict === 'allow') {
      this.warn(`could not read this ${this.adapter.id} hook call (${why}); allowed in ${this.tier}`);
      return { kind: 'no-opinion' };
    }
    this.record({ command, cwd: this.cwd, rules: ['parse.not-understood'], resource: null, decision: verdict, outcome: 'refused', decidedBy: 'policy', reason: why });
    return { kind: 'deny', reason: `Agent Guard could not read this ${AGENT_NAMES[this.adapter.id]} tool call (${why}), so it refused it (${this.tier}). Do not retry it; tell the user. If it is needed, the user can run it themselves, or update Agent Guard.` };
  }

  misconfigured(problem: string): Verdict {
    this.record({ command: `(misconfigured ${this.adapter.id} hook)`, cwd: this.cwd, rules: [], resource: null, decision: 'deny', outcome: 'refused', decidedBy: 'policy', reason: problem });
    return { kind: 'deny', reason: `Agent Guard's hook command is misconfigured (${problem}), so every tool call is refused. Tell the user to run: agent-guard install-hooks ${this.adapter.id}` };
  }

  async decide(x: Extraction): Promise<Verdict> {
    if (x.kind === 'ignore') return { kind: 'no-opinion' };
    if (x.kind === 'malformed') return this.malformed(x.why);
    const call = x.call;
    if (x.kind === 'refuse') {
      this.record({ ...this.callFields(call), rules: [], resource: null, decision: 'deny', outcome: 'refused', decidedBy: 'policy', reason: x.reason });
      return { kind: 'deny', reason: `Agent Guard refused this: ${x.reason} Do not retry it.` };
    }
    const engine = new Engine({ tier: this.tier, freeze: this.args.freeze });
    // A terminal tool on Windows names no shell: the line is read as bash and as PowerShell, the stricter wins.
    let d: Decision | undefined;
    for (const shell of candidateShells(call.shell, TERMINAL_TOOLS.has(call.tool), call.cwd, this.deps.platform ?? process.platform)) {
      const e = engine.classify(call.command, shell, { cwd: call.cwd });
      if (!d || verdictRank(e.decision) > verdictRank(d.decision) || (e.decision === d.decision && severityRank(e.severity) > severityRank(d.severity))) {
        d = e;
        if (shell !== 'bash') call.shell = shell;
        else delete call.shell;
      }
    }
    if (!d) return this.malformed('no shell to read the command with');
    // Named as the editor's gate names it in this folder (the branch, the Terraform workspace).
    if (d.decision !== 'allow') d = nameInPlace(d, readPlace(call.cwd || this.cwd, this.deps.env));
    const rules = d.rules.join(', ');
    const what = `${call.effect ? `${call.effect}: ${d.reason}` : d.reason} (${this.tier}: ${this.tierWhy}.)`;
    if (d.decision === 'allow') {
      const problem = this.recordDecision(call, d, 'ran', 'auto');
      // In production and staging every decision is recorded: one that cannot be is not run.
      if (problem && (this.tier === 'production' || this.tier === 'staging')) {
        return { kind: 'deny', reason: `Agent Guard refused this: in ${this.tier} every decision must be recorded, and the audit log cannot be written (${problem}). Tell the user; do not retry it.` };
      }
      return { kind: 'no-opinion' };
    }
    if (d.decision === 'deny') {
      this.recordDecision(call, d, 'refused', 'policy');
      return { kind: 'deny', reason: `Agent Guard: ${what} (${rules}) No approval is offered for this here. Do not retry it or work around it; tell the user. If it is really needed, the user must do it themselves, outside the agent.` };
    }
    return this.hold(call, d, what, rules);
  }

  /** A confirm: ask the window's gate and wait while the person types; otherwise refuse and say how to run it. */
  private async hold(call: ToolCall, d: Decision, what: string, rules: string): Promise<Verdict> {
    // A gate address in the environment (a VS Code terminal's) is used only when a live window owns it: the agent's
    // own settings or the project's .env can put any port and token there, and a listener of the agent's own would
    // then answer "allow".
    const fromEnv = safely(() => gateFromEnv(this.deps.env), null);
    const envWindow = fromEnv ? safely(() => this.deps.windowForGate?.(fromEnv) ?? null, null) : null;
    if (fromEnv && !envWindow) this.warn(`ignored AGENT_GUARD_PORT=${fromEnv.port}: no VS Code window with Agent Guard listens there`);
    const gate: GateAddress | null = envWindow ?? this.window;
    const typed = d.resource ?? d.command;
    const yourself = call.effect ? 'make this change themselves' : `run it themselves in a terminal: ${call.command}`;
    const refuse = (why: string) =>
      ({ kind: 'deny', reason: `Agent Guard: ${what} (${rules}) A person must approve it by typing "${typed}" in VS Code, but ${why}. It was not run. Do not retry it or work around it; tell the user. To let it run, the user can open ${call.cwd} in VS Code with Agent Guard and ask you again, or ${yourself}` }) as const;
    if (!gate) {
      this.recordDecision(call, d, 'refused', 'unreachable');
      return refuse(this.silent.length ? `the VS Code window registered for ${call.cwd} does not answer on its port (pid ${this.silent[0].pid}, port ${this.silent[0].port})` : `no VS Code window with Agent Guard has ${call.cwd} open`);
    }
    let heldByGate = false;
    const body = {
      kind: 'hook',
      pid: process.pid,
      cwd: call.cwd,
      command: call.command,
      ...(call.shell ? { shell: call.shell } : {}),
      agent: this.adapter.id,
      ...(this.why(call) ? { why: this.why(call) } : {}),
      ...(call.sessionId ? { sessionId: call.sessionId } : {}),
    };
    const r = await this.deps.ask(gate, body, { timeoutMs: this.args.deadlineMs, onWait: () => (heldByGate = true) });
    // The gate logs what it decided (and a prompt cancelled when we gave up); log here only what it never saw.
    if (r.verdict === 'allow') return r.ticket ? { kind: 'allow', reason: `Agent Guard: approved in VS Code — ${r.message}` } : { kind: 'no-opinion' };
    if (r.verdict === 'deny') return { kind: 'deny', reason: `Agent Guard: ${r.message}. ${what} Do not retry it or work around it; tell the user.` };
    if (!heldByGate) this.recordDecision(call, d, 'refused', 'unreachable');
    return refuse(heldByGate ? `no one approved it in time (${r.message})` : `Agent Guard in VS Code could not be asked (${r.message})`);
  }

  /** For the gate's prompt: the agent's stated reason, with what a file tool would do (its command is only an equivalent). */
  private why(call: ToolCall): string | undefined {
    return call.effect ? [`[${call.effect}]`, call.why].filter(Boolean).join(' ') : call.why;
  }

  /** The log keeps the agent's own words in `why`; what a file tool would do goes in `reason`. */
  private callFields(call: ToolCall) {
    return { command: call.command, cwd: call.cwd, why: call.why, sessionId: call.sessionId };
  }

  private recordDecision(call: ToolCall, d: Decision, outcome: AuditEntry['outcome'], decidedBy: DecidedBy): string | undefined {
    return this.record({ ...this.callFields(call), rules: d.rules, resource: d.resource, severity: d.severity, decision: d.decision, outcome, decidedBy, reason: call.effect ? `${call.effect}: ${d.reason}` : d.reason, ...(d.freeze ? { freeze: true } : {}) });
  }

  /** Writes one entry; returns why it could not be written, if it could not. */
  private record(e: Omit<AuditEntry, 'time' | 'tier' | 'source' | 'agent' | 'workspace'>): string | undefined {
    const workspace = this.window?.folders.filter((f) => isWithin(f, this.cwd)).sort((a, b) => b.length - a.length)[0];
    try {
      this.deps.record({ time: this.deps.now().toISOString(), ...(workspace ? { workspace } : {}), tier: this.tier, source: this.source, agent: this.adapter.id, ...e });
      return undefined;
    } catch (err) {
      // The answer matters more than the log line: a locked or unwritable log must not let the call through by crashing.
      this.warn(`could not write the audit log: ${(err as Error).message}`);
      return (err as Error).message;
    }
  }
}

function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
