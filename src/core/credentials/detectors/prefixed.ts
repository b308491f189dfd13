// PaaS tokens with a recognisable shape that secretlint's preset has no rule for, found wherever they appear:
// Fly.io (`FlyV1 fm2_…`, `fo1_…`), Supabase (`sbp_…`, `sb_secret_…`, service-role JWTs), Heroku (`HRKU-…`),
// Netlify (`nfp_…`), PyPI upload tokens (`pypi-…`). A Supabase JWT is only reported when its payload says `"role":"service_role"`: the anon key
// is meant to be public.

import { Detection, Detector } from './detector';

interface Shape {
  readonly provider: string;
  readonly kind: string;
  /** One token, anchored by its prefix; the boundary checks are done around it. */
  readonly pattern: RegExp;
}

const SHAPES: readonly Shape[] = [
  { provider: 'fly', kind: 'access-token', pattern: /FlyV1 fm[12][ar]?_[A-Za-z0-9+/=_-]{20,}(?:,fm[12][ar]?_[A-Za-z0-9+/=_-]{20,})*/g },
  { provider: 'fly', kind: 'access-token', pattern: /(?<!FlyV1 |,)fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}/g },
  { provider: 'fly', kind: 'personal-token', pattern: /fo1_[A-Za-z0-9_-]{39,}/g },
  { provider: 'supabase', kind: 'access-token', pattern: /sbp_(?:v0_)?[0-9a-f]{40}/g },
  { provider: 'supabase', kind: 'secret-key', pattern: /sb_secret_[A-Za-z0-9_-]{20,}/g },
  { provider: 'heroku', kind: 'api-key', pattern: /HRKU-[A-Za-z0-9_-]{40,}/g },
  { provider: 'netlify', kind: 'access-token', pattern: /nfp_[A-Za-z0-9]{36,}/g },
  // `pypi-` then base64 of a macaroon whose location is pypi.org.
  { provider: 'pypi', kind: 'upload-token', pattern: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g },
];
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;
const TOKEN_CHAR = /[A-Za-z0-9_\-+/=]/;

export const prefixedTokens: Detector = {
  id: 'prefixed-tokens',
  summary: 'Fly.io, Supabase, Heroku and Netlify tokens by their prefix, and Supabase service-role JWTs by their role claim.',
  triggers: ['FlyV1', 'fm1', 'fm2', 'fo1_', 'sbp_', 'sb_secret_', 'HRKU-', 'nfp_', 'pypi-', 'eyJ'],
  detect(text) {
    const out: Detection[] = [];
    for (const shape of SHAPES) {
      for (const m of text.matchAll(shape.pattern)) {
        const start = m.index!;
        const end = start + m[0].length;
        if (isBounded(text, start, end)) out.push({ provider: shape.provider, kind: shape.kind, start, end });
      }
    }
    if (text.includes('eyJ')) {
      for (const m of text.matchAll(JWT)) {
        const start = m.index!;
        if (isBounded(text, start, start + m[0].length) && jwtRole(m[0]) === 'service_role') {
          out.push({ provider: 'supabase', kind: 'service-role-key', start, end: start + m[0].length });
        }
      }
    }
    return out;
  },
};

function isBounded(text: string, start: number, end: number): boolean {
  return (start === 0 || !TOKEN_CHAR.test(text[start - 1]) || text[start - 1] === '=') && (end === text.length || !TOKEN_CHAR.test(text[end]));
}

/** The `role` claim of a JWT's payload; undefined when it has none or does not decode. */
export function jwtRole(jwt: string): string | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const role = (payload as { role?: unknown })?.role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}
