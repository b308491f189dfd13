// The person at the keyboard, for tests running inside the extension host: each request is carried out by the
// harness with real key presses in the browser (Playwright), never by an API of the extension.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PersonResult {
  ok: boolean;
  error?: string;
  text?: string;
}

let next = 0;

function dir(): string {
  const d = process.env.AGENT_GUARD_PERSON_DIR;
  if (!d) throw new Error('AGENT_GUARD_PERSON_DIR is not set: run these tests through test/harness/run-integration.mjs');
  mkdirSync(d, { recursive: true });
  return d;
}

async function request(body: Record<string, unknown>, timeoutMs = 30_000): Promise<PersonResult> {
  const id = `${process.pid}-${next++}`;
  const d = dir();
  writeFileSync(join(d, `req-${id}.json.tmp`), JSON.stringify(body));
  // Renamed into place so the harness never reads half a request.
  renameSync(join(d, `req-${id}.json.tmp`), join(d, `req-${id}.json`));
  const res = join(d, `res-${id}.json`);
  const end = Date.now() + timeoutMs;
  while (!existsSync(res)) {
    if (Date.now() > end) throw new Error(`the harness did not carry out ${JSON.stringify(body)} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return JSON.parse(readFileSync(res, 'utf8')) as PersonResult;
}

export const person = {
  /** Waits for the quick input, types text key by key and presses Enter; returns the prompt the person saw. */
  type: (text: string) => request({ action: 'type', text }),
  press: (key: string) => request({ action: 'press', key }),
  /** Waits for an element (matching a selector, holding some text) and clicks its button with that label. */
  click: (selector: string, within: string, button: string, timeoutMs = 20_000) => request({ action: 'click', selector, within, button, timeoutMs }, timeoutMs + 10_000),
  /** The approval box's title, the line under its input and the hint inside it, as JSON in `text`. */
  box: () => request({ action: 'box' }),
  /** The open quick pick's rows, one line each (label | description | detail). */
  list: (until: string[] = []) => request({ action: 'list', until }),
  /** Ticks the open multi-select pick's row with this label and presses OK. */
  check: (label: string) => request({ action: 'check', label }),
  /** The rows the terminal panel shows, one line each. */
  terminal: () => request({ action: 'terminal' }),
  /** Saves a PNG of the page (or of the first element matching a selector) at an absolute path. */
  screenshot: (path: string, selector?: string) => request({ action: 'screenshot', path, ...(selector ? { selector } : {}) }),
  /** The visible text of the first element matching a CSS selector. */
  read: (selector: string) => request({ action: 'read', selector }),
};
