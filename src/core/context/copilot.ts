// Copilot Chat sessions as VS Code stores them: <user data>/User/workspaceStorage/<hash>/chatSessions/<id>.jsonl
// (older: <id>.json, one JSON document rewritten whole). An internal, undocumented format, read defensively.
//
// The .jsonl file is a mutation log of one session object: {kind:0, v} the whole state, {kind:1, k:path, v} set,
// {kind:2, k:path, v?:items, i?} truncate the array at i then append, {kind:3, k:path} delete. VS Code compacts the
// log by rewriting the file (the tail reader notices and starts again). Only what the meter needs is kept per request:
// usage from result (promptTokens + completion/outputTokens), the model, the text for a tokenizer estimate when no
// usage was recorded, terminal tool calls and edited files.

import { countTokens } from './tokenizer';
import { isRecord, num, parseObject, str, toMs, type SessionMeter } from './meter';
import { TranscriptSession } from './transcriptSession';

interface RequestState {
  timestamp?: number;
  modelId?: string;
  text: string;
  /** Markdown text of each response part by position ('' for other parts), so truncate-and-append stays exact. */
  parts: string[];
  terminalCalls: Set<string>;
  prompt?: number;
  output?: number;
  hasResult: boolean;
  estimate?: number;
}

/** Prompt and output tokens recorded in a request's result, in either place VS Code has kept them. */
export function copilotUsage(result: unknown): { prompt: number; output: number } | undefined {
  if (!isRecord(result)) return undefined;
  for (const holder of [result.usage, result.metadata, isRecord(result.metadata) ? result.metadata.usage : undefined]) {
    if (!isRecord(holder)) continue;
    const prompt = num(holder.promptTokens) || num(holder.prompt_tokens);
    const output = num(holder.completionTokens) || num(holder.outputTokens) || num(holder.completion_tokens);
    if (prompt > 0) return { prompt, output };
  }
  return undefined;
}

function markdownText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (!isRecord(part)) return '';
  if (part.kind === undefined || part.kind === 'markdownContent') {
    if (typeof part.value === 'string') return part.value;
    if (isRecord(part.content) && typeof part.content.value === 'string') return part.content.value;
  }
  return '';
}

/** The command line of a terminal tool invocation, '' when the part is a terminal call without one, else undefined. */
function terminalCommand(part: Record<string, unknown>): string | undefined {
  if (part.kind !== 'toolInvocationSerialized' && part.kind !== 'toolInvocation') return undefined;
  const data = isRecord(part.toolSpecificData) ? part.toolSpecificData : undefined;
  const toolId = str(part.toolId) ?? '';
  if (data?.kind !== 'terminal' && !/run_?in_?terminal/i.test(toolId)) return undefined;
  const line = data && isRecord(data.commandLine) ? data.commandLine : undefined;
  return str(line?.userEdited) ?? str(line?.toolEdited) ?? str(line?.original) ?? str(data?.command) ?? '';
}

function uriPath(uri: unknown): string | undefined {
  if (typeof uri === 'string') return uri;
  if (!isRecord(uri)) return undefined;
  return str(uri.fsPath) ?? str(uri.path);
}

export class CopilotSession extends TranscriptSession {
  readonly source = 'copilot' as const;
  private title?: string;
  private window?: number;
  private selectedModel?: string;
  private requests: RequestState[] = [];
  private commands = 0;

  constructor(file?: string, fallbackId = '', private readonly cwd?: string) {
    super(file, fallbackId);
  }

  override reset(): void {
    super.reset();
    this.title = this.window = this.selectedModel = undefined;
    this.requests = [];
    this.commands = 0;
  }

  /** A legacy .json session: the whole state in one document. */
  document(text: string): void {
    this.reset();
    const doc = parseObject(text);
    if (!doc) {
      this.malformed++;
      return;
    }
    this.initial(doc);
  }

  /** One entry of the mutation log. */
  protected record(entry: Record<string, unknown>): void {
    const path = Array.isArray(entry.k) ? (entry.k as unknown[]) : [];
    switch (entry.kind) {
      case 0:
        if (isRecord(entry.v)) this.initial(entry.v);
        else this.malformed++;
        return;
      case 1:
        this.set(path, entry.v);
        return;
      case 2:
        this.push(path, Array.isArray(entry.v) ? entry.v : [], typeof entry.i === 'number' ? entry.i : undefined);
        return;
      case 3:
        this.set(path, undefined);
        return;
      default:
        this.malformed++;
    }
  }

  private initial(v: Record<string, unknown>): void {
    this.reset();
    this.sessionId = str(v.sessionId) ?? '';
    this.title = str(v.customTitle);
    this.span.see(toMs(v.creationDate));
    this.inputState(v.inputState);
    if (Array.isArray(v.requests)) this.requests = v.requests.map((r) => this.request(r));
  }

  private inputState(state: unknown): void {
    let s = state;
    if (typeof s === 'string') s = parseObject(s);
    if (!isRecord(s)) return;
    this.selectedModelFrom(s.selectedModel);
  }

  private selectedModelFrom(model: unknown): void {
    if (!isRecord(model)) return;
    this.selectedModel = str(model.identifier) ?? this.selectedModel;
    const meta = isRecord(model.metadata) ? model.metadata : undefined;
    if (meta && num(meta.maxInputTokens)) this.window = num(meta.maxInputTokens);
  }

  private request(r: unknown): RequestState {
    const req: RequestState = { text: '', parts: [], terminalCalls: new Set(), hasResult: false };
    if (!isRecord(r)) return req;
    req.timestamp = toMs(r.timestamp);
    this.span.see(req.timestamp);
    req.modelId = str(r.modelId);
    req.text = isRecord(r.message) ? (str(r.message.text) ?? '') : (str(r.message) ?? '');
    if (Array.isArray(r.response)) this.appendParts(req, r.response);
    if (Array.isArray(r.editedFileEvents)) this.editedFiles(r.editedFileEvents);
    this.result(req, r.result);
    // Some versions keep usage on the request itself.
    const own = req.prompt === undefined ? copilotUsage({ usage: r.usage }) : undefined;
    if (own) {
      req.prompt = own.prompt;
      req.output = own.output;
    }
    return req;
  }

  private result(req: RequestState, result: unknown): void {
    if (result === undefined || result === null) return;
    req.hasResult = true;
    const usage = copilotUsage(result);
    if (usage) {
      req.prompt = usage.prompt;
      req.output = usage.output;
    }
  }

  private appendParts(req: RequestState, parts: unknown[]): void {
    req.estimate = undefined;
    for (const part of parts) {
      req.parts.push(markdownText(part));
      if (!isRecord(part)) continue;
      if (part.kind === 'textEditGroup' || part.kind === 'codeblockUri') {
        const f = uriPath(part.uri);
        if (f) this.recentFiles.add(f);
      }
      const cmd = terminalCommand(part);
      if (cmd === undefined) continue;
      const id = str(part.toolCallId) ?? `#${req.terminalCalls.size}:${cmd}`;
      if (req.terminalCalls.has(id)) continue;
      req.terminalCalls.add(id);
      this.commands++;
      if (cmd) this.recentCommands.add(cmd);
    }
  }

  private editedFiles(events: unknown[]): void {
    for (const e of events) {
      const f = isRecord(e) ? uriPath(e.uri) : undefined;
      if (f) this.recentFiles.add(f);
    }
  }

  private set(path: unknown[], value: unknown): void {
    const [head, index, field, sub] = path;
    if (path.length === 0) {
      if (isRecord(value)) this.initial(value);
      return;
    }
    if (head === 'customTitle') this.title = str(value);
    else if (head === 'inputState') {
      if (path.length === 1) this.inputState(value);
      else if (index === 'selectedModel') this.selectedModelFrom(value);
    } else if (head === 'requests') {
      if (path.length === 1) {
        this.requests = Array.isArray(value) ? value.map((r) => this.request(r)) : [];
        return;
      }
      if (typeof index !== 'number') return;
      if (path.length === 2) {
        this.requests[index] = this.request(value);
        return;
      }
      const req = this.requests[index];
      if (!req) return;
      if (field === 'result') {
        if (path.length === 3) {
          req.prompt = req.output = undefined;
          req.hasResult = false;
          this.result(req, value);
        } else if (sub === 'usage' || sub === 'metadata') {
          const usage = copilotUsage({ [sub]: value });
          if (usage) {
            req.prompt = usage.prompt;
            req.output = usage.output;
          }
        }
      } else if (field === 'modelId') req.modelId = str(value);
      else if (field === 'timestamp') {
        req.timestamp = toMs(value);
        this.span.see(req.timestamp);
      } else if (field === 'message' && isRecord(value)) {
        req.text = str(value.text) ?? '';
        req.estimate = undefined;
      } else if (field === 'response' && Array.isArray(value)) {
        req.parts = [];
        this.appendParts(req, value);
      } else if (field === 'editedFileEvents' && Array.isArray(value)) this.editedFiles(value);
    }
  }

  private push(path: unknown[], items: unknown[], truncateAt: number | undefined): void {
    const [head, index, field] = path;
    if (head !== 'requests') return;
    if (path.length === 1) {
      if (truncateAt !== undefined) this.requests.length = Math.min(this.requests.length, truncateAt);
      for (const r of items) this.requests.push(this.request(r));
      return;
    }
    const req = typeof index === 'number' ? this.requests[index] : undefined;
    if (!req) return;
    if (field === 'response') {
      if (truncateAt !== undefined) req.parts.length = Math.min(req.parts.length, truncateAt);
      this.appendParts(req, items);
    } else if (field === 'editedFileEvents') this.editedFiles(items);
  }

  /** The last request with recorded usage, plus a tokenizer estimate of the requests after it (or of all, if none). */
  meter(): SessionMeter {
    let last = -1;
    let model: string | undefined;
    let messages = 0;
    this.requests.forEach((r, i) => {
      messages += r.hasResult || r.parts.length ? 2 : 1;
      if (r.prompt !== undefined) last = i;
      model = r.modelId ?? model;
    });
    let tokens = 0;
    if (last >= 0) tokens = (this.requests[last].prompt ?? 0) + (this.requests[last].output ?? 0);
    let estimated = 0;
    for (const r of this.requests.slice(last + 1)) {
      r.estimate ??= countTokens(r.text) + r.parts.reduce((n, p) => n + (p ? countTokens(p) : 0), 0);
      estimated += r.estimate;
    }
    tokens += estimated;
    const basis: SessionMeter['basis'] = last >= 0 ? 'recorded' : estimated > 0 ? 'estimated' : 'none';
    const bare = (m: string | undefined): string | undefined => m?.replace(/^copilot\//, '');
    return {
      ...this.commonMeterFields(),
      source: 'copilot',
      cwd: this.cwd,
      title: this.title,
      model: bare(model ?? this.selectedModel),
      contextTokens: tokens,
      basis,
      contextWindow: this.window,
      messages,
      commands: this.commands,
      compactions: 0,
    };
  }
}
