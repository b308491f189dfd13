// Carries out the tests' requests as a person would: real key presses in the browser page, read from the screen.
// Requests arrive as files in a folder shared with the extension host (see test/integration/person.ts).
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const QUICK_INPUT = '.quick-input-widget';

async function carryOut(page, req) {
  if (req.action === 'type') {
    const box = page.locator(`${QUICK_INPUT} input`).first();
    await box.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await page.locator(QUICK_INPUT).first().innerText();
    await box.click();
    await page.keyboard.type(req.text, { delay: 5 });
    await page.keyboard.press('Enter');
    // Done once this box has gone: the next request must not type into it while it fades out.
    await page.locator(QUICK_INPUT).first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    return { ok: true, text };
  }
  if (req.action === 'box') {
    // The approval box's parts as they are on screen, read separately: title bar, the line under the input, the hint.
    const widget = page.locator(QUICK_INPUT).first();
    await widget.locator('input').first().waitFor({ state: 'visible', timeout: 20_000 });
    const part = async (selector) => ((await widget.locator(selector).count()) ? (await widget.locator(selector).first().innerText()).trim() : '');
    const box = {
      title: await part('.quick-input-title'),
      message: await part('.quick-input-message'),
      placeholder: (await widget.locator('input').first().getAttribute('placeholder')) ?? '',
    };
    return { ok: true, text: JSON.stringify(box) };
  }
  if (req.action === 'list') {
    // The quick pick's rows as a person reads them, one per line, once the list has rendered.
    // With `until`, waits (up to 20 s) for rows holding each of those texts: a list still rendering, or the last
    // pick's rows still on screen, is not read as the answer.
    const rows = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
    await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
    const read = async () => (await rows.allInnerTexts()).map((t) => t.replace(/\s*\n\s*/g, ' | ').trim()).join('\n');
    const until = Array.isArray(req.until) ? req.until : [];
    let text = await read();
    for (const deadline = Date.now() + 20_000; until.some((u) => !text.includes(u)) && Date.now() < deadline; text = await read()) {
      await page.waitForTimeout(200);
    }
    return { ok: true, text };
  }
  if (req.action === 'check') {
    // Ticks the quick pick's row with this label (its checkbox), then presses the pick's OK.
    const row = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`).filter({ hasText: req.label }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.locator('.monaco-checkbox, input[type=checkbox]').first().click();
    await page.locator(QUICK_INPUT).getByRole('button', { name: 'OK', exact: true }).first().click();
    return { ok: true };
  }
  if (req.action === 'terminal') {
    // What the terminal panel shows, row by row (xterm's DOM renderer), trailing blanks trimmed.
    // Hidden terminals keep their rows in the page: read the one on screen.
    const rows = page.locator('.xterm-rows').filter({ visible: true }).first();
    await rows.waitFor({ state: 'attached', timeout: 20_000 });
    const lines = await rows.locator(':scope > div').allInnerTexts();
    return { ok: true, text: lines.map((l) => l.replace(/\u00a0/g, ' ').trimEnd()).join('\n').trimEnd() };
  }
  if (req.action === 'screenshot') {
    // For the README: the page, or one part of it, saved as a PNG where the test says.
    const target = req.selector ? page.locator(req.selector).first() : page;
    await target.screenshot({ path: req.path, ...(req.clip ? { clip: req.clip } : {}) });
    return { ok: true };
  }
  if (req.action === 'press') {
    const open = await page.locator(QUICK_INPUT).first().isVisible().catch(() => false);
    await page.keyboard.press(req.key);
    // Escape closes the open box or pick: done once it has gone, so the next request never reads or types into it.
    if (open && req.key === 'Escape') await page.locator(QUICK_INPUT).first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    return { ok: true };
  }
  if (req.action === 'read') {
    const el = page.locator(req.selector).first();
    await el.waitFor({ state: 'attached', timeout: 20_000 });
    return { ok: true, text: await el.innerText() };
  }
  if (req.action === 'click') {
    // A button a person clicks, by its label, inside the first element matching a selector (a notification's Restore).
    const scope = page.locator(req.selector).filter({ hasText: req.within ?? '' }).first();
    await scope.waitFor({ state: 'visible', timeout: req.timeoutMs ?? 20_000 });
    const text = await scope.innerText();
    await scope.getByRole('button', { name: req.button, exact: true }).first().click();
    return { ok: true, text };
  }
  return { ok: false, error: `unknown action ${req.action}` };
}

/** Polls dir for requests until stop() is called. */
export function servePerson(page, dir, log = () => {}) {
  let stopped = false;
  const busy = new Set();
  const loop = async () => {
    while (!stopped) {
      const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('req-') && n.endsWith('.json')) : [];
      for (const name of names) {
        if (busy.has(name)) continue;
        busy.add(name);
        const id = name.slice(4, -5);
        const req = JSON.parse(readFileSync(join(dir, name), 'utf8'));
        let res;
        try {
          res = await carryOut(page, req);
        } catch (e) {
          res = { ok: false, error: e.message };
        }
        log(`person: ${JSON.stringify(req)} -> ${res.ok ? 'done' : res.error}`);
        writeFileSync(join(dir, `res-${id}.json.tmp`), JSON.stringify(res));
        renameSync(join(dir, `res-${id}.json.tmp`), join(dir, `res-${id}.json`));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const done = loop();
  return () => {
    stopped = true;
    return done;
  };
}
