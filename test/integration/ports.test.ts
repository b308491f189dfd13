// VS Code offers to forward every port the remote side listens on, the extension host's included (code-server, like
// Remote-SSH and Codespaces, is a remote side). The gate's loopback port is for this window's terminals only: it
// listens in a range package.json declares `ignore`, and the Ports view never lists it, while a port of the same
// process outside the range is listed (so the view is really being read).
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import { stateDir } from '../../src/core/paths';
import { liveWindows, registryDir } from '../../src/gate/registry';
import { GATE_PORTS } from '../../src/gate/server';
import { person } from './person';

describe("the gate's port in a real VS Code", function () {
  this.timeout(120_000);

  it('is never auto-forwarded: it listens in the declared range and the Ports view does not list it', async () => {
    await vscode.extensions.getExtension('agent-guard.agent-guard')!.activate();
    const mine = liveWindows(registryDir(stateDir())).find((w) => w.pid === process.pid);
    assert.ok(mine, "this window's gate is registered");
    assert.ok(mine.port >= GATE_PORTS.first && mine.port <= GATE_PORTS.last, `port ${mine.port} is in the range`);
    const attributes = vscode.workspace.getConfiguration('remote').get<Record<string, { onAutoForward?: string }>>('portsAttributes') ?? {};
    assert.equal(attributes[`${GATE_PORTS.first}-${GATE_PORTS.last}`]?.onAutoForward, 'ignore');
    assert.ok(attributes['443'], "VS Code's own defaults are kept beside it");

    // The control: a port of this same process outside the range is auto-forwarded and listed.
    const other = createServer();
    const otherPort = await new Promise<number>((r) => other.listen(0, '127.0.0.1', () => r((other.address() as { port: number }).port)));
    try {
      await vscode.commands.executeCommand('~remote.forwardedPorts.focus');
      let text = '';
      for (const end = Date.now() + 60_000; !text.includes(String(otherPort)); ) {
        if (Date.now() > end) assert.fail(`the Ports view did not list the control port ${otherPort} within 60 s:\n${text}`);
        await new Promise((r) => setTimeout(r, 1000));
        text = (await person.read('#workbench\\.parts\\.panel')).text ?? '';
      }
      assert.ok(!text.includes(String(mine.port)), `the gate's port ${mine.port} is not listed:\n${text}`);
    } finally {
      other.close();
    }
  });
});
