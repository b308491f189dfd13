// The command-line entry point: the same engine as the editor, for agent hooks, scripts and checks.

import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { stateDir } from '../core/paths';
import { createInterface } from 'node:readline';
import { Engine, EngineOptions } from '../core/classify';
import { SHELL_KINDS, ShellKind } from '../core/parse/dialect';
import { nameInPlace } from '../core/place';
import { RULES } from '../core/rules';
import { Decision, parseTier, TIERS, Verdict } from '../core/types';
import { formatDecision } from './format';
import { nodeTooOld } from './nodeVersion';
import { readPlace } from '../gate/place';

export const EXIT: Readonly<Record<Verdict | 'usage', number>> = { allow: 0, confirm: 1, deny: 2, usage: 64 };

export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export class UsageError extends Error {}

interface Parsed {
  options: EngineOptions;
  flags: Set<string>;
  rest: string[];
  /** `--shell powershell|cmd|bash`: the language of the command lines. */
  shell: ShellKind;
  /** `--cwd DIR`: where the command runs (the files it runs are read from there); default: this process's folder. */
  cwd: string;
}

/** Parses the options every subcommand shares; stops at `--`. */
export function parseOptions(argv: string[], known: readonly string[]): Parsed {
  const options: EngineOptions = {};
  const flags = new Set<string>();
  const rest: string[] = [];
  let shell: ShellKind = 'bash';
  let cwd = process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (name === '--env') {
      const v = inline ?? argv[++i];
      const tier = parseTier(v);
      if (!tier) throw new UsageError(`--env takes one of ${TIERS.join(', ')}; got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
      options.tier = tier;
    } else if (name === '--freeze') {
      options.freeze = true;
    } else if (name === '--shell') {
      const v = inline ?? argv[++i];
      if (!SHELL_KINDS.includes(v as ShellKind)) throw new UsageError(`--shell takes one of ${SHELL_KINDS.join(', ')}; got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
      shell = v as ShellKind;
    } else if (name === '--cwd') {
      const v = inline ?? argv[++i];
      if (!v) throw new UsageError('--cwd takes a folder');
      cwd = resolve(v);
    } else if (known.includes(name)) {
      flags.add(name);
    } else if (name.startsWith('-')) {
      throw new UsageError(`unknown option ${name}`);
    } else {
      rest.push(a);
    }
  }
  return { options, flags, rest, shell, cwd };
}

const HELP = `agent-guard — decides whether a shell command may run, must wait for a person, or is refused.

Usage:
  agent-guard check [--env TIER] [--freeze] [--shell SHELL] [--cwd DIR] [--json] -- <command>
      Prints the decision. Exit status: 0 allow, 1 confirm, 2 deny, 64 usage error. The scripts, Makefiles and
      package.json scripts the command runs are read from DIR (default: the current folder) and judged with it.
  agent-guard classify [--env TIER] [--freeze] [--shell SHELL] [--cwd DIR] --jsonl
      Reads {"command": "...", "shell"?: SHELL, "cwd"?: DIR} one JSON object a line on stdin; writes one decision a line.
  agent-guard rules [--json]
      Lists the built-in rules.
  agent-guard hook <copilot|claude|cursor|codex|gemini|qwen> [--env TIER] [--freeze] [--deadline SECONDS]
      Run by an agent before each tool call: reads its JSON on stdin, answers in its JSON.
  agent-guard install-hooks <agent…|all> [--user | --workspace DIR] [--remove] [--dry-run]
      Connects (or with --remove disconnects) agents' hooks, user-level by default; prints each change first.
  agent-guard history status | list [--deleted] [DIR] | show FILE | restore PATH [--at ISO-TIME] [--overwrite] | capture [DIR]
      The local history of workspace files, kept outside them: versions, deleted files, byte-identical restore.
  agent-guard history preimages | restore-preimage ID [--overwrite]
      Database dumps taken before approved destructive statements, and replaying one.
  agent-guard doctor [--json] [--no-probe]
      Says, per agent on this machine, whether it is protected right now. Exit status 1 when one is not.

TIER is one of: ${TIERS.join(', ')} (default: unknown). --freeze holds every command that changes state.
SHELL is the language of the command: ${SHELL_KINDS.join(', ')} (default: bash, which also reads zsh and sh lines).
`;

async function check(argv: string[], io: Io): Promise<number> {
  const { options, flags, rest, shell, cwd } = parseOptions(argv, ['--json']);
  if (!rest.length) throw new UsageError('check needs a command after --, e.g. agent-guard check --env production -- rm -rf data');
  const judged = new Engine(options).classify(rest.join(' '), shell, { cwd });
  // Named as the gate names it here: the current branch for `git push -f`, the workspace for `terraform destroy`.
  const d = judged.decision === 'allow' ? judged : nameInPlace(judged, readPlace(cwd));
  io.stdout.write(flags.has('--json') ? JSON.stringify(publicDecision(d)) + '\n' : formatDecision(d) + '\n');
  return EXIT[d.decision];
}

/** The fields a script can rely on, in a stable order. */
export function publicDecision(d: Decision): Record<string, unknown> {
  return {
    decision: d.decision,
    severity: d.severity,
    rules: d.rules,
    resource: d.resource,
    reason: d.reason,
    command: d.command,
    tier: d.tier,
    freeze: d.freeze,
    ...(d.parseError ? { parseError: d.parseError } : {}),
    findings: d.findings.map((f) => ({ rule: f.rule, severity: f.severity, resource: f.resource, command: f.command, ...(f.detail ? { detail: f.detail } : {}) })),
  };
}

async function classifyJsonl(argv: string[], io: Io): Promise<number> {
  const { options, flags, shell, cwd } = parseOptions(argv, ['--jsonl']);
  if (!flags.has('--jsonl')) throw new UsageError('classify reads JSON lines: pass --jsonl');
  const engine = new Engine(options);
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let buffer = '';
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    buffer += JSON.stringify(classifyLine(engine, line, n, shell, cwd)) + '\n';
    if (buffer.length > 1 << 16) {
      io.stdout.write(buffer);
      buffer = '';
    }
  }
  io.stdout.write(buffer);
  return 0;
}

function classifyLine(engine: Engine, line: string, n: number, shell: ShellKind, defaultCwd: string): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (e) {
    return { line: n, error: `not JSON: ${(e as Error).message}` };
  }
  if (typeof input !== 'object' || input === null || typeof (input as { command?: unknown }).command !== 'string') {
    return { line: n, error: 'expected an object with a string "command"' };
  }
  const { command, cwd, shell: lineShell } = input as { command: string; cwd?: unknown; shell?: unknown };
  if (lineShell !== undefined && !SHELL_KINDS.includes(lineShell as ShellKind)) return { line: n, error: `"shell" must be one of ${SHELL_KINDS.join(', ')}` };
  const where = typeof cwd === 'string' ? resolve(defaultCwd, cwd) : defaultCwd;
  return { line: n, ...(typeof cwd === 'string' ? { cwd } : {}), ...publicDecision(engine.classify(command, (lineShell as ShellKind | undefined) ?? shell, { cwd: where })) };
}

async function listRules(argv: string[], io: Io): Promise<number> {
  const { flags } = parseOptions(argv, ['--json']);
  if (flags.has('--json')) {
    io.stdout.write(JSON.stringify(RULES.map((r) => ({ id: r.id, severity: r.severity, summary: r.summary, programs: r.programs, examples: r.examples }))) + '\n');
  } else {
    const width = Math.max(...RULES.map((r) => r.id.length));
    for (const r of RULES) io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(12)}  ${r.summary}\n`);
  }
  return 0;
}

export const COMMANDS: Readonly<Record<string, (argv: string[], io: Io) => Promise<number>>> = {
  check,
  classify: classifyJsonl,
  rules: listRules,
  'scan-credentials': (argv, io) => (require('./credentials') as typeof import('./credentials')).scanCredentials(argv, io), // loaded on use: keeps secretlint out of `check`'s start-up
  hook: (argv, io) => (require('./hooks/runner') as typeof import('./hooks/runner')).runHook(argv, io),
  history: (argv, io) => (require('./history') as typeof import('./history')).historyCommand(argv, io),
  'install-hooks': (argv, io) => (require('./hooks/install') as typeof import('./hooks/install')).installHooksCommand(argv, io),
  doctor: async (argv, io) => {
    const unknown = argv.filter((a) => a !== '--json' && a !== '--no-probe');
    if (unknown.length) throw new UsageError(`doctor takes --json and --no-probe; got ${unknown.join(' ')}`);
    const { doctor, formatDoctor, formatWindowTerminals, windowTerminals } = require('../gate/doctor') as typeof import('../gate/doctor');
    const statuses = await doctor({ home: homedir(), env: process.env, stateDir: stateDir(), cwd: process.cwd(), probe: !argv.includes('--no-probe') });
    // --json stays the list of agents; the terminals of the window are printed for a person.
    if (argv.includes('--json')) io.stdout.write(JSON.stringify(statuses, null, 2) + '\n');
    else io.stdout.write(formatDoctor(statuses) + '\n' + formatWindowTerminals(await windowTerminals({ env: process.env, stateDir: stateDir(), cwd: process.cwd(), shellPid: process.ppid })));
    return statuses.some((st) => st.found && !st.protected) ? 1 : 0;
  },
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(HELP);
    return sub ? 0 : EXIT.usage;
  }
  if (sub === '--version') {
    io.stdout.write(`${process.env.AGENT_GUARD_VERSION ?? 'dev'}\n`);
    return 0;
  }
  const run = COMMANDS[sub];
  try {
    if (!run) throw new UsageError(`unknown command ${JSON.stringify(sub)}; try agent-guard --help`);
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`agent-guard: ${e.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`agent-guard: internal error: ${(e as Error).stack ?? e}\n`);
    return 70;
  }
}

// Run directly (the transpiled tests' `node out/src/cli/main.js`); the shipped dist/cli.js enters through entry.ts.
if (require.main === module) {
  const tooOld = nodeTooOld();
  if (tooOld) {
    process.stderr.write(tooOld);
    process.exitCode = 70;
  } else {
    main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
      (code) => {
        process.exitCode = code;
      },
    );
  }
}
