// When the extension's parts came up, in performance.now() milliseconds of the extension host: read by the startup
// integration test and `npm run bench` (activation to a working gate). Written once each; nothing reads them to decide.

export interface StartupTimes {
  /** The entry (dist/extension.js) started loading the composed extension (dist/main.js). */
  loadStart?: number;
  /** How long loading dist/main.js took, and whether V8's code cache was used. */
  load?: { ms: number; cache: 'used' | 'rejected' | 'none' };
  /** activate() was entered. */
  activateStart?: number;
  /** The gate server accepts connections (terminals can ask). */
  gateListening?: number;
  /** The second part (dist/afterGate.js: views, commands, history, snapshots, scans) was composed, or failed to load. */
  afterGateLoaded?: number;
  /** How long loading dist/afterGate.js took, and whether V8's code cache was used. */
  afterGateLoad?: { ms: number; cache: 'used' | 'rejected' | 'none' };
  /** activate() returned. */
  activated?: number;
  /** The gate answered its first request from a terminal, shim or hook. */
  firstAnswer?: number;
}

export const startupTimes: StartupTimes = {};
