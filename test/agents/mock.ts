// A scripted model on loopback that speaks each agent CLI's wire protocol: Anthropic Messages (SSE), Gemini
// streamGenerateContent (SSE), OpenAI Responses (SSE, Codex and Copilot CLI) and Chat Completions (SSE, Qwen Code).
// It answers the scripted tool calls one per turn, then a short text that ends the run, and keeps what came back from
// each tool (where a hook's refusal reaches the model) and every request body for inspection.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedCall {
  /** The tool's name as the agent declares it (Bash, run_shell_command, shell, apply_patch…). */
  name: string;
  /** JSON arguments, or for a freeform (custom) Responses tool such as Codex's apply_patch, the raw input. */
  args: Record<string, unknown> | string;
}

export interface ToolResult {
  text: string;
  /** Anthropic's is_error flag where the protocol has one. */
  isError?: boolean;
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const textOf = (x: unknown): string => (typeof x === 'string' ? x : Array.isArray(x) ? x.map(textOf).join('\n') : isObj(x) ? (typeof x.text === 'string' ? x.text : typeof x.output === 'string' ? x.output : JSON.stringify(x)) : String(x ?? ''));

/**
 * The usage each protocol reports for the model call at turn n (n tool results already in the conversation): what the
 * context meter must read back from the session files the agents write.
 */
export const MOCK_USAGE = {
  anthropic: (n: number) => ({ input: 120 + 10 * n, output: 12 }),
  gemini: (n: number) => ({ input: 150 + 10 * n, output: 12 }),
  responses: (n: number) => ({ input: 200 + 10 * n, output: 12 }),
  chat: (n: number) => ({ input: 250 + 10 * n, output: 12 }),
};

export class MockModel {
  readonly requests: { path: string; body: Json }[] = [];
  /** What each scripted call returned, in order (the last request's view of it). */
  results: ToolResult[] = [];
  private server?: Server;

  constructor(private readonly calls: ScriptedCall[], private readonly finalText = 'Done.') {}

  async start(): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** All tool names the agent offered in its requests. */
  offeredTools(): string[] {
    const names = new Set<string>();
    for (const { body } of this.requests) {
      for (const t of (Array.isArray(body.tools) ? body.tools : []) as Json[]) {
        if (typeof t.name === 'string') names.add(t.name);
        if (isObj(t.function) && typeof t.function.name === 'string') names.add(t.function.name);
        for (const d of (Array.isArray(t.functionDeclarations) ? t.functionDeclarations : []) as Json[]) if (typeof d.name === 'string') names.add(d.name);
      }
    }
    return [...names];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Json = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      body = {};
    }
    const path = req.url ?? '';
    this.requests.push({ path, body });
    try {
      if (req.method === 'GET') return this.json(res, /models/.test(path) ? { data: [{ id: 'gpt-5.4', object: 'model' }], object: 'list' } : {});
      if (/\/messages\/count_tokens/.test(path)) return this.json(res, { input_tokens: 10 });
      if (/\/v1\/messages/.test(path)) return this.anthropic(body, res);
      if (/:countTokens/.test(path)) return this.json(res, { totalTokens: 10 });
      if (/:(stream)?[gG]enerateContent/.test(path)) return this.gemini(body, path, res);
      if (/\/responses/.test(path)) return this.responses(body, res);
      if (/\/chat\/completions/.test(path)) return this.chat(body, res);
      return this.json(res, {});
    } catch (e) {
      return this.json(res, { error: { message: (e as Error).message } }, 500);
    }
  }

  private json(res: ServerResponse, body: unknown, status = 200): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private sse(res: ServerResponse, events: { event?: string; data: unknown }[]): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`);
    res.end();
  }

  /** The turn: how many tool results the conversation already holds (recorded as it goes). */
  private step(results: ToolResult[]): number {
    if (results.length >= this.results.length) this.results = results;
    return results.length;
  }

  private anthropic(body: Json, res: ServerResponse): void {
    const messages = (Array.isArray(body.messages) ? body.messages : []) as Json[];
    const results: ToolResult[] = [];
    for (const m of messages) for (const b of (Array.isArray(m.content) ? m.content : []) as Json[]) if (b.type === 'tool_result') results.push({ text: textOf(b.content), isError: b.is_error === true });
    const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
    const n = hasTools ? this.step(results) : this.calls.length;
    const call = this.calls[n];
    const usage = { input_tokens: 120 + 10 * n, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const message = { id: `msg_${n}`, type: 'message', role: 'assistant', model: body.model ?? 'claude', content: [], stop_reason: null, stop_sequence: null, usage };
    const block = call
      ? [
          { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: `toolu_ag_${n}`, name: call.name, input: {} } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.args) } } },
        ]
      : [
          { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: this.finalText } } },
        ];
    if (!body.stream) {
      return this.json(res, { ...message, content: [call ? { type: 'tool_use', id: `toolu_ag_${n}`, name: call.name, input: call.args } : { type: 'text', text: this.finalText }], stop_reason: call ? 'tool_use' : 'end_turn' });
    }
    this.sse(res, [
      { event: 'message_start', data: { type: 'message_start', message } },
      ...block,
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: call ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 12 } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
  }

  private gemini(body: Json, path: string, res: ServerResponse): void {
    const contents = (Array.isArray(body.contents) ? body.contents : []) as Json[];
    const results: ToolResult[] = [];
    for (const c of contents) for (const p of (Array.isArray(c.parts) ? c.parts : []) as Json[]) if (isObj(p.functionResponse)) results.push({ text: textOf(p.functionResponse.response) });
    const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
    const usageMetadata = { promptTokenCount: 150, candidatesTokenCount: 12, totalTokenCount: 162 };
    if (!hasTools) {
      // Side requests (routing, next-speaker checks) carry no tools: a neutral JSON text answers them all.
      const text = JSON.stringify({ reasoning: 'done', next_speaker: 'user', model_choice: 'flash' });
      const answer = { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata };
      return /stream/.test(path) ? this.sse(res, [{ data: answer }]) : this.json(res, answer);
    }
    const n = this.step(results);
    const call = this.calls[n];
    const part = call ? { functionCall: { name: call.name, args: call.args } } : { text: this.finalText };
    const answer = { candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }], usageMetadata: { ...usageMetadata, promptTokenCount: 150 + 10 * n, totalTokenCount: 162 + 10 * n } };
    return /stream/.test(path) ? this.sse(res, [{ data: answer }]) : this.json(res, answer);
  }

  /** OpenAI Chat Completions (Qwen Code's OpenAI-compatible provider): tool results come back as `tool` messages. */
  private chat(body: Json, res: ServerResponse): void {
    const messages = (Array.isArray(body.messages) ? body.messages : []) as Json[];
    const results: ToolResult[] = [];
    for (const m of messages) if (m.role === 'tool') results.push({ text: textOf(m.content) });
    const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
    const n = hasTools ? this.step(results) : this.calls.length;
    const call = this.calls[n];
    const usage = { prompt_tokens: 250 + 10 * n, completion_tokens: 12, total_tokens: 262 + 10 * n };
    const base = { id: `chatcmpl_${n}_${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model ?? 'qwen3-coder-plus' };
    const args = call ? (typeof call.args === 'string' ? JSON.stringify({ input: call.args }) : JSON.stringify(call.args)) : '';
    const delta = call
      ? { role: 'assistant', content: null, tool_calls: [{ index: 0, id: `call_ag_${n}`, type: 'function', function: { name: call.name, arguments: args } }] }
      : { role: 'assistant', content: this.finalText };
    const finish = call ? 'tool_calls' : 'stop';
    if (!body.stream) {
      const message = call ? { role: 'assistant', content: null, tool_calls: [{ id: `call_ag_${n}`, type: 'function', function: { name: call.name, arguments: args } }] } : { role: 'assistant', content: this.finalText };
      return this.json(res, { ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
    res.write('data: [DONE]\n\n');
    res.end();
  }

  private responses(body: Json, res: ServerResponse): void {
    const input = (Array.isArray(body.input) ? body.input : []) as Json[];
    const results: ToolResult[] = [];
    for (const item of input) if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') results.push({ text: textOf(item.output) });
    const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
    const n = hasTools ? this.step(results) : this.calls.length;
    const call = this.calls[n];
    const id = `resp_${n}_${Date.now()}`;
    const declared = ((Array.isArray(body.tools) ? body.tools : []) as Json[]).find((t) => t.name === call?.name);
    const item = call
      ? typeof call.args === 'string' && declared?.type === 'function'
        ? { type: 'function_call', id: `fc_${n}`, call_id: `call_ag_${n}`, name: call.name, arguments: JSON.stringify({ input: call.args }), status: 'completed' }
        : typeof call.args === 'string'
        ? { type: 'custom_tool_call', id: `ctc_${n}`, call_id: `call_ag_${n}`, name: call.name, input: call.args, status: 'completed' }
        : { type: 'function_call', id: `fc_${n}`, call_id: `call_ag_${n}`, name: call.name, arguments: JSON.stringify(call.args), status: 'completed' }
      : { type: 'message', id: `msg_${n}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: this.finalText, annotations: [] }] };
    const usage = { input_tokens: 200 + 10 * n, input_tokens_details: { cached_tokens: 0 }, output_tokens: 12, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 212 + 10 * n };
    const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model: body.model ?? 'gpt-5.4' };
    const events: { event?: string; data: unknown }[] = [
      { event: 'response.created', data: { type: 'response.created', sequence_number: 0, response: { ...base, status: 'in_progress', output: [] } } },
      { event: 'response.output_item.added', data: { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: call ? item : { ...item, status: 'in_progress', content: [] } } },
    ];
    if (!call) {
      events.push({ event: 'response.content_part.added', data: { type: 'response.content_part.added', sequence_number: 2, item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } } });
      events.push({ event: 'response.output_text.delta', data: { type: 'response.output_text.delta', sequence_number: 3, item_id: item.id, output_index: 0, content_index: 0, delta: this.finalText } });
      events.push({ event: 'response.output_text.done', data: { type: 'response.output_text.done', sequence_number: 4, item_id: item.id, output_index: 0, content_index: 0, text: this.finalText } });
      events.push({ event: 'response.content_part.done', data: { type: 'response.content_part.done', sequence_number: 5, item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', text: this.finalText, annotations: [] } } });
    }
    events.push({ event: 'response.output_item.done', data: { type: 'response.output_item.done', sequence_number: 6, output_index: 0, item } });
    events.push({ event: 'response.completed', data: { type: 'response.completed', sequence_number: 7, response: { ...base, status: 'completed', output: [item], usage } } });
    this.sse(res, events);
  }
}
