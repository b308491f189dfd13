// Containers: volume removal, prunes that take volumes, compose down -v.

import { Args, parseArgs } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { defineRule, GatedExample, joinResources, RuleMatch, standIn } from './rule';

/** Global options that take a value, for docker, podman and nerdctl, before the subcommand. */
const GLOBAL_VALUES = [
  '-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey',
  '--connection', '--url', '--root', '--runroot', '--storage-driver', '--storage-opt', '--identity', '--cgroup-manager',
  '--events-backend', '--hooks-dir', '--module', '--network-cmd-path', '--network-config-dir', '--runtime', '--tmpdir',
  '--volumepath', '--imagestore', '--registries-conf', '--ssh', '--cni-config-dir', '--conmon',
  '-n', '--namespace', '-a', '--address', '--snapshotter', '--cni-path', '--cni-netconfpath', '--data-root', '--hosts-dir',
];

/** Options of `docker compose` / `docker-compose` / `podman-compose` before their verb. */
const COMPOSE_VALUES = [
  '-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--ansi', '--progress',
  '--parallel', '-H', '--host', '-c', '--context', '--log-level', '--podman-path', '--podman-args', '--pod-args',
];

/** Management commands whose next word is the verb (`volume rm`); `container rm` is the same as `rm`. */
const GROUPS = new Set(['volume', 'system', 'container', 'network', 'swarm', 'stack', 'service', 'image', 'compose', 'secret', 'config']);

const ENGINES = ['docker', 'podman', 'nerdctl'];
const COMPOSES = ['docker-compose', 'podman-compose'];

interface ContainerCommand {
  /** `volume rm`, `system prune`, `compose down`; `container` is dropped: `container rm` -> `rm`, `container prune` -> `prune`. */
  verb: string;
  /** The verb's own arguments. */
  args: string[];
  /** Options before the verb: the engine's globals and compose's (`--context prod`, `-p shop`). */
  before: Args;
}

/** Index of the first word that is not an option or an option's value. */
function firstWord(args: readonly string[], from: number, values: readonly string[]): number {
  for (let i = from; i < args.length; i++) {
    const a = args[i];
    if (values.includes(a)) i++;
    else if (!a.startsWith('-') || a === '-') return i;
  }
  return args.length;
}

/** The subcommand a docker-style CLI runs, past global and compose options. */
function containerCommand(inv: Invocation): ContainerCommand | null {
  const a = inv.args;
  let i: number;
  let verb: string;
  if (COMPOSES.includes(inv.program)) {
    i = firstWord(a, 0, COMPOSE_VALUES);
    verb = `compose ${a[i]}`;
  } else {
    i = firstWord(a, 0, GLOBAL_VALUES);
    verb = a[i];
    if (GROUPS.has(verb)) {
      i = firstWord(a, i + 1, verb === 'compose' ? COMPOSE_VALUES : []);
      verb = verb === 'container' ? a[i] : `${verb} ${a[i]}`;
    }
  }
  if (i >= a.length) return null;
  const args = a.slice(i + 1);
  const before = parseArgs(a.slice(0, i), { values: [...GLOBAL_VALUES, ...COMPOSE_VALUES] });
  // Compose v2 takes `--dry-run` before the verb.
  if (args.includes('--help') || args.includes('-h') || before.has('--dry-run')) return null;
  return { verb, args, before };
}

/** Which daemon the command talks to, when it is not the local default (`-H ssh://prod`, `--context prod`). */
function daemonDetail(c: ContainerCommand, m: RuleMatch): RuleMatch {
  const where = c.before.value('-H', '--host', '-c', '--context', '--connection', '--url');
  return where ? { ...m, detail: [m.detail, `on ${where}`].filter(Boolean).join(', ') } : m;
}

function containerRule(
  id: string,
  severity: 'risky' | 'destructive' | 'catastrophic',
  summary: string,
  verbs: readonly string[],
  values: readonly string[],
  match: (args: Args, c: ContainerCommand, inv: Invocation) => RuleMatch | null,
  examples: { gated: GatedExample[]; allowed: string[] },
) {
  return defineRule({
    id,
    severity,
    summary,
    programs: verbs.some((v) => v.startsWith('compose ')) ? [...ENGINES, ...COMPOSES] : ENGINES,
    match(inv) {
      const c = containerCommand(inv);
      if (!c || !verbs.includes(c.verb)) return null;
      const m = match(parseArgs(c.args, { values }), c, inv);
      return m ? daemonDetail(c, m) : null;
    },
    examples,
  });
}

export const volumeRemove = containerRule(
  'containers.volume-rm',
  'destructive',
  'Deletes container volumes and the data in them',
  ['volume rm', 'volume remove'],
  [],
  (a, c, inv) => {
    if (a.has('-a', '--all')) return { resource: 'volumes:all' };
    if (a.positionals.length) return { resource: joinResources(a.positionals) };
    return inv.argsFromStdin ? { resource: standIn(inv, `${c.verb} (names from stdin)`) } : null;
  },
  {
    gated: [
      ['docker volume rm pgdata', 'pgdata'],
      ['docker volume rm -f shop_db_data shop_redis_data', 'shop_db_data shop_redis_data'],
      ['podman volume rm --all', 'volumes:all'],
      ['nerdctl volume remove minio', 'minio'],
    ],
    allowed: ['docker volume ls', 'docker volume inspect pgdata', 'docker volume create pgdata'],
  },
);

export const volumePrune = containerRule(
  'containers.volume-prune',
  'destructive',
  'Deletes every volume no container is using, and the data in them',
  ['volume prune'],
  ['--filter'],
  (a) => ({ resource: 'volumes', ...(a.has('-a', '--all') ? { detail: 'named volumes too' } : {}) }),
  {
    gated: [
      ['docker volume prune -f', 'volumes'],
      ['docker volume prune --all --force', 'volumes'],
    ],
    allowed: ['docker image prune -f', 'docker volume ls -f dangling=true'],
  },
);

export const systemPrune = containerRule(
  'containers.system-prune',
  'risky',
  'Deletes stopped containers, unused images and build cache; with --volumes, unused volumes and their data too',
  ['system prune'],
  ['--filter'],
  (a, _c, inv) => (a.has('--volumes') ? { resource: 'volumes', severity: 'destructive' } : { resource: standIn(inv, 'system prune') }),
  {
    gated: [
      ['docker system prune -af --volumes', 'volumes'],
      ['docker system prune -a -f', 'docker system prune'],
      ['podman system prune --all --force --volumes', 'volumes'],
    ],
    allowed: ['docker system df', 'docker builder prune -f', 'docker system info'],
  },
);

export const systemReset = containerRule(
  'containers.system-reset',
  'catastrophic',
  'Wipes all local container storage: every container, image and volume',
  ['system reset'],
  [],
  (_a, _c, inv) => ({ resource: standIn(inv, 'system reset') }),
  {
    gated: [
      ['podman system reset --force', 'podman system reset'],
      ['podman system reset', 'podman system reset'],
    ],
    allowed: ['podman system df', 'podman system migrate'],
  },
);

export const composeDownVolumes = containerRule(
  'containers.compose-down-volumes',
  'destructive',
  'Stops the compose project and deletes its volumes and the data in them',
  ['compose down'],
  ['--rmi', '-t', '--timeout'],
  (a, c, inv) => {
    if (!a.has('-v', '--volumes')) return null;
    const project = c.before.value('-p', '--project-name') ?? inv.env.COMPOSE_PROJECT_NAME;
    const files = c.before.values('-f', '--file');
    // Compose names the project after the folder it runs in: that folder is the name a person knows.
    return project ? { resource: project } : files.length ? { resource: joinResources(files) } : { resource: 'compose volumes', inPlace: 'folder' };
  },
  {
    gated: [
      ['docker compose down -v', 'compose volumes', [{ folder: 'shop' }, 'shop']],
      ['docker compose -p shop down --volumes --remove-orphans', 'shop'],
      ['docker-compose -f docker-compose.prod.yml down -v', 'docker-compose.prod.yml'],
      ['COMPOSE_PROJECT_NAME=billing docker compose down -v --rmi all', 'billing'],
      ['podman-compose down -v', 'compose volumes'],
    ],
    allowed: ['docker compose down', 'docker-compose down --rmi local', 'docker compose --dry-run down -v', 'docker compose logs -f db'],
  },
);

export const containerRemove = containerRule(
  'containers.rm',
  'risky',
  'Force-removes containers, or removes them with their anonymous volumes',
  ['rm', 'remove', 'compose rm'],
  ['-t', '--time', '--timeout', '--depend', '--cidfile'],
  (a, c, inv) => {
    const withVolumes = a.has('-v', '--volumes');
    if (!withVolumes && !(c.verb !== 'compose rm' && a.has('-f', '--force'))) return null;
    const names = a.positionals;
    return {
      resource: names.length ? joinResources(names) : a.has('-a', '--all') ? 'containers:all' : standIn(inv, inv.argsFromStdin ? `${c.verb} (names from stdin)` : c.verb),
      ...(withVolumes ? { detail: 'with their anonymous volumes' } : {}),
    };
  },
  {
    gated: [
      ['docker rm -f web', 'web'],
      ['docker rm -v postgres-old', 'postgres-old'],
      ['docker container rm --force --volumes api worker', 'api worker'],
      ['docker compose rm -fsv db', 'db'],
      ['docker rm -f $(docker ps -aq)', '$(docker ps -aq)'],
    ],
    allowed: ['docker rm exited-job', 'docker compose rm -f db', 'docker rmi -f node:18', 'docker ps -a'],
  },
);

export const containerPrune = containerRule(
  'containers.container-prune',
  'risky',
  'Deletes every stopped container, and whatever was written inside them',
  ['prune'],
  ['--filter'],
  (_a, _c, inv) => ({ resource: standIn(inv, 'container prune') }),
  {
    gated: [
      ['docker container prune -f', 'docker container prune'],
      ['podman container prune --force', 'podman container prune'],
    ],
    allowed: ['docker container ls -a', 'docker image prune'],
  },
);

export const swarmLeave = containerRule(
  'containers.swarm-leave',
  'risky',
  'Forces this node out of the swarm; on the last manager that loses the swarm and its services',
  ['swarm leave'],
  [],
  (a) => (a.has('-f', '--force') ? { resource: 'swarm' } : null),
  {
    gated: [
      ['docker swarm leave --force', 'swarm'],
      ['docker swarm leave -f', 'swarm'],
    ],
    allowed: ['docker swarm leave', 'docker swarm join-token worker'],
  },
);

export const stackRemove = containerRule(
  'containers.stack-rm',
  'destructive',
  'Removes a swarm stack: its services, networks, secrets and configs',
  ['stack rm', 'stack remove', 'stack down'],
  ['--orchestrator', '--namespace'],
  (a) => (a.positionals.length ? { resource: joinResources(a.positionals) } : null),
  {
    gated: [
      ['docker stack rm shop', 'shop'],
      ['docker --context prod stack rm monitoring logging', 'monitoring logging'],
    ],
    allowed: ['docker stack ls', 'docker stack deploy -c stack.yml shop', 'docker stack ps shop'],
  },
);

export const serviceRemove = containerRule(
  'containers.service-rm',
  'risky',
  'Removes swarm services, stopping every task they run',
  ['service rm', 'service remove'],
  [],
  (a) => (a.positionals.length ? { resource: joinResources(a.positionals) } : null),
  {
    gated: [
      ['docker service rm shop_api', 'shop_api'],
      ['docker service remove shop_worker shop_cron', 'shop_worker shop_cron'],
    ],
    allowed: ['docker service ls', 'docker service scale shop_api=3', 'docker service logs shop_api'],
  },
);

export const secretRemove = containerRule(
  'containers.secret-rm',
  'destructive',
  'Deletes swarm secrets or configs; a secret cannot be read back, and services that use it stop starting',
  ['secret rm', 'secret remove', 'config rm', 'config remove'],
  [],
  (a, c) => (a.has('-a', '--all') ? { resource: `${c.verb.split(' ')[0]}s:all` } : a.positionals.length ? { resource: joinResources(a.positionals) } : null),
  {
    gated: [
      ['docker secret rm db_password', 'db_password'],
      ['podman secret rm --all', 'secrets:all'],
      ['docker config rm nginx_conf', 'nginx_conf'],
    ],
    allowed: ['docker secret ls', 'docker secret create db_password ./pw.txt', 'docker secret inspect db_password', 'docker config ls'],
  },
);
