// Kubernetes and Helm: namespace, volume and workload deletes, uninstalls.

import { Args, ArgSpec, parseArgs } from '../parse/args';
import { Invocation, staticOutput } from '../parse/invocation';
import { defineRule, joinResources, RuleMatch, standIn } from './rule';

/** Options that take a value, global or belonging to the verbs below; kubectl accepts them before or after the verb. */
const KUBECTL_SPEC: ArgSpec = {
  values: [
    '-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token', '--as',
    '--as-group', '--as-uid', '--cache-dir', '--certificate-authority', '--client-certificate', '--client-key',
    '--request-timeout', '--tls-server-name', '-v', '--v', '--vmodule', '--log-file', '--profile', '--profile-output',
    '-l', '--selector', '--field-selector', '-f', '--filename', '-k', '--kustomize', '-o', '--output', '--template',
    '--grace-period', '--timeout', '-c', '--container', '--raw', '--replicas', '--current-replicas', '--resource-version',
    '--to-revision', '--pod-selector', '--skip-wait-for-delete-timeout', '--chunk-size', '--field-manager',
    '--prune-allowlist', '--prune-whitelist', '--applyset', '--subresource',
  ],
};

const NAMESPACE_KINDS = new Set(['namespace', 'namespaces', 'ns', 'project', 'projects']);
const VOLUME_KINDS = new Set(['persistentvolumeclaim', 'persistentvolumeclaims', 'pvc', 'persistentvolume', 'persistentvolumes', 'pv', 'volumesnapshot', 'volumesnapshots']);
const CRD_KINDS = new Set(['customresourcedefinition', 'customresourcedefinitions', 'crd', 'crds']);
/** Pods are disposable by design: their controller recreates them and their data lives in volumes. */
const POD_KINDS = new Set(['pod', 'pods', 'po']);

/** `Deployment.apps` -> `deployment`, so kinds compare however they were written. */
function kindOf(kind: string): string {
  return kind.toLowerCase().split('.')[0];
}

interface KubectlCommand {
  /** `delete`, `drain`, `rollout undo`… (oc's `adm` dropped). */
  verb: string;
  /** Positionals after the verb. */
  words: string[];
  args: Args;
}

/** The kubectl verb and its arguments, for kubectl, oc, kubecolor and `microk8s kubectl` / `k3s kubectl`. */
function kubectlCommand(inv: Invocation): KubectlCommand | null {
  const wrapped = inv.program === 'microk8s' || inv.program === 'k3s';
  if (wrapped && inv.args[0] !== 'kubectl') return null;
  const args = wrapped ? parseArgs(inv.args.slice(1), KUBECTL_SPEC) : inv.parsed(KUBECTL_SPEC);
  if (args.has('-h', '--help')) return null;
  const [first, ...rest] = inv.program === 'oc' && args.positionals[0] === 'adm' ? args.positionals.slice(1) : args.positionals;
  if (!first) return null;
  if (first === 'rollout') return { verb: `rollout ${rest[0]}`, words: rest.slice(1), args };
  return { verb: first, words: rest, args };
}

/** The namespace option's value; pflag also reads `-n=prod`. */
function namespaceOf(a: Args): string | undefined {
  return a.value('-n', '--namespace')?.replace(/^=/, '');
}

function isDryRun(a: Args): boolean {
  return a.has('--dry-run') && a.value('--dry-run') !== 'none';
}

/** Where the command acts, for the detail line: namespace and context. */
function scopeOf(a: Args): string {
  const ns = a.has('-A', '--all-namespaces') ? 'every namespace' : namespaceOf(a) ? `namespace ${namespaceOf(a)}` : '';
  const ctx = a.value('--context', '--cluster') ? `context ${a.value('--context', '--cluster')}` : '';
  return [ns, ctx].filter(Boolean).join(', ');
}

interface Target {
  kind: string;
  name: string;
}

/** `pod web`, `deploy,svc web`, `pod/a svc/b` -> kind and name pairs; xargs' `{}` is not a name. */
function namedTargets(words: string[]): Target[] {
  if (!words.length) return [];
  if (words[0].includes('/')) {
    return words.filter((w) => w.includes('/')).map((w) => ({ kind: w.slice(0, w.indexOf('/')), name: w.slice(w.indexOf('/') + 1) }));
  }
  const kinds = words[0].split(',').filter(Boolean);
  return words.slice(1).filter((n) => n !== '{}').flatMap((name) => kinds.map((kind) => ({ kind, name })));
}

/** kind/name pairs from a manifest fed on stdin (`kubectl delete -f - <<EOF`), read from top-level `kind:` and `metadata.name`. */
function manifestTargets(text: string): Target[] {
  const out: Target[] = [];
  for (const doc of text.split(/^---.*$/m)) {
    let kind = '';
    let name = '';
    let inMetadata = false;
    let metadataIndent = 0;
    for (const line of doc.split('\n')) {
      const top = /^kind:\s*["']?([A-Za-z]+)/.exec(line);
      if (top) kind = top[1].toLowerCase();
      if (/^\S/.test(line)) {
        inMetadata = line.trim() === 'metadata:';
        metadataIndent = 0;
        continue;
      }
      const nested = inMetadata ? /^( +)name:\s*["']?([^"'\s#]+)/.exec(line) : null;
      const indent = line.length - line.trimStart().length;
      if (inMetadata && line.trim() && !metadataIndent) metadataIndent = indent;
      // Only metadata's own `name:`, not one nested deeper (labels, annotations).
      if (nested && !name && nested[1].length === metadataIndent) name = nested[2];
    }
    if (kind && name) out.push({ kind, name });
  }
  return out;
}

/** Namespaces are unambiguous by name; everything else is named kind/name, as kubectl prints it. */
function label(t: Target): string {
  return NAMESPACE_KINDS.has(kindOf(t.kind)) ? t.name : `${t.kind}/${t.name}`;
}

interface Selection {
  targets: Target[];
  /** Kinds named without names, for `--all` and selectors (`pods`, `deploy,svc`). */
  kinds: string[];
  /** What a person types to approve; null when nothing is selected (kubectl then refuses to run). */
  resource: string | null;
}

/** What a kubectl verb acts on: named objects, objects in a manifest, a file, a selector, or every object of a kind. */
function selection(inv: Invocation, k: KubectlCommand): Selection {
  const a = k.args;
  const files = a.values('-f', '--filename', '-k', '--kustomize');
  const fed = files.includes('-') ? (inv.stdin ?? (inv.pipeFrom ? staticOutput(inv.pipeFrom) : undefined)) : undefined;
  const targets = [...namedTargets(k.words), ...(fed ? manifestTargets(fed) : [])];
  const kinds = k.words[0] && !k.words[0].includes('/') ? k.words[0].split(',').filter(Boolean) : [];
  const selector = a.value('-l', '--selector') ?? a.value('--field-selector');
  let resource: string | null = null;
  if (a.has('--all') && kinds.length && !a.has('--field-selector')) resource = joinResources(kinds.map((kind) => `${kind}:all`));
  else if (targets.length) resource = joinResources(targets.map(label));
  else if (files.length && !(files.length === 1 && files[0] === '-')) resource = joinResources(files);
  else if (selector) resource = selector;
  else if (a.value('--raw')) resource = a.value('--raw')!;
  else if (inv.argsFromStdin) resource = standIn(inv, `${k.verb} (names from stdin)`);
  else if (files.length) resource = standIn(inv, `${k.verb} -f -`);
  return { targets, kinds, resource };
}

type DeleteScope = 'all' | 'namespace' | 'volume' | 'object';

interface KubectlDelete {
  scope: DeleteScope;
  resource: string;
  args: Args;
  kinds: string[];
}

/** A `kubectl delete` sorted by what it takes with it; each delete rule claims one scope, so one delete fires one rule. */
function kubectlDelete(inv: Invocation): KubectlDelete | null {
  const k = kubectlCommand(inv);
  if (!k || k.verb !== 'delete' || isDryRun(k.args)) return null;
  const s = selection(inv, k);
  if (!s.resource) return null;
  const kinds = [...s.kinds, ...s.targets.map((t) => t.kind)].map(kindOf);
  // `-A` alone never deletes: kubectl also needs names, a selector or `--all`; a field selector narrows `--all`.
  const scope: DeleteScope = k.args.has('--all') && !k.args.has('--field-selector')
    ? 'all'
    : kinds.some((x) => NAMESPACE_KINDS.has(x))
      ? 'namespace'
      : kinds.some((x) => VOLUME_KINDS.has(x))
        ? 'volume'
        : 'object';
  return { scope, resource: s.resource, args: k.args, kinds };
}

const KUBECTLS = ['kubectl', 'oc', 'kubecolor', 'microk8s', 'k3s'];

/** kube-system holds the cluster's own machinery (DNS, CNI, proxies): deleting there breaks the whole cluster. */
function inKubeSystem(a: Args): boolean {
  return namespaceOf(a) === 'kube-system';
}

function withScope(a: Args, m: RuleMatch): RuleMatch {
  const scope = scopeOf(a);
  const detail = [m.detail, scope ? `in ${scope}` : ''].filter(Boolean).join(', ');
  return detail ? { ...m, detail } : m;
}

/** A match on what the verb selects, with namespace and context as detail; null when it selects nothing. */
function onSelection(inv: Invocation, k: KubectlCommand, detail?: string): RuleMatch | null {
  const resource = selection(inv, k).resource;
  return resource ? withScope(k.args, { resource, ...(detail ? { detail } : {}) }) : null;
}

export const deleteNamespace = defineRule({
  id: 'k8s.delete-namespace',
  severity: 'catastrophic',
  summary: 'Deletes a whole namespace and everything in it: workloads, secrets, volumes',
  programs: KUBECTLS,
  match(inv) {
    const d = kubectlDelete(inv);
    return d?.scope === 'namespace' ? withScope(d.args, { resource: d.resource }) : null;
  },
  examples: {
    gated: [
      ['kubectl delete namespace staging', 'staging'],
      ['kubectl delete ns feature-123 feature-124 --wait=false', 'feature-123 feature-124'],
      ['kubectl --context prod delete ns/payments', 'payments'],
      ['oc delete project acme-prod', 'acme-prod'],
      ['kubectl delete -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: sandbox\nEOF', 'sandbox'],
    ],
    allowed: ['kubectl get ns', 'kubectl create namespace staging', 'kubectl delete ns staging --dry-run=client', 'kubectl describe namespace staging'],
  },
});

export const deleteAll = defineRule({
  id: 'k8s.delete-all',
  severity: 'catastrophic',
  summary: 'Deletes every object of a kind, in a namespace or across the cluster',
  programs: KUBECTLS,
  match(inv) {
    const d = kubectlDelete(inv);
    return d?.scope === 'all' ? withScope(d.args, { resource: d.resource }) : null;
  },
  examples: {
    gated: [
      ['kubectl delete pods --all -n prod', 'pods:all'],
      ['kubectl delete all --all', 'all:all'],
      ['kubectl delete deploy,svc --all -n shop', 'deploy:all svc:all'],
      ['kubectl delete namespaces --all', 'namespaces:all'],
    ],
    allowed: ['kubectl get pods --all-namespaces', 'kubectl delete pods --all --dry-run=server', 'kubectl delete pods -A --field-selector=status.phase=Failed'],
  },
});

export const deleteVolume = defineRule({
  id: 'k8s.delete-volume',
  severity: 'destructive',
  summary: 'Deletes persistent volumes or claims, and with them the data they hold',
  programs: KUBECTLS,
  match(inv) {
    const d = kubectlDelete(inv);
    if (d?.scope !== 'volume') return null;
    return withScope(d.args, { resource: d.resource, ...(inKubeSystem(d.args) ? { severity: 'catastrophic' as const } : {}) });
  },
  examples: {
    gated: [
      ['kubectl delete pvc data-postgres-0 -n db', 'pvc/data-postgres-0'],
      ['kubectl delete pv pvc-3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f6a7b8', 'pv/pvc-3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f6a7b8'],
      ['kubectl -n db delete persistentvolumeclaim/redis-data', 'persistentvolumeclaim/redis-data'],
      ['kubectl delete statefulset,pvc -l app=mysql -n db', 'app=mysql'],
    ],
    allowed: ['kubectl get pvc -n db', 'kubectl describe pv pvc-3f2a9c1e', 'kubectl delete pvc data-0 --dry-run=client'],
  },
});

export const deleteObject = defineRule({
  id: 'k8s.delete',
  severity: 'destructive',
  summary: 'Deletes Kubernetes objects; workloads stop and deleted secrets or config cannot be read back',
  programs: KUBECTLS,
  match(inv) {
    const d = kubectlDelete(inv);
    if (d?.scope !== 'object') return null;
    if (d.kinds.some((x) => CRD_KINDS.has(x))) return withScope(d.args, { resource: d.resource, severity: 'catastrophic', detail: 'with every object of that type in every namespace' });
    if (d.kinds.length && d.kinds.every((x) => POD_KINDS.has(x))) return withScope(d.args, { resource: d.resource, severity: 'risky' });
    return withScope(d.args, { resource: d.resource, ...(inKubeSystem(d.args) ? { severity: 'catastrophic' as const } : {}) });
  },
  examples: {
    gated: [
      ['kubectl delete deployment api -n prod', 'deployment/api'],
      ['kubectl -n prod delete secret stripe-keys', 'secret/stripe-keys'],
      ['kubectl delete pod/web-7f9c svc/web', 'pod/web-7f9c svc/web'],
      ['kubectl delete -f k8s/deployment.yaml', 'k8s/deployment.yaml'],
      ['kubectl delete pods -l app=worker -n jobs', 'app=worker'],
      ['kubectl delete -k overlays/prod', 'overlays/prod'],
      ['kubectl get pods -o name | grep Evicted | xargs kubectl delete -n prod', 'kubectl delete (names from stdin)'],
      ['kubectl delete crd certificates.cert-manager.io', 'crd/certificates.cert-manager.io'],
    ],
    allowed: ['kubectl apply -f k8s/deployment.yaml', 'kubectl get deployment api -n prod', 'kubectl delete deployment api --dry-run=server', 'kubectl delete --help', 'kubectl logs deploy/api'],
  },
});

export const drain = defineRule({
  id: 'k8s.drain',
  severity: 'risky',
  summary: 'Evicts every pod from a node, interrupting what runs there',
  programs: KUBECTLS,
  match(inv) {
    const k = kubectlCommand(inv);
    if (!k || k.verb !== 'drain' || isDryRun(k.args)) return null;
    const nodes = k.words.length ? joinResources(k.words) : (k.args.value('-l', '--selector') ?? standIn(inv, 'drain'));
    return { resource: nodes, ...(k.args.has('--delete-emptydir-data', '--delete-local-data') ? { detail: 'deleting emptyDir data' } : {}) };
  },
  examples: {
    gated: [
      ['kubectl drain ip-10-0-1-23.ec2.internal --ignore-daemonsets --delete-emptydir-data', 'ip-10-0-1-23.ec2.internal'],
      ['oc adm drain worker-2 --force', 'worker-2'],
    ],
    allowed: ['kubectl cordon worker-2', 'kubectl drain worker-2 --dry-run=client', 'kubectl uncordon worker-2'],
  },
});

export const scaleToZero = defineRule({
  id: 'k8s.scale-to-zero',
  severity: 'risky',
  summary: 'Scales workloads to zero replicas, taking them offline',
  programs: KUBECTLS,
  match(inv) {
    const k = kubectlCommand(inv);
    if (!k || k.verb !== 'scale' || k.args.value('--replicas') !== '0' || isDryRun(k.args)) return null;
    return onSelection(inv, k);
  },
  examples: {
    gated: [
      ['kubectl scale deploy/api --replicas=0 -n prod', 'deploy/api'],
      ['kubectl scale statefulset postgres --replicas 0', 'statefulset/postgres'],
      ['kubectl scale deployment --all --replicas=0 -n staging', 'deployment:all'],
    ],
    allowed: ['kubectl scale deploy/api --replicas=3', 'kubectl scale deploy/api --replicas=0 --dry-run=client'],
  },
});

export const replaceForce = defineRule({
  id: 'k8s.replace-force',
  severity: 'risky',
  summary: 'Deletes and recreates objects, dropping running pods and anything not in the manifest',
  programs: KUBECTLS,
  match(inv) {
    const k = kubectlCommand(inv);
    if (!k || k.verb !== 'replace' || !k.args.has('--force') || isDryRun(k.args)) return null;
    return onSelection(inv, k);
  },
  examples: {
    gated: [
      ['kubectl replace --force -f job.yaml', 'job.yaml'],
      ['kubectl replace -f deploy.yaml --force --grace-period=0 -n prod', 'deploy.yaml'],
    ],
    allowed: ['kubectl replace -f deploy.yaml', 'kubectl apply -f deploy.yaml'],
  },
});

export const applyPrune = defineRule({
  id: 'k8s.apply-prune',
  severity: 'destructive',
  summary: 'Deletes every matching object that is not in the applied manifests',
  programs: KUBECTLS,
  match(inv) {
    const k = kubectlCommand(inv);
    if (!k || k.verb !== 'apply' || !k.args.has('--prune') || isDryRun(k.args)) return null;
    const selector = k.args.value('-l', '--selector');
    return onSelection(inv, k, selector ? `pruning ${selector}` : undefined);
  },
  examples: {
    gated: [
      ['kubectl apply --prune -l app=shop -f manifests/', 'manifests/'],
      ['kubectl apply -f k8s/ --prune --all -n prod', 'k8s/'],
    ],
    allowed: ['kubectl apply -f k8s/', 'kubectl apply --prune -l app=shop -f manifests/ --dry-run=server'],
  },
});

export const rolloutUndo = defineRule({
  id: 'k8s.rollout-undo',
  severity: 'risky',
  summary: 'Rolls a workload back to an earlier revision, replacing what is running now',
  programs: KUBECTLS,
  match(inv) {
    const k = kubectlCommand(inv);
    if (!k || k.verb !== 'rollout undo' || isDryRun(k.args)) return null;
    return onSelection(inv, k);
  },
  examples: {
    gated: [
      ['kubectl rollout undo deployment/api -n prod', 'deployment/api'],
      ['kubectl rollout undo deploy web --to-revision=3', 'deploy/web'],
    ],
    allowed: ['kubectl rollout status deployment/api', 'kubectl rollout history deployment/api', 'kubectl rollout restart deployment/api'],
  },
});

const HELM_SPEC: ArgSpec = {
  values: [
    '-n', '--namespace', '--kube-context', '--kubeconfig', '--kube-apiserver', '--kube-as-user', '--kube-as-group',
    '--kube-ca-file', '--kube-token', '--kube-tls-server-name', '--registry-config', '--repository-cache',
    '--repository-config', '--burst-limit', '--qps', '--content-cache', '--cascade', '--description', '--timeout',
    '--history-max',
  ],
};

/** The helm verb's release arguments, unless it is only a dry run or help. */
function helmReleases(inv: Invocation, verbs: readonly string[]): { releases: string[]; args: Args } | null {
  const a = inv.parsed(HELM_SPEC);
  if (!verbs.includes(a.positionals[0]) || a.has('--dry-run', '-h', '--help')) return null;
  return { releases: a.positionals.slice(1), args: a };
}

function helmScope(a: Args): RuleMatch['detail'] {
  const ns = a.value('-n', '--namespace');
  const ctx = a.value('--kube-context');
  const where = [ns ? `namespace ${ns}` : '', ctx ? `context ${ctx}` : ''].filter(Boolean).join(', ');
  return where ? `in ${where}` : undefined;
}

export const helmUninstall = defineRule({
  id: 'k8s.helm-uninstall',
  severity: 'destructive',
  summary: 'Uninstalls a Helm release, deleting every object the chart created',
  programs: ['helm'],
  match(inv) {
    const h = helmReleases(inv, ['uninstall', 'delete', 'del', 'un']);
    if (!h || !h.releases.length) return null;
    const detail = helmScope(h.args);
    return { resource: joinResources(h.releases), ...(detail ? { detail } : {}) };
  },
  examples: {
    gated: [
      ['helm uninstall redis -n cache', 'redis'],
      ['helm delete --purge legacy-api', 'legacy-api'],
      ['helm --kube-context prod un grafana loki', 'grafana loki'],
    ],
    allowed: ['helm list -A', 'helm uninstall redis --dry-run', 'helm upgrade --install redis bitnami/redis', 'helm status redis'],
  },
});

export const helmRollback = defineRule({
  id: 'k8s.helm-rollback',
  severity: 'risky',
  summary: 'Rolls a Helm release back to an earlier revision, replacing what is running now',
  programs: ['helm'],
  match(inv) {
    const h = helmReleases(inv, ['rollback']);
    if (!h || !h.releases.length) return null;
    const detail = helmScope(h.args);
    return { resource: h.releases[0], ...(detail ? { detail } : {}) };
  },
  examples: {
    gated: [
      ['helm rollback api 12 -n prod', 'api'],
      ['helm rollback web --wait', 'web'],
    ],
    allowed: ['helm history api -n prod', 'helm rollback api 12 --dry-run'],
  },
});

export const helmfileDestroy = defineRule({
  id: 'k8s.helmfile-destroy',
  severity: 'destructive',
  summary: 'Uninstalls every release in the helmfile',
  programs: ['helmfile'],
  match(inv) {
    const a = inv.parsed({ values: ['-e', '--environment', '-f', '--file', '-l', '--selector', '--kube-context', '-n', '--namespace', '--state-values-set', '--state-values-file', '--args'] });
    if (!['destroy', 'delete'].includes(a.positionals[0]) || a.has('-h', '--help')) return null;
    const named = a.value('-e', '--environment') ?? a.value('-l', '--selector') ?? a.value('-f', '--file');
    // Nothing named: the helmfile in the working folder, which the folder's name says.
    return named ? { resource: named } : { resource: standIn(inv, a.positionals[0]), inPlace: 'folder' };
  },
  examples: {
    gated: [
      ['helmfile -e production destroy', 'production'],
      ['helmfile destroy', 'helmfile destroy', [{ folder: 'monitoring' }, 'monitoring']],
      ['helmfile -f charts/helmfile.yaml destroy', 'charts/helmfile.yaml'],
    ],
    allowed: ['helmfile diff', 'helmfile -e production apply'],
  },
});
