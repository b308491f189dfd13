// Operations CLIs outside the big clouds (object storage clients such as s3cmd, rclone and mc are read with the cloud
// storage rules in cloud.ts): key-value and secret stores (etcd, Consul, Vault), serverless databases (Neon, PlanetScale, Turso), and the places environments live (kind,
// minikube, Vagrant, libvirt, LXD/Incus, Nomad, Argo CD, Flux, Elastic Beanstalk, Amplify, AWS Copilot).
//
// Each program's destructive subcommands are a small table: the words that start them, a condition on the flags when
// the words alone are harmless, where the name of what goes is read from, and in words what goes with it.

import { ArgSpec, Args } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import type { Severity } from '../types';
import { defineRule, joinResources, RuleMatch, standIn } from './rule';
import { own } from '../own';

type Kind = 'keyvalue' | 'environment' | 'database';

interface Destructive {
  kind: Kind;
  /** The positionals that start the command (`['kv', 'metadata', 'delete']`); `|` separates spellings. */
  words: string;
  /** Only when one of these flags is given (`etcdctl del` of one key is risky; with --prefix, every key under it). */
  when?: (a: Args) => boolean;
  /** The name of what goes: positionals after the words (their indexes), else these options, else a stand-in. */
  at?: readonly number[];
  options?: readonly string[];
  /** When nothing names it: the whole of this (the folder's cluster, every key). */
  whole?: string;
  detail: string;
  severity?: Severity;
}

interface OpsProgram {
  spec: ArgSpec;
  commands: readonly Destructive[];
}

const HELP = ['--help', '-h'];

const PROGRAMS: Readonly<Record<string, OpsProgram>> = {
  etcdctl: {
    spec: { values: ['--endpoints', '--cacert', '--cert', '--key', '--user', '--password', '--dial-timeout', '--command-timeout', '-w', '--write-out'] },
    commands: [
      { kind: 'keyvalue', words: 'del', when: (a) => a.has('--prefix', '--from-key'), at: [0], whole: 'every key', detail: 'every key under the prefix', severity: 'catastrophic' },
      { kind: 'keyvalue', words: 'del', at: [0, 1], detail: 'the key', severity: 'risky' },
    ],
  },
  consul: {
    spec: { values: ['-http-addr', '-token', '-datacenter', '-namespace', '-partition'], singleDashLong: true },
    commands: [
      { kind: 'keyvalue', words: 'kv delete', when: (a) => a.has('-recurse', '--recurse'), at: [0], whole: 'every key', detail: 'every key under the prefix', severity: 'catastrophic' },
      { kind: 'keyvalue', words: 'kv delete', at: [0], detail: 'the key', severity: 'risky' },
    ],
  },
  vault: {
    spec: { values: ['-address', '-namespace', '-mount', '-versions', '-format', '-field'], singleDashLong: true },
    commands: [
      { kind: 'keyvalue', words: 'secrets disable', at: [0], detail: 'the secrets engine and every secret stored in it', severity: 'catastrophic' },
      { kind: 'keyvalue', words: 'kv metadata delete', at: [0], options: ['-mount'], detail: 'every version of the secret, for good' },
      { kind: 'keyvalue', words: 'kv destroy', at: [0], options: ['-mount'], detail: 'the versions named, for good' },
      { kind: 'keyvalue', words: 'kv delete|delete', at: [0], options: ['-mount'], detail: 'the latest version of the secret', severity: 'risky' },
    ],
  },
  neonctl: {
    spec: { values: ['--project-id', '--branch', '--org-id', '--api-key', '-o', '--output', '--context-file'] },
    commands: [
      { kind: 'database', words: 'projects delete|project delete', at: [0], options: ['--project-id'], detail: 'the project: every branch, database and its history', severity: 'catastrophic' },
      { kind: 'database', words: 'branches delete|branch delete', at: [0], detail: 'the branch and its data' },
      { kind: 'database', words: 'databases delete|database delete|db delete', at: [0], detail: 'the database' },
    ],
  },
  pscale: {
    spec: { values: ['--org', '--service-token', '--service-token-id', '-f', '--format'] },
    commands: [
      { kind: 'database', words: 'database delete|db delete', at: [0], detail: 'the database, every branch and backup', severity: 'catastrophic' },
      { kind: 'database', words: 'branch delete', at: [0, 1], detail: 'the branch and its data' },
      { kind: 'database', words: 'backup delete', at: [0, 1], detail: 'the backup' },
    ],
  },
  turso: {
    spec: { values: ['--group', '--location'] },
    commands: [
      { kind: 'database', words: 'db destroy|database destroy', at: [0], detail: 'the database and its replicas', severity: 'catastrophic' },
      { kind: 'database', words: 'group destroy', at: [0], detail: 'the group and every database in it', severity: 'catastrophic' },
    ],
  },
  kind: {
    spec: { values: ['--name', '--kubeconfig'] },
    commands: [{ kind: 'environment', words: 'delete cluster|delete clusters', options: ['--name'], at: [0], whole: 'kind', detail: 'the cluster and everything running in it' }],
  },
  minikube: {
    spec: { values: ['-p', '--profile'] },
    commands: [{ kind: 'environment', words: 'delete', options: ['-p', '--profile'], whole: 'minikube', detail: 'the cluster (with --all, every profile) and its volumes' }],
  },
  vagrant: {
    spec: {},
    commands: [{ kind: 'environment', words: 'destroy', at: [0], whole: 'vagrant destroy', detail: "the machine and its disks (everything not in a synced folder)" }],
  },
  virsh: {
    spec: { values: ['-c', '--connect', '--pool'] },
    commands: [
      { kind: 'environment', words: 'undefine', when: (a) => a.has('--remove-all-storage', '--storage', '--wipe-storage'), at: [0], detail: 'the machine and its disks', severity: 'catastrophic' },
      { kind: 'environment', words: 'vol-delete|vol-wipe|pool-delete', at: [0], options: ['--pool'], detail: 'the volume or pool and its data' },
    ],
  },
  lxc: {
    spec: { values: ['--project', '--target'] },
    commands: [{ kind: 'environment', words: 'delete|rm|storage delete|storage volume delete|project delete', at: [0, 1], detail: 'the instance (or volume, pool, project) and its disks' }],
  },
  nomad: {
    spec: { values: ['-address', '-namespace', '-region', '-token'], singleDashLong: true },
    commands: [{ kind: 'environment', words: 'job stop|stop', when: (a) => a.has('-purge', '--purge'), at: [0], detail: 'the job, stopped and purged from the cluster' }],
  },
  argocd: {
    spec: { values: ['--server', '--auth-token', '--grpc-web-root-path', '--propagation-policy', '-l', '--selector', '--app-namespace', '-N'] },
    commands: [
      { kind: 'environment', words: 'app delete', at: [0, 1, 2], whole: 'every selected app', detail: 'the application and (cascading) every resource it deployed' },
      { kind: 'environment', words: 'cluster rm|proj delete|appset delete', at: [0], detail: 'what it manages is no longer deployed' },
    ],
  },
  flux: {
    spec: { values: ['-n', '--namespace', '--context', '--kubeconfig'] },
    commands: [{ kind: 'environment', words: 'delete|uninstall', at: [0, 1], whole: 'flux', detail: 'the resource and (with pruning on) everything it applied' }],
  },
  eb: {
    spec: { values: ['--profile', '-r', '--region'] },
    commands: [{ kind: 'environment', words: 'terminate', at: [0], whole: 'the default environment', detail: 'the environment: its instances, load balancer and (if attached) its database', severity: 'catastrophic' }],
  },
  amplify: {
    spec: {},
    commands: [
      { kind: 'environment', words: 'delete', whole: 'amplify app', detail: 'the Amplify project: every environment and its backend resources', severity: 'catastrophic' },
      { kind: 'environment', words: 'env remove|remove storage|remove api|remove auth|remove function', at: [0], whole: 'amplify', detail: 'the environment or backend resource' },
    ],
  },
  copilot: {
    spec: { values: ['-a', '--app', '-e', '--env', '-n', '--name'] },
    commands: [
      { kind: 'environment', words: 'app delete', options: ['-n', '--name', '-a', '--app'], whole: 'copilot app', detail: 'the application: every environment and service, their data stores included', severity: 'catastrophic' },
      { kind: 'environment', words: 'env delete|svc delete|job delete|storage delete', options: ['-n', '--name', '-e', '--env'], whole: 'copilot', detail: 'the environment, service, job or storage' },
    ],
  },
};

function startsWith(positionals: readonly string[], words: string): number {
  for (const spelling of words.split('|')) {
    const w = spelling.split(' ');
    if (w.every((x, i) => positionals[i] === x)) return w.length;
  }
  return -1;
}

/** What an ops CLI's invocation would destroy, if anything. */
export function opsDestruction(inv: Invocation): (RuleMatch & { kind: Kind }) | null {
  const program = own(PROGRAMS, inv.program);
  if (!program) return null;
  const a = inv.parsed(program.spec);
  if (a.has(...HELP)) return null;
  for (const c of program.commands) {
    const n = startsWith(a.positionals, c.words);
    if (n < 0 || (c.when && !c.when(a))) continue;
    const after = a.positionals.slice(n);
    const names = (c.at ?? []).map((i) => after[i]).filter((x): x is string => x !== undefined);
    const option = names.length ? undefined : a.value(...(c.options ?? []));
    const resource = names.length ? joinResources(names) : option !== undefined && option !== '' ? option : c.whole ?? standIn(inv, a.positionals.slice(0, n).join(' '));
    return { kind: c.kind, resource: resource === '' ? c.whole ?? standIn(inv) : resource, detail: c.detail, ...(c.severity ? { severity: c.severity } : {}) };
  }
  return null;
}

function programsOf(kind: Kind): string[] {
  return Object.entries(PROGRAMS)
    .filter(([, p]) => p.commands.some((c) => c.kind === kind))
    .map(([name]) => name);
}

function ruleFor(kind: Kind) {
  return (inv: Invocation) => {
    const d = opsDestruction(inv);
    if (!d || d.kind !== kind) return null;
    const { kind: _k, ...m } = d;
    return m;
  };
}

export const keyValueDelete = defineRule({
  id: 'ops.keyvalue-delete',
  severity: 'destructive',
  summary: 'Deletes keys or secrets from a key-value or secret store',
  programs: programsOf('keyvalue'),
  match: ruleFor('keyvalue'),
  examples: {
    gated: [
      ["etcdctl del --prefix ''", 'every key'],
      ['etcdctl del --prefix /registry/', '/registry/'],
      ['etcdctl del /config/db', '/config/db'],
      ['consul kv delete -recurse', 'every key'],
      ['consul kv delete -recurse app/', 'app/'],
      ['vault kv metadata delete secret/app', 'secret/app'],
      ['vault secrets disable secret', 'secret'],
      ['vault kv destroy -versions=1,2 secret/app', 'secret/app'],
    ],
    allowed: ['etcdctl get --prefix /', 'etcdctl put /a b', 'consul kv get -recurse', 'vault kv get secret/app', 'vault secrets list', 'vault kv put secret/app a=b'],
  },
});

export const databaseDelete = defineRule({
  id: 'ops.database-delete',
  severity: 'destructive',
  summary: 'Deletes a hosted database, branch or project with its data',
  programs: programsOf('database'),
  match: ruleFor('database'),
  examples: {
    gated: [
      ['neonctl projects delete prod', 'prod'],
      ['neonctl branches delete preview --project-id p1', 'preview'],
      ['pscale database delete prod --force', 'prod'],
      ['pscale branch delete shop main', 'shop main'],
      ['turso db destroy prod --yes', 'prod'],
      ['turso group destroy default', 'default'],
    ],
    allowed: ['neonctl projects list', 'pscale database list', 'turso db list', 'turso db create dev', 'pscale branch create shop feature'],
  },
});

export const environmentDelete = defineRule({
  id: 'ops.environment-delete',
  severity: 'destructive',
  summary: 'Destroys a cluster, machine, deployment or application environment',
  programs: programsOf('environment'),
  match: ruleFor('environment'),
  examples: {
    gated: [
      ['kind delete cluster --name prod', 'prod'],
      ['kind delete cluster', 'kind'],
      ['minikube delete --all', 'minikube'],
      ['minikube delete -p staging', 'staging'],
      ['vagrant destroy -f', 'vagrant destroy'],
      ['vagrant destroy db -f', 'db'],
      ['virsh undefine prod --remove-all-storage', 'prod'],
      ['virsh vol-delete disk1.qcow2 --pool default', 'disk1.qcow2'],
      ['lxc delete prod --force', 'prod'],
      ['nomad job stop -purge api', 'api'],
      ['argocd app delete shop --cascade', 'shop'],
      ['flux delete kustomization apps --silent', 'kustomization apps'],
      ['eb terminate prod --force', 'prod'],
      ['amplify delete --force', 'amplify app'],
      ['copilot app delete --yes', 'copilot app'],
      ['copilot env delete --name test', 'test'],
    ],
    allowed: ['kind get clusters', 'kind create cluster', 'minikube status', 'vagrant up', 'vagrant halt', 'virsh undefine vm1', 'virsh list --all', 'lxc list', 'nomad job stop api', 'argocd app list', 'flux get kustomizations', 'eb status', 'amplify status', 'copilot app ls'],
  },
});
