// When the extension's parts came up, in performance.now() milliseconds of the extension host: read by the startup
// integration test and `npm run bench` (activation to a working gate). Written once each; nothing reads them to decide.

export interface StartupTimes {
  /** The entry (dist/extension.js) started loading the composed extension (dist/main.js). */
  loadStart?: number;
  /** How long loading dist/main.js took, and whether V8's code cache was used. */
  load?: { ms: number; cache: 'used' | 'rejected' | 'none'; readMs?: number; compileMs?: number; runMs?: number };
  /** activate() was entered. */
  activateStart?: number;
  /** The gate server accepts connections (terminals can ask). */
  gateListening?: number;
  /**
   * The gate works: it listens, the shells' scripts are installed and new terminals get its environment. The engine is not
   * loaded yet: the first line asked about before engineLoaded compiles it, as it waits for its answer.
   */
  gateReady?: number;
  /**
   * The PATH shims are in place, a moment after gateReady: checked in place on a start that finds bin/, laid down
   * without blocking on the first start (no bin/ yet), where until then the terminals' lines are checked and the
   * programs scripts start are not.
   */
  shimsPlaced?: number;
  /** The engine (dist/engine.js) is compiled and an engine built, by the load after activation or by a line asked. */
  engineLoaded?: number;
  /** The second part (dist/afterGate.js: views, commands, history, snapshots, scans) was composed, or failed to load. */
  afterGateLoaded?: number;
  /** How long loading dist/afterGate.js took, and whether V8's code cache was used. */
  afterGateLoad?: { ms: number; cache: 'used' | 'rejected' | 'none' };
  /** activate() returned. */
  activated?: number;
  /** The gate answered its first request from a terminal, shim or hook. */
  firstAnswer?: number;
  /**
   * CPU time of the extension host's thread (cpuMs()) at loadStart, gateListening and gateReady: what the start-up itself
   * cost, which other work on a busy machine does not stretch the way it stretches the times above.
   */
  cpu?: { loadStart?: number; gateListening?: number; gateReady?: number };
  /** The steps from the load to a working gate, in order: what each ended at (wall and CPU), for the bench's breakdown. */
  steps?: { step: string; at: number; cpu: number }[];
}

/** CPU milliseconds this thread has run (the process's where Node cannot tell a thread's, before Node 23.9). */
export function cpuMs(): number {
  const p = process as NodeJS.Process & { threadCpuUsage?: () => NodeJS.CpuUsage };
  const u = p.threadCpuUsage ? p.threadCpuUsage() : process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export const startupTimes: StartupTimes = {};

/** Marks the end of a start-up step (see StartupTimes.steps); cheap enough to leave in the path it measures. */
export function stepDone(step: string): void {
  (startupTimes.steps ??= []).push({ step, at: performance.now(), cpu: cpuMs() });
}
