// `docker run` / `podman run` / `nerdctl run` with a mount, or with the host's processes in reach (`--privileged`,
// `--pid=host`): the command given after the image runs against the host's folders or volumes
// (`-v /:/host alpine rm -rf /host/srv`, `--pid=host … nsenter -t 1 -m rm -rf /srv`), so it is judged like any other.

/** Engine options before `run` that take a value. */
const ENGINE_VALUES = new Set(['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey', '--connection', '--url', '--root', '--runroot', '-n', '--namespace', '-a', '--address']);

/** `run` options that take a value (docker, podman, nerdctl); every other option is a switch. */
const RUN_VALUES = new Set([
  '--add-host', '--annotation', '--attach', '--blkio-weight', '--blkio-weight-device', '--cap-add', '--cap-drop',
  '--cgroup-parent', '--cgroupns', '--cidfile', '--cpu-period', '--cpu-quota', '--cpu-rt-period', '--cpu-rt-runtime',
  '--cpu-shares', '--cpus', '--cpuset-cpus', '--cpuset-mems', '--device', '--device-cgroup-rule', '--device-read-bps',
  '--device-read-iops', '--device-write-bps', '--device-write-iops', '--dns', '--dns-option', '--dns-opt',
  '--dns-search', '--domainname', '--entrypoint', '--env', '--env-file', '--expose', '--gpus', '--group-add',
  '--health-cmd', '--health-interval', '--health-retries', '--health-start-period', '--health-start-interval',
  '--health-timeout', '--health-on-failure', '--hostname', '--ip', '--ip6', '--ipc', '--isolation', '--kernel-memory',
  '--label', '--label-file', '--link', '--link-local-ip', '--log-driver', '--log-opt', '--mac-address', '--memory',
  '--memory-reservation', '--memory-swap', '--memory-swappiness', '--mount', '--name', '--network', '--net',
  '--network-alias', '--net-alias', '--oom-score-adj', '--pid', '--pids-limit', '--platform', '--publish', '--pull',
  '--restart', '--runtime', '--security-opt', '--shm-size', '--stop-signal', '--stop-timeout', '--storage-opt',
  '--sysctl', '--tmpfs', '--ulimit', '--user', '--userns', '--uts', '--volume', '--volume-driver', '--volumes-from',
  '--workdir', '--detach-keys', '--arch', '--os', '--variant', '--pod', '--secret', '--uidmap', '--gidmap',
  '--subuidname', '--subgidname', '--requires', '--sdnotify', '--timeout', '--tz', '--umask', '--image-volume',
  '--init-path', '--chrootdirs', '--conmon-pidfile', '--passwd-entry', '--group-entry', '--hostuser', '--preserve-fds',
  '--rdt-class', '--seccomp-policy', '--personality', '--decryption-key', '--cert-dir', '--creds', '--authfile',
  '--pidfile', '--cgroup-conf', '--cgroups', '--log-level', '--hosts-file', '--retry', '--retry-delay',
]);
/** Short `run` options that take a value: -a -c -e -h -l -m -p -u -v -w. */
const RUN_SHORT_VALUES = 'acehlmpuvw';
const MOUNTS = new Set(['-v', '--volume', '--mount', '--volumes-from']);
/** Switches and values that hand the container the host itself. */
const HOST_REACH = new Set(['--privileged', '--pid=host', '--userns=host', '--ipc=host']);

export interface ContainerRun {
  /** Index of the image among the args; the command follows it. */
  image: number;
  /** Index of `--entrypoint`'s value, when given: it is the program, the words after the image its arguments. */
  entrypoint?: number;
}

/** Where the image and entrypoint are in a `run` that mounts something; null for anything else. */
export function containerRun(program: string, args: readonly string[]): ContainerRun | null {
  if (program !== 'docker' && program !== 'podman' && program !== 'nerdctl') return null;
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) if (ENGINE_VALUES.has(args[i])) i++;
  if (args[i] === 'container') i++;
  if (args[i] !== 'run') return null;
  let mounted = false;
  let entrypoint: number | undefined;
  for (i++; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return null;
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (MOUNTS.has(name) || HOST_REACH.has(a) || HOST_REACH.has(`${name}=${args[i + 1]}`)) mounted = true;
      if (eq < 0 && RUN_VALUES.has(name)) {
        if (name === '--entrypoint') entrypoint = i + 1;
        i++;
      }
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      if (!RUN_SHORT_VALUES.includes(a[j])) continue;
      if (a[j] === 'v') mounted = true;
      if (j === a.length - 1) i++;
      break;
    }
  }
  if (!mounted || i >= args.length) return null;
  // Words after the image that start with `-` are the entrypoint's options, not a command, unless an entrypoint is named.
  if (entrypoint === undefined && (i + 1 >= args.length || args[i + 1].startsWith('-'))) return null;
  return { image: i, entrypoint };
}
