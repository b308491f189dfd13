// Scans a workspace (or one text) for credentials: secretlint's recommended rules plus Agent Guard's detectors,
// merged, described and masked. Runs on the calling thread but yields every few milliseconds, so an editor stays
// responsive while 50,000 files go by.

import * as fs from 'node:fs';
import { mergeOverlapping, toFinding } from './describe';
import { DETECTORS, keystoreKind } from './detectors';
import { escapeRegExp } from './detectors/assignment';
import { Detection, Detector, lineStarts } from './detectors/detector';
import { PROCESS_FINGERPRINT_KEY } from './mask';
import { createSecretlintScanner, SecretlintScanner } from './secretlint';
import { CredentialFinding, FindingSource, ScanOptions, ScanResult, ScanStats } from './types';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_SKIP_DIRECTORIES, createTextFileReader, hasBinaryExtension, workspaceFiles } from './walk';

const YIELD_EVERY_MS = 12;

export interface CredentialScanner {
  /** Findings in one text; `file` is the workspace-relative name the findings carry. */
  scanText(text: string, file: string, source?: FindingSource): Promise<CredentialFinding[]>;
  /** The raw detections, before they are described (the environment scan maps them back to variables). */
  detect(text: string, file: string): Promise<Detection[]>;
  readonly key: Buffer;
}

/** One regex of each detector's triggers, tested (first hit is enough) only when the detector reads this file. */
const TRIGGERS = new Map<Detector, RegExp>(DETECTORS.map((d) => [d, new RegExp(d.triggers.map(escapeRegExp).join('|'))]));

function triggered(text: string, file: string): Detector[] {
  return DETECTORS.filter((d) => (!d.appliesTo || d.appliesTo(file)) && TRIGGERS.get(d)!.test(text));
}

export function createCredentialScanner(key: Buffer = PROCESS_FINGERPRINT_KEY): CredentialScanner {
  const secretlint: SecretlintScanner = createSecretlintScanner();
  async function detect(text: string, file: string): Promise<Detection[]> {
    const found = await secretlint.detect(text, file);
    for (const d of triggered(text, file)) {
      for (const hit of d.detect(text, file)) found.push({ ...hit, detector: `agent-guard:${d.id}` });
    }
    return mergeOverlapping(found);
  }
  return {
    key,
    detect,
    async scanText(text, file, source = 'workspace') {
      const detections = await detect(text, file);
      if (!detections.length) return [];
      const starts = lineStarts(text);
      return detections.map((d) => toFinding(d, { file, source, text, starts, key }));
    },
  };
}

function emptyStats(): ScanStats {
  return { filesScanned: 0, bytesScanned: 0, skipped: { binary: 0, tooLarge: 0, symlinks: 0, ignored: 0, directories: 0, unreadable: 0 }, durationMs: 0 };
}

/** Every credential an agent working in `root` could read there. Never reads outside `root`. */
export async function scanWorkspace(root: string, options: ScanOptions = {}, scanner = createCredentialScanner(options.fingerprintKey)): Promise<ScanResult> {
  const started = performance.now();
  const realRoot = fs.realpathSync(root);
  const stats = emptyStats();
  const findings: CredentialFinding[] = [];
  const readFile = createTextFileReader(options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const walk = { respectGitignore: options.respectGitignore ?? true, skipDirectories: options.skipDirectories ?? DEFAULT_SKIP_DIRECTORIES };
  let lastYield = performance.now();
  for (const { rel, abs } of workspaceFiles(realRoot, walk, stats)) {
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      options.onProgress?.(stats.filesScanned);
      lastYield = performance.now();
    }
    const keystore = keystoreKind(rel);
    if (keystore) {
      findings.push(keystoreFinding(rel, keystore));
      continue;
    }
    if (hasBinaryExtension(rel)) {
      stats.skipped.binary++;
      continue;
    }
    const read = readFile(abs);
    if (typeof read === 'string') {
      stats.skipped[read]++;
      continue;
    }
    stats.filesScanned++;
    stats.bytesScanned += read.bytes;
    findings.push(...(await scanner.scanText(read.text, rel)));
  }
  options.signal?.throwIfAborted();
  stats.durationMs = performance.now() - started;
  return { root: realRoot, findings, stats };
}

function keystoreFinding(rel: string, { provider, kind }: { provider: string; kind: string }): CredentialFinding {
  const d: Detection = { provider, kind, start: 0, end: 0, reference: true, facts: { path: '(keystore file)' }, detector: 'agent-guard:keystore' };
  return toFinding(d, { file: rel, source: 'workspace', text: '', starts: [0], key: Buffer.alloc(0) });
}
