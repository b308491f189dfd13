// What each kind of credential is, what a holder can do with it, and the narrower credential to use instead.
// Keyed `provider/kind`; the key is also the finding's code in the Problems panel.

import type { Breadth } from './types';

export interface CredentialKind {
  readonly label: string;
  readonly breadth: Breadth;
  /** What a holder can do, in words a person reads next to the finding. */
  readonly capability: string;
  /** The narrower alternative. */
  readonly suggestion: string;
}

function kind(label: string, breadth: Breadth, capability: string, suggestion: string): CredentialKind {
  return { label, breadth, capability, suggestion };
}

const DB_ROLE_SUGGESTION =
  'Give the agent a read-only role (PostgreSQL: CREATE ROLE agent LOGIN …; GRANT pg_read_all_data TO agent) on a non-production copy, and keep the owner’s URL out of the workspace.';
const DB_CAPABILITY = 'Logs in as the user in the URL and does whatever that role was granted — often the schema owner, so DROP TABLE and DELETE work.';
const KUBE_CAPABILITY =
  'Acts as this kubeconfig user on its cluster, with whatever RBAC grants it — kubeconfigs for managed clusters are often cluster-admin (delete namespaces, volumes, secrets).';
const KUBE_SUGGESTION =
  'A ServiceAccount bound to a namespaced Role, with a short-lived token (kubectl create token NAME --duration 1h); keep admin kubeconfigs out of the workspace.';
const HOME_FILE_SUGGESTION = 'Keep credential files out of paths the workspace names; give the agent short-lived, least-privilege credentials instead.';

export const KINDS: Readonly<Record<string, CredentialKind>> = {
  // PaaS tokens secretlint does not know, found by the variable they are assigned to or their prefix.
  'railway/account-token': kind(
    'Railway account or team token',
    'account',
    'Railway account token: can delete any project, service and volume the account (or team) owns, and read every variable in them.',
    'Use a project token (RAILWAY_TOKEN) created for one environment in the project’s settings; keep account tokens out of the workspace.',
  ),
  'railway/project-token': kind(
    'Railway project token',
    'project',
    'Acts on one environment of one Railway project: can deploy, change variables, and delete that environment’s services and volumes.',
    'Give the agent a project token for a non-production environment; keep the production token in CI secrets.',
  ),
  'heroku/api-key': kind(
    'Heroku API key',
    'account',
    'Acts as the Heroku user with global scope: can destroy any app the user can access, including its Postgres databases and backups.',
    'Create a narrower authorization: heroku authorizations:create --scope read (or write-protected) --expires-in 3600; deploy production from a pipeline.',
  ),
  'fly/personal-token': kind(
    'Fly.io personal access token',
    'account',
    'Full access to every organization, app, volume and Postgres cluster the user belongs to.',
    'An app-scoped deploy token with an expiry: fly tokens create deploy -a APP --expiry 24h (or fly tokens create readonly).',
  ),
  'fly/access-token': kind(
    'Fly.io access token',
    'unknown',
    'Deploy tokens act on one app (including destroying its machines and volumes); org tokens act on every app in the organization.',
    'An app-scoped deploy token with an expiry: fly tokens create deploy -a APP --expiry 24h (or fly tokens create readonly).',
  ),
  'vercel/token': kind(
    'Vercel access token',
    'account',
    'Acts as the user on the scope chosen when it was made (often every team): can delete projects, deployments, domains and environment variables.',
    'A token scoped to one team with a short expiry; for deploys, a deploy hook or the Git integration.',
  ),
  'supabase/service-role-key': kind(
    'Supabase service-role key',
    'project',
    'Bypasses Row Level Security on the project: can read, change and delete every row and stored file.',
    'Give the agent the anon/publishable key with RLS policies, or a Postgres role with only the grants it needs; keep the service-role key server-side.',
  ),
  'supabase/secret-key': kind(
    'Supabase secret API key',
    'project',
    'Bypasses Row Level Security on the project: can read, change and delete every row and stored file.',
    'Give the agent the publishable key with RLS policies, or a Postgres role with only the grants it needs.',
  ),
  'supabase/access-token': kind(
    'Supabase personal access token',
    'account',
    'Management API access to every organization and project of the user: can delete or pause projects and read their database passwords.',
    'Log in per session (supabase login) and revoke the token afterwards; give the agent a project-scoped key instead.',
  ),
  'supabase/jwt-secret': kind(
    'Supabase JWT secret',
    'project',
    'Signs the project’s tokens: anyone holding it can mint a service-role token and bypass Row Level Security.',
    'Keep it server-side only; rotate it if the workspace was shared, and give the agent the anon key with RLS.',
  ),
  'supabase/database-password': kind(
    'Supabase database password',
    'project',
    'Password of the project’s postgres role: full access to the database, including dropping tables.',
    'A Postgres role with only the grants the agent needs (e.g. read-only), on a branch or a copy.',
  ),
  'vercel/oidc-token': kind(
    'Vercel OIDC token',
    'project',
    'Short-lived (about 12 hours) project token: whatever the cloud roles that trust Vercel’s OIDC issuer allow.',
    'Scope the trusting cloud roles to read-only for development environments; do not keep pulled tokens in the workspace.',
  ),
  'pypi/upload-token': kind('PyPI upload token', 'account', 'Uploads releases of every project the account maintains, unless it was scoped to one project.', 'A token scoped to one project, or trusted publishing from CI.'),
  'netlify/access-token': kind(
    'Netlify personal access token',
    'account',
    'Acts as the user on every team and site: can delete sites, deploys, environment variables and DNS zones.',
    'A build hook for deploys, or a token with an expiry made for this task and revoked afterwards.',
  ),
  'cloudflare/api-token': kind(
    'Cloudflare API token',
    'unknown',
    'Does what its permission policies allow; tokens made from the “Edit” templates can change DNS, Workers and zone settings.',
    'An API token with only the permissions and zones needed (e.g. Zone.DNS:Edit on one zone), with a TTL and a client IP filter.',
  ),
  'cloudflare/global-api-key': kind(
    'Cloudflare Global API Key',
    'account',
    'Full access to every zone and account of the user, including deleting zones and Workers.',
    'Roll the Global API Key and use an API token scoped to the zones and permissions needed.',
  ),
  'cloudflare/user-api-token': kind('Cloudflare user API token', 'unknown', 'Does what its permission policies allow on the user’s zones and accounts.', 'An API token with only the permissions and zones needed, with a TTL.'),
  'cloudflare/account-api-token': kind('Cloudflare account API token', 'organization', 'Does what its permission policies allow on the account’s zones and resources.', 'An API token with only the permissions and zones needed, with a TTL.'),

  // Database URLs; the capability is sharpened by the user in the URL (see databaseCapability).
  'postgres/connection-url': kind('PostgreSQL URL with password', 'resource', DB_CAPABILITY, DB_ROLE_SUGGESTION),
  'postgres/pgpass-entry': kind('PostgreSQL password in a .pgpass file', 'resource', DB_CAPABILITY, DB_ROLE_SUGGESTION),
  'mysql/connection-url': kind('MySQL URL with password', 'resource', DB_CAPABILITY, 'A MySQL user with SELECT only on the schema the agent needs, on a non-production copy.'),
  'mongodb/connection-url': kind('MongoDB URL with password', 'resource', DB_CAPABILITY, 'A MongoDB user with the read role on one database, on a non-production copy.'),
  'redis/connection-url': kind('Redis URL with password', 'resource', 'Full access to the Redis server unless ACLs restrict the user: can FLUSHALL every database.', 'A Redis ACL user limited to the commands and key patterns needed (no FLUSHALL, no CONFIG).'),
  'amqp/connection-url': kind('AMQP (RabbitMQ) URL with password', 'resource', 'Publishes, consumes and (with configure rights) deletes queues on the virtual host.', 'A RabbitMQ user with read/write but no configure permission on one vhost.'),
  'mssql/connection-url': kind('SQL Server URL with password', 'resource', DB_CAPABILITY, 'A login mapped to db_datareader on one database, on a non-production copy.'),
  'clickhouse/connection-url': kind('ClickHouse URL with password', 'resource', DB_CAPABILITY, 'A ClickHouse user with a readonly profile.'),
  'url/basic-auth': kind('URL with a user name and password', 'unknown', 'Logs in to that host as the user in the URL.', 'Pass a scoped token through the environment instead of embedding a password in the URL.'),

  // Kubernetes.
  'kubernetes/token': kind('Kubernetes user token in a kubeconfig', 'unknown', KUBE_CAPABILITY, KUBE_SUGGESTION),
  'kubernetes/client-key': kind('Kubernetes client key in a kubeconfig', 'unknown', KUBE_CAPABILITY, KUBE_SUGGESTION),
  'kubernetes/password': kind('Kubernetes basic-auth password in a kubeconfig', 'unknown', KUBE_CAPABILITY, KUBE_SUGGESTION),

  // Files outside the workspace that a workspace file points at. Never read: the reference itself is the finding.
  'aws/credentials-file-reference': kind('Points at an AWS credentials file', 'account', 'An agent that follows this path reads every profile’s access keys in it.', 'Use short-lived credentials (aws sso login, aws-vault) and a least-privilege profile for the agent.'),
  'gcp/credentials-file-reference': kind('Points at a Google Cloud credentials file', 'project', 'An agent that follows this path gets a service-account key or your gcloud login.', 'Service-account impersonation with short-lived tokens, limited to the roles needed.'),
  'kubernetes/kubeconfig-reference': kind('Points at a kubeconfig', 'unknown', KUBE_CAPABILITY, KUBE_SUGGESTION),
  'ssh/private-key-reference': kind('Points at an SSH private key', 'unknown', 'An agent that follows this path can log in wherever the key is trusted and push with it.', 'A deploy key for one repository, held in ssh-agent rather than named in the workspace.'),
  'railway/config-reference': kind('Points at the Railway CLI login', 'account', 'The Railway CLI keeps the account token there: an agent that reads it can delete any project the account owns.', 'A project token (RAILWAY_TOKEN) for one environment.'),
  'fly/config-reference': kind('Points at the Fly.io CLI login', 'account', 'flyctl keeps the user’s access token there: full access to every app and volume.', 'fly tokens create deploy -a APP --expiry 24h.'),
  'netrc/file-reference': kind('Points at a .netrc file', 'account', '.netrc holds logins for hosts such as api.heroku.com and github.com.', HOME_FILE_SUGGESTION),
  'docker/config-reference': kind('Points at Docker registry logins', 'account', 'Docker’s config.json holds registry logins: push (and overwrite) images.', 'A registry token limited to pulling, or to pushing one repository.'),
  'npm/config-reference': kind('Points at a user .npmrc', 'account', 'A user .npmrc usually holds an npm token that can publish every package the user maintains.', 'A granular npm token limited to the packages needed, read-only for installs.'),
  'postgres/pgpass-reference': kind('Points at a .pgpass file', 'resource', '.pgpass holds database passwords, often the owner’s.', DB_ROLE_SUGGESTION),

  // The environment guarded terminals inherit.
  'env/credential-variable': kind(
    'Credential-named variable',
    'unknown',
    'Every program the agent runs inherits it, and can use it for whatever the service it belongs to allows.',
    'Strip it from guarded terminals (agentGuard.credentials.stripFromTerminals) and pass it only to the commands that need it.',
  ),

  // Credential files recognised by name.
  'netrc/password': kind('Password in a .netrc file', 'unknown', 'Logs in to the machine named next to it.', HOME_FILE_SUGGESTION),
  'keystore/pkcs12': kind('PKCS#12 keystore (.p12/.pfx)', 'unknown', 'Holds a private key and certificate: signs or authenticates as their owner (often guarded by a weak or empty passphrase).', 'Keep keystores out of the workspace; sign in CI with a key held by the CI secret store.'),
  'keystore/java': kind('Java keystore (.jks/.keystore)', 'unknown', 'Holds private keys: app-signing keys in it can publish updates as you.', 'Keep keystores out of the workspace; sign in CI with a key held by the CI secret store.'),

  // Kinds secretlint's recommended preset finds (mapped in secretlint.ts).
  'aws/secret-access-key': kind('AWS secret access key', 'account', 'Acts as the IAM user or role it belongs to — with broad policies, can delete S3 buckets, RDS databases and their snapshots.', 'Short-lived credentials from a least-privilege role (aws sso login, aws-vault), read-only for the agent.'),
  'aws/access-key-id': kind('AWS access key ID', 'account', 'Identifies an IAM key; with its secret it acts as that user.', 'Short-lived credentials from a least-privilege role (aws sso login, aws-vault).'),
  'gcp/service-account-key': kind('Google Cloud service-account key', 'project', 'Acts as the service account on every project where it holds roles — often Editor or Owner.', 'Service-account impersonation with short-lived tokens, limited to the roles needed.'),
  'gcp/p12-key': kind('Google Cloud service-account key (P12)', 'project', 'Acts as the service account on every project where it holds roles.', 'Service-account impersonation with short-lived tokens, limited to the roles needed.'),
  'pem/private-key': kind('Private key', 'unknown', 'Signs or logs in as whatever trusts the matching public key: SSH servers, TLS identities, code signing.', 'Hold keys in ssh-agent or a keychain outside the workspace; a deploy key for one repository.'),
  'npm/token': kind('npm token', 'account', 'Can publish new versions of, deprecate and unpublish every package the account maintains.', 'A granular access token limited to the packages needed (read-only for installs), with an expiry.'),
  'slack/token': kind('Slack token', 'organization', 'Acts as the bot or user in the Slack workspace: reads the channels it is in and posts messages.', 'A bot token with only the scopes needed, installed to the channels needed.'),
  'slack/incoming-webhook': kind('Slack incoming webhook', 'resource', 'Posts messages to one channel.', 'Fine for notifications; rotate it if it leaked.'),
  'sendgrid/api-key': kind('SendGrid API key', 'account', 'Sends email as your domains; full-access keys also manage keys, senders and settings.', 'A restricted key with Mail Send only.'),
  'shopify/access-token': kind('Shopify access token', 'project', 'Acts on the store with the app’s scopes: orders, customers, products.', 'A custom app token with read-only scopes for the agent.'),
  'stripe/secret-key-live': kind('Stripe live secret key', 'account', 'Live mode: can create charges and refunds, read customers and change payouts for the account.', 'A restricted key (rk_live_) with only the resources needed; test-mode keys for development.'),
  'stripe/secret-key-test': kind('Stripe test secret key', 'project', 'Test mode only: no real money moves, but test data can be deleted.', 'Fine for development; a restricted test key narrows it further.'),
  'stripe/restricted-key-live': kind('Stripe live restricted key', 'project', 'Live mode, limited to the resources chosen when it was made.', 'Check that its permissions are read-only where possible.'),
  'stripe/restricted-key-test': kind('Stripe test restricted key', 'resource', 'Test mode, limited to the resources chosen when it was made.', 'Fine for development.'),
  'github/token': kind('GitHub token', 'account', 'Acts as the user or app that owns it on every repository it can reach.', 'A fine-grained token limited to the repositories and permissions needed, with an expiry.'),
  'github/classic-token': kind('GitHub classic personal access token', 'account', 'Every repository the user can reach, with its scopes — with repo and delete_repo it can force-push and delete repositories.', 'A fine-grained token limited to the repositories and permissions needed, with an expiry.'),
  'github/fine-grained-token': kind('GitHub fine-grained token', 'project', 'The repositories and permissions chosen when it was made.', 'Check that it is read-only where the agent only reads, and that it expires.'),
  'github/app-token': kind('GitHub App installation token', 'organization', 'Acts as the app on the repositories it is installed on, for about an hour.', 'Install the app on fewer repositories, with fewer permissions.'),
  'gitlab/personal-access-token': kind('GitLab personal access token', 'account', 'With the api scope: everything the user can do, including deleting projects they own.', 'A project access token with read_repository or a narrow scope, with an expiry.'),
  'grafana/cloud-api-token': kind('Grafana Cloud API token', 'organization', 'Manages the Grafana Cloud stack and its data sources with the token’s role.', 'A service account token with the Viewer role.'),
  'grafana/service-account-token': kind('Grafana service account token', 'project', 'Acts with the service account’s role on the Grafana instance.', 'A service account with the Viewer role for the agent.'),
  'openai/api-key': kind('OpenAI API key', 'organization', 'Spends on the organization’s account and reads its files, assistants and fine-tunes.', 'A project key with restricted permissions and a spending limit.'),
  'anthropic/api-key': kind('Anthropic API key', 'organization', 'Spends on the workspace’s account.', 'A key in a dedicated workspace with a spend limit.'),
  'groq/api-key': kind('Groq API key', 'organization', 'Spends on the organization’s account.', 'A key with a spend limit, revoked after the task.'),
  'huggingface/access-token': kind('Hugging Face access token', 'account', 'Write tokens push and delete models, datasets and Spaces of the user and their organizations.', 'A fine-grained, read-only token.'),
  'linear/api-key': kind('Linear API key', 'organization', 'Reads and changes every issue and project the user can see.', 'An OAuth app with read scope, or a key revoked after the task.'),
  'notion/integration-token': kind('Notion integration token', 'resource', 'Reads and edits the pages shared with the integration.', 'Share fewer pages with the integration; give it read content only.'),
  '1password/service-account-token': kind('1Password service account token', 'organization', 'Reads (and with write access, changes) every item in the vaults it was granted.', 'A service account limited to one vault, read-only.'),
  'hashicorp-vault/token': kind('HashiCorp Vault token', 'unknown', 'Reads every secret its policies allow, until it expires.', 'A token with a narrow policy and a short TTL (vault token create -policy=… -ttl=1h).'),
  'vercel/personal-access-token': kind('Vercel personal access token', 'account', 'Acts as the user on its scope: can delete projects, deployments, domains and environment variables.', 'A token scoped to one team with a short expiry; for deploys, a deploy hook.'),
  'vercel/integration-token': kind('Vercel integration token', 'organization', 'Acts as the integration on the teams and projects it was installed to.', 'Install the integration on fewer projects.'),
  'vercel/app-access-token': kind('Vercel app access token', 'organization', 'Acts as the app with the scopes the user granted.', 'Grant the app fewer scopes.'),
  'vercel/app-refresh-token': kind('Vercel app refresh token', 'organization', 'Mints new app access tokens.', 'Keep refresh tokens server-side.'),
  'vercel/ai-gateway-key': kind('Vercel AI Gateway key', 'project', 'Spends on the team’s AI Gateway credits.', 'A key with a budget, revoked after the task.'),
  'databricks/personal-access-token': kind('Databricks personal access token', 'account', 'Acts as the user on the workspace: runs jobs, reads and drops tables.', 'A service principal token with a short lifetime and only the grants needed.'),
  'docker/personal-access-token': kind('Docker Hub personal access token', 'account', 'Pushes (and with delete scope, deletes) images in the user’s repositories.', 'A read-only or read-write (not delete) token.'),
  'figma/personal-access-token': kind('Figma personal access token', 'account', 'Reads (and with write scopes, changes) every file the user can open.', 'A token with read-only file scopes and an expiry.'),
  'tailscale/api-key': kind('Tailscale API key', 'organization', 'Manages the tailnet: devices, ACLs and keys.', 'An OAuth client with only the scopes needed.'),
  'tailscale/auth-key': kind('Tailscale auth key', 'organization', 'Adds devices to the tailnet.', 'A one-off, tagged, expiring auth key.'),
  'tailscale/key': kind('Tailscale key', 'organization', 'Acts on the tailnet with the key’s scopes.', 'An OAuth client with only the scopes needed.'),
};

/** Users that are superusers or server administrators on common hosted databases. */
const SUPERUSERS: Readonly<Record<string, readonly string[]>> = {
  postgres: ['postgres', 'supabase_admin', 'rdsadmin', 'cloudsqladmin', 'azure_superuser', 'doadmin', 'avnadmin'],
  mysql: ['root', 'admin', 'doadmin', 'avnadmin', 'rdsadmin'],
  mongodb: ['root', 'admin', 'doadmin', 'avnadmin'],
  mssql: ['sa'],
  redis: ['default', ''],
  clickhouse: ['default'],
};
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', 'host.docker.internal'];

export interface DatabaseFacts {
  user: string;
  host: string;
}

/** The kind's description, sharpened by facts the match carried (a database URL's user, a kubeconfig user). */
export function describeKind(provider: string, kindName: string, facts: Record<string, string> = {}): CredentialKind {
  const base = KINDS[`${provider}/${kindName}`] ?? fallbackKind(provider, kindName);
  if (facts.user !== undefined && (kindName === 'connection-url' || kindName === 'pgpass-entry')) return databaseKind(provider, base, facts as unknown as DatabaseFacts);
  if (facts.user && provider === 'kubernetes') return { ...base, capability: `User “${facts.user}”: ${base.capability}` };
  if (facts.account) return { ...base, capability: `Service account “${facts.account}”: ${base.capability}` };
  return base;
}

function databaseKind(provider: string, base: CredentialKind, { user, host }: DatabaseFacts): CredentialKind {
  const local = LOCAL_HOSTS.includes(host.toLowerCase()) ? ' (a local database)' : '';
  if ((SUPERUSERS[provider] ?? []).includes(user)) {
    const who = user ? `Superuser “${user}”` : 'The default user';
    const what =
      provider === 'postgres'
        ? 'can drop every database on the server, read all data and run programs on the database host (COPY … PROGRAM)'
        : provider === 'redis'
          ? 'can run every command, including FLUSHALL and CONFIG'
          : 'can drop every database on the server and read all data';
    return { ...base, breadth: 'account', capability: `${who}${local}: ${what}.` };
  }
  return { ...base, capability: `User “${user}”${local}: ${base.capability}` };
}

function fallbackKind(provider: string, kindName: string): CredentialKind {
  const words = `${provider} ${kindName.replace(/-/g, ' ')}`;
  return kind(
    words.charAt(0).toUpperCase() + words.slice(1),
    'unknown',
    'What it can do depends on how it was issued.',
    'Move it into a secret manager and give the agent a narrower, short-lived credential.',
  );
}
