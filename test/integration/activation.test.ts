// Activation to a working gate, in the real extension host: when the gate listens (before activate() returns) and
// how soon it answers the first terminal. The file sorts first, so in a full run its terminal is the first to ask.
// With AGENT_GUARD_STARTUP_TIMES set (npm run bench), the figures go to that file as JSON.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { AgentGuardApi } from '../../src/extension';
import { terminalReady, waitFor } from './workspace';

const EXTENSION_ID = 'agent-guard.agent-guard';

describe('startup: activation to a working gate', function () {
  this.timeout(120_000);

  it('listens before activate() returns and answers the first terminal that asks', async () => {
    const api = await vscode.extensions.getExtension<AgentGuardApi>(EXTENSION_ID)!.activate();
    const t = api.startupTimes;
    const { loadStart, load, activateStart, gateListening, gateReady, afterGateLoaded, afterGateLoad, activated } = t;
    assert.ok(loadStart !== undefined && load !== undefined && activateStart !== undefined && gateListening !== undefined && gateReady !== undefined && activated !== undefined, JSON.stringify(t));
    assert.ok(afterGateLoaded !== undefined && afterGateLoad !== undefined, JSON.stringify(t));
    // The entry loads dist/main.js (with V8's code cache when one was written), then the gate comes up, and only then
    // the rest of the extension (dist/afterGate.js) loads.
    assert.ok(loadStart <= activateStart && activateStart <= gateListening && gateListening <= gateReady && gateReady <= afterGateLoaded && afterGateLoaded <= activated, JSON.stringify(t));
    // The engine is compiled once the extension is up, not before the gate works: no terminal has asked yet.
    await waitFor(() => t.engineLoaded !== undefined, 30_000, 'the engine to load after activation');
    assert.ok(t.engineLoaded! >= gateReady, JSON.stringify(t));
    // The PATH shims: placed on the turn after the gate works (checked in place, or on a first start laid down whole).
    await waitFor(() => t.shimsPlaced !== undefined, 30_000, 'the PATH shims to be in place');
    assert.ok(t.shimsPlaced! >= gateReady, JSON.stringify(t));
    assert.ok(['used', 'none', 'rejected'].includes(load.cache) && ['used', 'none', 'rejected'].includes(afterGateLoad.cache), JSON.stringify(t));
    // What the second part registers is there when activate() returns: its commands, for one.
    assert.ok((await vscode.commands.getCommands(true)).includes('agentGuard.restoreSnapshot'), 'the snapshots part registered its commands');
    const opened = performance.now();
    const term = await terminalReady('startup');
    const ready = performance.now();
    try {
      // `export` is a word the shell asks about: the line goes to the gate, which lets it run.
      term.sendText('export AG_STARTUP=1');
      await waitFor(() => t.firstAnswer !== undefined, 30_000, 'the gate to answer the terminal');
    } finally {
      term.dispose();
    }
    // The steps to a working gate, as the bench reports them: in order, from the load to terminals given the gate.
    const steps = (t.steps ?? []).filter((s) => s.at <= gateReady);
    assert.deepEqual(
      steps.map((s) => s.step),
      ['dist/main.js loaded, log made', 'environment read', 'gate listening', 'shell scripts placed', 'window registered', 'settings read', 'terminals given its environment'],
    );
    assert.ok(steps.every((s, i) => s.at >= (i ? steps[i - 1].at : loadStart)), JSON.stringify(steps));
    const cpu = t.cpu;
    assert.ok(cpu?.loadStart !== undefined && cpu.gateListening !== undefined && cpu.gateReady !== undefined && cpu.loadStart <= cpu.gateListening && cpu.gateListening <= cpu.gateReady, JSON.stringify(t));
    const figures = {
      loadStartToListeningCpuMs: cpu.gateListening - cpu.loadStart,
      loadStartToReadyCpuMs: cpu.gateReady - cpu.loadStart,
      loadStartToReadyMs: gateReady - loadStart,
      loadStartToEngineLoadedMs: t.engineLoaded! - loadStart,
      loadStartToShimsPlacedMs: t.shimsPlaced! - loadStart,
      loadMs: load.ms,
      loadPhases: { readMs: load.readMs ?? NaN, compileMs: load.compileMs ?? NaN, runMs: load.runMs ?? NaN },
      codeCache: load.cache,
      loadStartToListeningMs: gateListening - loadStart,
      gateListeningMs: gateListening - activateStart,
      activateMs: activated - activateStart,
      afterGateLoadMs: afterGateLoad.ms,
      afterGateCodeCache: afterGateLoad.cache,
      listeningToAfterGateLoadedMs: afterGateLoaded - gateListening,
      terminalReadyMs: ready - opened,
      firstAnswerAfterTerminalReadyMs: t.firstAnswer! - ready,
      firstAnswerAfterActivateMs: t.firstAnswer! - activateStart,
      activateToTerminalOpenedMs: opened - activateStart,
      // Each step from the load to the gate working: how long it took after the one before (wall and CPU ms).
      steps: (t.steps ?? [])
        .filter((s) => s.at <= gateReady)
        .map((s, i, all) => ({ step: s.step, ms: s.at - (i ? all[i - 1].at : loadStart), cpuMs: s.cpu - (i ? all[i - 1].cpu : cpu.loadStart!) })),
    };
    if (process.env.AGENT_GUARD_STARTUP_TIMES) writeFileSync(process.env.AGENT_GUARD_STARTUP_TIMES, JSON.stringify(figures));
  });
});
