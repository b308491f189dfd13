// MCP tool calls, judged by the shape of their input, whatever server they come from: a `command`/`cmd`/`script`
// string is a shell line; a `sql`/`query`/`statement` string is SQL (judged as `psql -c …` by the SQL rules); a path
// given to a tool whose name says delete or remove is an `rm` of that path. A tool whose name says it destroys
// (delete, drop, destroy, remove, truncate, purge, wipe) and whose input none of these shapes explain is not
// understood: the runner then holds it where the engine holds what it cannot read (production, staging, unknown).
// Names: Claude Code and Codex `mcp__server__tool`, Gemini CLI `mcp_server_tool` (older builds `server__tool`).

import { resolve } from 'node:path';
import type { Extraction, Payload, ToolCall } from './adapter';
import { commandLine, str } from './adapter';
import { shellQuote } from '../../core/parse/shellQuote';

/** An MCP tool's name, as the agents spell them; built-in tools never carry `__` nor start with `mcp_`. */
export function isMcpTool(name: string): boolean {
  return /^mcp_/i.test(name) || name.includes('__');
}

/** The tool's own name, without `mcp__server__` / `mcp_server_` (a server name may itself hold `_`). */
function toolPart(name: string): string {
  const parts = name.split('__');
  return parts.length > 1 ? parts[parts.length - 1] : name.replace(/^mcp_/i, '');
}

const DESTROYS = /delete|drop|destroy|remove|truncate|purge|wipe|erase|unlink|rmdir|(?:^|[^a-z])rm(?:$|[^a-z])/i;
const REMOVES_PATHS = /delete|remove|unlink|rmdir|(?:^|[^a-z])rm(?:$|[^a-z])|trash|erase|purge|wipe|destroy/i;

function words(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v;
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) return commandLine(v as string[]);
  return undefined;
}

/** The input, then each object one level down (`{arguments: {command}}`, `{params: {sql}}`): where a shape is looked for. */
function layers(input: Payload): Payload[] {
  const nested = Object.values(input).filter((v): v is Payload => !!v && typeof v === 'object' && !Array.isArray(v));
  return [input, ...nested];
}

export function mcpCall(tool: string, top: Payload, base: Omit<ToolCall, 'tool' | 'command'>, _env?: NodeJS.ProcessEnv): Extraction {
  for (const input of layers(top)) {
    const x = shapeCall(tool, input, base);
    if (x) return x;
  }
  if (DESTROYS.test(toolPart(tool))) return { kind: 'malformed', why: `MCP tool ${tool}: its name says it destroys something, and its input names no command, SQL or path the guard can judge` };
  return { kind: 'ignore' };
}

function shapeCall(tool: string, input: Payload, base: Omit<ToolCall, 'tool' | 'command'>): Extraction | undefined {
  const name = toolPart(tool);
  const why = base.why ?? str(input, 'description', 'reason', 'explanation');
  const call = (command: string, effect: string, cwd = base.cwd): Extraction => ({ kind: 'call', call: { ...base, cwd, why, tool, command, effect: `${tool} ${effect}` } });

  const shell = words(input.command) ?? words(input.cmd) ?? words(input.script) ?? words(input.commandLine) ?? words(input.command_line) ?? words(input.shell_command);
  if (shell !== undefined) {
    const dir = str(input, 'cwd', 'workdir', 'working_directory', 'directory');
    return call(shell, `runs the shell command ${JSON.stringify(shell.slice(0, 200))}`, dir ? resolve(base.cwd, dir) : base.cwd);
  }

  const sql = str(input, 'sql', 'query', 'statement');
  if (sql !== undefined) {
    const db = str(input, 'database', 'db', 'dbname');
    return call(`psql${db ? ` -d ${shellQuote(db)}` : ''} -c ${shellQuote(sql)}`, `runs SQL: ${JSON.stringify(sql.slice(0, 200))}`);
  }

  const paths = pathsOf(input);
  if (paths.length && REMOVES_PATHS.test(name)) return call(`rm -rf -- ${paths.map(shellQuote).join(' ')}`, `deletes ${paths.join(', ')}`);
  return undefined;
}

function pathsOf(input: Payload): string[] {
  const out: string[] = [];
  for (const k of ['path', 'file_path', 'filePath', 'file', 'filename', 'target', 'directory', 'dir', 'source']) {
    const v = input[k];
    if (typeof v === 'string' && v) out.push(v);
  }
  for (const k of ['paths', 'files']) {
    const v = input[k];
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'string' && x) out.push(x);
  }
  return [...new Set(out)];
}
