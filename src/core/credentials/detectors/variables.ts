// PaaS tokens known by the variable they are assigned to, in .env files, CI YAML, compose files, scripts and code.
// secretlint cannot see these: Railway and Heroku tokens are bare UUIDs, legacy Vercel and Cloudflare tokens are
// unprefixed, so only the name (RAILWAY_API_TOKEN, HEROKU_API_KEY…) says what they are. Values that stand in for
// a token (`your-token-here`, `${RAILWAY_TOKEN}`, `${{ secrets.X }}`) are dropped.

import { isPlaceholder } from '../placeholder';
import { findAssignments } from './assignment';
import { Detection, Detector } from './detector';
import { jwtRole } from './prefixed';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value that could be a token: long enough, no spaces, letters and digits. */
function tokenLike(v: string): boolean {
  return v.length >= 16 && !/\s/.test(v) && /[0-9]/.test(v) && /[A-Za-z]/.test(v);
}

interface VariableSpec {
  readonly names: readonly string[];
  readonly provider: string;
  /** The kind this value is, or null when it cannot be this credential. */
  kindOf(value: string): string | null;
}

export const VARIABLES: readonly VariableSpec[] = [
  { names: ['RAILWAY_API_TOKEN'], provider: 'railway', kindOf: (v) => (UUID.test(v) || tokenLike(v) ? 'account-token' : null) },
  { names: ['RAILWAY_TOKEN'], provider: 'railway', kindOf: (v) => (UUID.test(v) || tokenLike(v) ? 'project-token' : null) },
  { names: ['HEROKU_API_KEY', 'HEROKU_API_TOKEN'], provider: 'heroku', kindOf: (v) => (UUID.test(v) || v.startsWith('HRKU-') || tokenLike(v) ? 'api-key' : null) },
  {
    names: ['FLY_API_TOKEN', 'FLY_ACCESS_TOKEN'],
    provider: 'fly',
    kindOf: (v) => (v.startsWith('fo1_') ? 'personal-token' : v.startsWith('FlyV1 ') || tokenLike(v) ? 'access-token' : null),
  },
  { names: ['VERCEL_TOKEN', 'VERCEL_ACCESS_TOKEN', 'VERCEL_API_TOKEN'], provider: 'vercel', kindOf: (v) => (/^[A-Za-z0-9]{24}$/.test(v) || tokenLike(v) ? 'token' : null) },
  {
    names: ['SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_SERVICE_KEY', 'SUPABASE_SECRET_KEY'],
    provider: 'supabase',
    kindOf: (v) => (v.startsWith('sb_secret_') ? 'secret-key' : v.startsWith('eyJ') ? (jwtRole(v) === 'anon' ? null : 'service-role-key') : tokenLike(v) ? 'service-role-key' : null),
  },
  { names: ['SUPABASE_ACCESS_TOKEN'], provider: 'supabase', kindOf: (v) => (v.startsWith('sbp_') || tokenLike(v) ? 'access-token' : null) },
  { names: ['SUPABASE_JWT_SECRET'], provider: 'supabase', kindOf: (v) => (v.length >= 16 ? 'jwt-secret' : null) },
  { names: ['SUPABASE_DB_PASSWORD'], provider: 'supabase', kindOf: (v) => (v.length >= 8 ? 'database-password' : null) },
  { names: ['VERCEL_OIDC_TOKEN'], provider: 'vercel', kindOf: (v) => (v.startsWith('eyJ') ? 'oidc-token' : null) },
  { names: ['NETLIFY_AUTH_TOKEN', 'NETLIFY_ACCESS_TOKEN', 'NETLIFY_TOKEN'], provider: 'netlify', kindOf: (v) => (tokenLike(v) ? 'access-token' : null) },
  { names: ['CLOUDFLARE_API_TOKEN', 'CF_API_TOKEN'], provider: 'cloudflare', kindOf: (v) => (tokenLike(v) ? 'api-token' : null) },
  { names: ['CLOUDFLARE_API_KEY', 'CF_API_KEY', 'CLOUDFLARE_GLOBAL_API_KEY'], provider: 'cloudflare', kindOf: (v) => (/^[0-9a-f]{37}$/i.test(v) || tokenLike(v) ? 'global-api-key' : null) },
];

const BY_NAME = new Map(VARIABLES.flatMap((spec) => spec.names.map((n) => [n, spec] as const)));
const NAMES = [...BY_NAME.keys()].sort((a, b) => b.length - a.length);

/** What a variable holds, judged by its name and value; null for other names, placeholders and misfits. */
export function classifyVariable(name: string, value: string): { provider: string; kind: string } | null {
  const upper = name.toUpperCase();
  const key = NAMES.find((n) => upper === n || upper.endsWith(`_${n}`));
  if (!key || isPlaceholder(value)) return null;
  const spec = BY_NAME.get(key)!;
  const kind = spec.kindOf(value.trim());
  return kind ? { provider: spec.provider, kind } : null;
}

export const paasVariables: Detector = {
  id: 'paas-variables',
  summary: 'Railway, Heroku, Fly.io, Vercel, Supabase, Netlify and Cloudflare credentials by the variable they are assigned to.',
  triggers: ['RAILWAY_', 'HEROKU_', 'FLY_', 'VERCEL_', 'SUPABASE_', 'NETLIFY_', 'CLOUDFLARE_', 'CF_API_', 'railway_', 'heroku_', 'fly_', 'vercel_', 'supabase_', 'netlify_', 'cloudflare_', 'cf_api_'],
  detect(text) {
    const out: Detection[] = [];
    for (const a of findAssignments(text, NAMES)) {
      const value = text.slice(a.valueStart, a.valueEnd);
      const found = classifyVariable(a.key, value);
      if (found) out.push({ ...found, start: a.valueStart, end: a.valueEnd, variable: a.name });
    }
    return out;
  },
};
