// secretlint's recommended preset, run rule by rule through @secretlint/core, its messages mapped to detections.
//
// Why secretlint: maintained, MIT, ~30 provider rules written with false-positive guards (AWS EXAMPLE keys,
// placeholder passwords, ${VAR} templates) and a programmatic API that takes text, not files, so we keep the
// walk (symlinks, .gitignore, size limits) in our hands. It bundles with esbuild (ESM in, CJS out) and runs on
// Node 20 though it declares >=22. Its gaps — Railway, Heroku, Fly, Supabase, Netlify, legacy Vercel and
// Cloudflare tokens, Redis/AMQP URLs, kubeconfigs — are filled by ./detectors.
//
// Two things are deliberately different from `secretlint` the CLI:
//  - the filter-comments rule is left out: `secretlint-disable` comments live in files the agent can edit, and
//    must not hide a credential from the person this report is for;
//  - the profiler is switched off: it records a performance mark per rule per file and never clears them,
//    which grows without bound over a 50,000-file scan.
// AWS access key IDs stay off (the upstream default): an ID is not a credential, and the ID option also turns on
// an account-number regex that cost 7% of a whole scan.

import * as path from 'node:path';
import type { SecretLintCoreConfig, SecretLintCoreResultMessage } from '@secretlint/types';
import { Detection } from './detectors/detector';
import { parseCredentialUrl } from './detectors/database';

const RULE_PREFIX = '@secretlint/secretlint-rule-';
const LEFT_OUT = new Set([`${RULE_PREFIX}filter-comments`]);

type Mapping = readonly [provider: string, kind: string];

/** `<rule>:<messageId>` -> provider/kind. Unknown pairs (rules added upstream later) still report, by rule name. */
const MESSAGES: Readonly<Record<string, Mapping>> = {
  'aws:AWSSecretAccessKey': ['aws', 'secret-access-key'],
  'aws:AWSAccessKeyID': ['aws', 'access-key-id'],
  'gcp:PrivateKeyJSON': ['gcp', 'service-account-key'],
  'gcp:PrivateKeyP12': ['gcp', 'p12-key'],
  'privatekey:PrivateKey': ['pem', 'private-key'],
  'npm:PackageJSON_xOauthToken': ['npm', 'token'],
  'npm:Npmrc_authToken': ['npm', 'token'],
  'npm:NPM_ACCESS_TOKEN': ['npm', 'token'],
  'basicauth:BasicAuth': ['url', 'basic-auth'],
  'slack:SLACK_TOKEN': ['slack', 'token'],
  'slack:IncomingWebhook': ['slack', 'incoming-webhook'],
  'sendgrid:SENDGRID_KEY': ['sendgrid', 'api-key'],
  'shopify:SHOPIFY_KEY': ['shopify', 'access-token'],
  'stripe:STRIPE_SECRET_KEY_LIVE': ['stripe', 'secret-key-live'],
  'stripe:STRIPE_SECRET_KEY_TEST': ['stripe', 'secret-key-test'],
  'stripe:STRIPE_RESTRICTED_KEY_LIVE': ['stripe', 'restricted-key-live'],
  'stripe:STRIPE_RESTRICTED_KEY_TEST': ['stripe', 'restricted-key-test'],
  'github:GITHUB_TOKEN': ['github', 'token'],
  'gitlab:GITLAB_PERSONAL_ACCESS_TOKEN': ['gitlab', 'personal-access-token'],
  'grafana:GRAFANA_CLOUD_API_TOKEN': ['grafana', 'cloud-api-token'],
  'grafana:GRAFANA_SERVICE_ACCOUNT_TOKEN': ['grafana', 'service-account-token'],
  'openai:OPENAI_TOKEN': ['openai', 'api-key'],
  'anthropic:ANTHROPIC_API_KEY': ['anthropic', 'api-key'],
  'groq:GROQ_API_KEY': ['groq', 'api-key'],
  'huggingface:HUGGINGFACE_USER_ACCESS_TOKEN': ['huggingface', 'access-token'],
  'linear:LINEAR_API_TOKEN': ['linear', 'api-key'],
  'notion:NOTION_INTEGRATION_TOKEN': ['notion', 'integration-token'],
  '1password:OPS_TOKEN': ['1password', 'service-account-token'],
  'database-connection-string:PostgreSQLConnection': ['postgres', 'connection-url'],
  'database-connection-string:MySQLConnection': ['mysql', 'connection-url'],
  'database-connection-string:MongoDBConnection': ['mongodb', 'connection-url'],
  'hashicorp-vault:HASHICORP_VAULT_SERVICE_TOKEN': ['hashicorp-vault', 'token'],
  'hashicorp-vault:HASHICORP_VAULT_BATCH_TOKEN': ['hashicorp-vault', 'token'],
  'hashicorp-vault:HASHICORP_VAULT_RECOVERY_TOKEN': ['hashicorp-vault', 'token'],
  'vercel:VERCEL_PERSONAL_ACCESS_TOKEN': ['vercel', 'personal-access-token'],
  'vercel:VERCEL_INTEGRATION_TOKEN': ['vercel', 'integration-token'],
  'vercel:VERCEL_APP_ACCESS_TOKEN': ['vercel', 'app-access-token'],
  'vercel:VERCEL_APP_REFRESH_TOKEN': ['vercel', 'app-refresh-token'],
  'vercel:VERCEL_AI_GATEWAY_API_KEY': ['vercel', 'ai-gateway-key'],
  'databricks:DATABRICKS_PERSONAL_ACCESS_TOKEN': ['databricks', 'personal-access-token'],
  'docker:DOCKER_PERSONAL_ACCESS_TOKEN': ['docker', 'personal-access-token'],
  'figma:FIGMA_PERSONAL_ACCESS_TOKEN': ['figma', 'personal-access-token'],
  'cloudflare:CLOUDFLARE_GLOBAL_API_KEY': ['cloudflare', 'global-api-key'],
  'cloudflare:CLOUDFLARE_USER_API_TOKEN': ['cloudflare', 'user-api-token'],
  'cloudflare:CLOUDFLARE_ACCOUNT_API_TOKEN': ['cloudflare', 'account-api-token'],
  'tailscale:TAILSCALE_API_KEY': ['tailscale', 'api-key'],
  'tailscale:TAILSCALE_AUTH_KEY': ['tailscale', 'auth-key'],
  'tailscale:TAILSCALE_CLIENT_KEY': ['tailscale', 'key'],
  'tailscale:TAILSCALE_SCIM_KEY': ['tailscale', 'key'],
  'tailscale:TAILSCALE_WEBHOOK_KEY': ['tailscale', 'key'],
  'tailscale:TAILSCALE_KEY': ['tailscale', 'key'],
};

const GITHUB_KINDS: Readonly<Record<string, string>> = { ghp: 'classic-token', github: 'fine-grained-token', ghs: 'app-token' };

interface Library {
  lintSource: typeof import('@secretlint/core').lintSource;
  secretLintProfiler: typeof import('@secretlint/profiler').secretLintProfiler;
  recommendedRules: typeof import('@secretlint/secretlint-rule-preset-recommend').rules;
}
let library: Library | undefined;

/** Loaded on first scan, not when the extension activates: the gate's first command does not wait for it. */
function secretlint(): Library {
  /* eslint-disable @typescript-eslint/no-require-imports */
  library ??= {
    lintSource: (require('@secretlint/core') as typeof import('@secretlint/core')).lintSource,
    secretLintProfiler: (require('@secretlint/profiler') as typeof import('@secretlint/profiler')).secretLintProfiler,
    recommendedRules: (require('@secretlint/secretlint-rule-preset-recommend') as typeof import('@secretlint/secretlint-rule-preset-recommend')).rules,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return library;
}

/** Ids of the rules that run, for `--version`-style reporting and tests. */
export function secretlintRuleIds(): string[] {
  return secretlint().recommendedRules.map((r) => r.meta.id).filter((id) => !LEFT_OUT.has(id));
}

export interface SecretlintScanner {
  /** Detections in one file's text; `file` is only used for rules that look at the name (.npmrc, package.json). */
  detect(text: string, file: string): Promise<Detection[]>;
}

export function createSecretlintScanner(): SecretlintScanner {
  const { lintSource, secretLintProfiler, recommendedRules } = secretlint();
  // The library's profiler keeps every performance mark it is given, for the life of the process: off. secretlint 12
  // (the last release for Node 20) has no switch, so its marks are dropped at the source.
  const profiler = secretLintProfiler as { setEnabled?: (on: boolean) => void; mark: (...args: unknown[]) => void };
  if (typeof profiler.setEnabled === 'function') profiler.setEnabled(false);
  else profiler.mark = () => {};
  const config: SecretLintCoreConfig = {
    rules: recommendedRules.filter((r) => !LEFT_OUT.has(r.meta.id)).map((rule) => ({ id: rule.meta.id, rule })),
  };
  return {
    async detect(text, file) {
      // maskSecrets: the library's own messages are never shown, but nothing that holds a secret should linger either.
      // `ext` matters: the GCP rule only parses service-account JSON in .json files.
      const result = await lintSource({ source: { filePath: file, ext: path.posix.extname(file), content: text, contentType: 'text' }, options: { config, maskSecrets: true } });
      const out: Detection[] = [];
      for (const m of result.messages) {
        const d = toDetection(m, text);
        if (d) out.push({ ...d, detector: `secretlint:${m.ruleId}` });
      }
      return out;
    },
  };
}

function toDetection(m: SecretLintCoreResultMessage, text: string): Detection | null {
  const rule = m.ruleId.startsWith(RULE_PREFIX) ? m.ruleId.slice(RULE_PREFIX.length) : m.ruleId;
  if (rule === 'aws' && m.messageId === 'AWSAccountID') return null; // an account number, not a credential
  const [provider, kind] = MESSAGES[`${rule}:${m.messageId}`] ?? [rule, kebab(m.messageId)];
  let [start, end] = m.range;
  if (start < 0 || end > text.length || start >= end) return null;
  if (provider === 'aws' && kind === 'secret-access-key') {
    // The rule reports [start of the whole `aws_secret_access_key = …` match, + length of the key]: re-find the key.
    const key = /^["']?[A-Za-z_]*["']?\s*(?::|=>|=)\s*["']?[A-Za-z0-9/+=]{40}/.exec(text.slice(start, start + 200));
    if (!key) return null;
    end = start + key[0].length;
    start = end - 40;
  }
  if (kind === 'connection-url' || kind === 'basic-auth') {
    const url = parseCredentialUrl(text, start);
    if (!url) return null;
    return { provider, kind, start, end: url.end, secret: [url.passwordStart, url.passwordEnd], facts: { user: url.user, host: url.host } };
  }
  if (provider === 'gcp' && kind === 'service-account-key') {
    // The rule reports the whole JSON document: point at the private key, and name the account it acts as.
    const json = text.slice(start, end);
    const key = /"private_key"\s*:\s*"([^"]+)"/.exec(json);
    const email = /"client_email"\s*:\s*"([^"]+)"/.exec(json);
    if (key) {
      const keyStart = start + key.index + key[0].length - key[1].length - 1;
      return { provider, kind, start: keyStart, end: keyStart + key[1].length, facts: email ? { account: email[1] } : {} };
    }
  }
  if (provider === 'github') {
    const prefix = text.slice(start, text.indexOf('_', start));
    return { provider, kind: GITHUB_KINDS[prefix] ?? kind, start, end };
  }
  return { provider, kind, start, end };
}

function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}
