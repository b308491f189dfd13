// Detections (offsets) -> findings (masked, described). The secret's characters are read here, masked and hashed,
// and go no further.

import { describeKind } from './catalog';
import { Detection, position } from './detectors/detector';
import { fingerprint, maskSecret } from './mask';
import { CredentialFinding, FindingSource } from './types';

export interface FindingContext {
  file: string;
  source: FindingSource;
  text: string;
  /** Line starts of `text` (see lineStarts). */
  starts: readonly number[];
  key: Buffer;
}

export function toFinding(d: Detection, ctx: FindingContext): CredentialFinding {
  const [s, e] = d.secret ?? [d.start, d.end];
  const secret = ctx.text.slice(s, e);
  const described = describeKind(d.provider, d.kind, d.facts);
  const from = position(ctx.starts, d.start);
  const to = position(ctx.starts, d.end);
  return {
    provider: d.provider,
    kind: d.kind,
    label: described.label,
    source: ctx.source,
    file: ctx.file,
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    masked: d.reference ? (d.facts?.path ?? secret) : maskedInPlace(d, ctx.text, secret),
    ...(d.variable ? { variable: d.variable } : {}),
    capability: described.capability,
    suggestion: described.suggestion,
    breadth: described.breadth,
    detector: d.detector ?? 'agent-guard',
    ...(d.reference ? {} : { fingerprint: fingerprint(secret, ctx.key), secretLength: secret.length }),
  };
}

/** Passwords a person chose: no characters shown. Tokens usually start with a public prefix (`ghp_`, `sbp_`). */
function isPassword(d: Detection): boolean {
  return d.facts?.user !== undefined || d.kind.endsWith('password') || d.kind === 'pgpass-entry' || d.kind === 'jwt-secret' || d.provider === 'netrc' || d.kind === 'credential-variable';
}

/** A URL keeps its scheme, user and host around the masked password; anything else is just the mask. */
function maskedInPlace(d: Detection, text: string, secret: string): string {
  const mask = maskSecret(secret, !isPassword(d));
  if (!d.secret || d.facts?.host === undefined || d.kind === 'pgpass-entry') return mask;
  return `${text.slice(d.start, d.secret[0])}${mask}@${d.facts.host}`;
}

const PREFERENCE = (d: Detection): number =>
  d.detector === 'agent-guard:prefixed-tokens' ? 3 : d.detector?.startsWith('secretlint:') ? 2 : d.detector === 'agent-guard:env-file-secrets' ? 0 : 1;

/**
 * One detection per overlapping span: the detector that knows the kind best (by prefix, then secretlint, then by
 * variable name, then by a credential-sounding name) wins, and keeps the variable name and facts the others saw.
 */
export function mergeOverlapping(detections: readonly Detection[]): Detection[] {
  const sorted = [...detections].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Detection[] = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && d.start < last.end) {
      const [keep, drop] = PREFERENCE(d) > PREFERENCE(last) ? [d, last] : [last, d];
      out[out.length - 1] = { ...keep, variable: keep.variable ?? drop.variable, facts: { ...drop.facts, ...keep.facts } };
    } else {
      out.push(d);
    }
  }
  return out;
}
