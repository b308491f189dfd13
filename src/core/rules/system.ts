// System: crontab -r, kill -9 -1, stopping databases and core services, shutdown, firewall flushes, user deletion.

import { parseArgs } from '../parse/args';
import { defineRule, joinResources, standIn } from './rule';

/** Databases and core services whose stop is an outage for everything that depends on them. */
const CORE_SERVICES = new Set([
  'postgresql', 'postgres', 'postmaster', 'mysql', 'mysqld', 'mysqld_safe', 'mariadb', 'mariadbd', 'redis', 'redis-server',
  'mongod', 'mongodb', 'mongos', 'memcached', 'elasticsearch', 'opensearch', 'clickhouse-server', 'rabbitmq-server',
  'etcd', 'kubelet', 'docker', 'dockerd', 'containerd', 'nginx', 'apache2', 'httpd', 'haproxy', 'caddy', 'ssh', 'sshd',
  'networking', 'NetworkManager', 'systemd-networkd',
]);

/** `postgresql@14-main.service` -> postgresql. */
function unitName(unit: string): string {
  return unit.replace(/\.(service|socket)$/, '').replace(/@.*$/, '');
}

/** A signal given as `-9`, `-KILL`, `-SIGKILL` (single capitals like -U are options, not signals). */
const SIGNAL_OPTION = /^-(\d+|(SIG)?[A-Z]{2,}[0-9+-]*)$/;

/** kill's arguments split into its signal and its targets: `kill -s KILL -- -1` -> KILL, [-1]. */
function killTargets(args: readonly string[]): { signal?: string; targets: string[] } | null {
  let i = 0;
  let signal: string | undefined;
  const first = args[0];
  if (first === '-l' || first === '-L' || first === '--help' || first === '--list' || first === '--table') return null;
  if (first === '-s' || first === '-n' || first === '--signal') {
    signal = args[1];
    i = 2;
  } else if (first !== undefined && first !== '--' && /^-./.test(first)) {
    signal = first.slice(1);
    i = 1;
  }
  if (args[i] === '--') i++;
  return { signal, targets: args.slice(i) };
}

export const crontabRemove = defineRule({
  id: 'system.crontab-remove',
  severity: 'destructive',
  summary: 'Deletes every scheduled job in the crontab, with no copy kept',
  programs: ['crontab'],
  match(inv) {
    const a = inv.parsed({ values: ['-u'] });
    if (!a.has('-r') && a.positionals[0] !== '/dev/null') return null;
    return { resource: a.value('-u') ?? 'crontab' };
  },
  examples: {
    gated: [
      ['crontab -r', 'crontab'],
      ['sudo crontab -u deploy -r', 'deploy'],
      ['crontab -ri', 'crontab'],
      ['crontab /dev/null', 'crontab'],
    ],
    allowed: ['crontab -l', 'crontab -e', 'crontab -u deploy -l', 'crontab jobs.cron'],
  },
});

export const killEverything = defineRule({
  id: 'system.kill-all-processes',
  severity: 'catastrophic',
  summary: 'Signals every process the user can reach (pid -1), which takes down the session and its services',
  programs: ['kill'],
  match(inv) {
    const k = killTargets(inv.args);
    if (!k || k.signal === '0' || !k.targets.includes('-1')) return null;
    return { resource: standIn(inv, '-1'), ...(k.signal ? { detail: `signal ${k.signal}` } : {}) };
  },
  examples: {
    gated: [
      ['kill -9 -1', 'kill -1'],
      ['kill -KILL -1', 'kill -1'],
      ['sudo kill -s TERM -1', 'kill -1'],
      ['kill -- -1', 'kill -1'],
    ],
    allowed: ['kill 1234', 'kill -9 4242', 'kill -1 4242', 'kill -0 -1', 'kill -l'],
  },
});

const PKILL_VALUES = ['-g', '-G', '-P', '-s', '-t', '-u', '-U', '-F', '--signal', '--ns', '--nslist', '--euid', '--uid', '--pidfile', '--session', '--terminal', '--parent', '--pgroup', '--group'];
const KILLALL_VALUES = ['-u', '--user', '-s', '--signal', '-o', '--older-than', '-y', '--younger-than', '-n', '--ns', '-Z', '--context'];

export const killServices = defineRule({
  id: 'system.kill-service',
  severity: 'risky',
  summary: 'Kills a database or core service process, or every process of a user',
  programs: ['killall', 'pkill'],
  match(inv) {
    // `-HUP` is a signal, not -H -U P: drop signals before reading options.
    const a = parseArgs(inv.args.filter((x) => !SIGNAL_OPTION.test(x)), { values: inv.program === 'pkill' ? PKILL_VALUES : KILLALL_VALUES });
    if (a.has('--help', '-V', '--version', '-l', '--list')) return null;
    // pkill's pattern is a regular expression: look at the names inside it.
    const names = a.positionals.filter((p) => p.split(/[^A-Za-z0-9_-]+/).some((w) => CORE_SERVICES.has(w)));
    if (names.length) return { resource: joinResources(names) };
    const user = a.value('-u', '--user', '--euid', '-U', '--uid');
    return user && !a.positionals.length ? { resource: user, detail: `every process of ${user}` } : null;
  },
  examples: {
    gated: [
      ['killall -9 postgres', 'postgres'],
      ['sudo pkill -KILL -f "redis-server.*6379"', 'redis-server.*6379'],
      ['killall mysqld mongod', 'mysqld mongod'],
      ['pkill -9 -u deploy', 'deploy'],
    ],
    allowed: ['pkill -f "node server.js"', 'killall -9 node', 'pkill -HUP nginx-exporter', 'killall --help', 'pgrep postgres'],
  },
});

const SYSTEMCTL_VALUES = [
  '-t', '--type', '-p', '--property', '-s', '--signal', '--state', '-H', '--host', '-M', '--machine', '-n', '--lines',
  '-o', '--output', '--root', '--image', '--job-mode', '--kill-whom', '--kill-value', '--what', '--when', '--message',
  '--boot-loader-entry', '--reboot-argument', '--timestamp', '--drop-in', '--preset-mode',
];
const STOPPING_VERBS = new Set(['stop', 'disable', 'mask', 'kill']);

export const stopService = defineRule({
  id: 'system.stop-service',
  severity: 'risky',
  summary: 'Stops or disables a database or core service; everything that depends on it goes down',
  programs: ['systemctl', 'service', ...CORE_SERVICES],
  match(inv) {
    let verb: string | undefined;
    let units: string[];
    if (inv.program === 'systemctl') {
      [verb, ...units] = inv.parsed({ values: SYSTEMCTL_VALUES }).positionals;
    } else if (inv.program === 'service') {
      units = inv.args.slice(0, 1);
      verb = inv.args[1];
    } else {
      // `/etc/init.d/postgresql stop`
      if (!/\/(init|rc)\.d\//.test(inv.path)) return null;
      units = [inv.program];
      verb = inv.args[0];
    }
    if (!verb || !STOPPING_VERBS.has(verb)) return null;
    const core = units.filter((u) => CORE_SERVICES.has(unitName(u)));
    return core.length ? { resource: joinResources(core) } : null;
  },
  examples: {
    gated: [
      ['sudo systemctl stop postgresql', 'postgresql'],
      ['systemctl disable --now redis-server.service', 'redis-server.service'],
      ['systemctl mask postgresql@16-main', 'postgresql@16-main'],
      ['sudo service mysql stop', 'mysql'],
      ['sudo /etc/init.d/nginx stop', 'nginx'],
      ['systemctl kill -s SIGKILL docker', 'docker'],
    ],
    allowed: ['systemctl status postgresql', 'systemctl restart nginx', 'systemctl stop myapp-worker', 'service postgresql status', 'systemctl start docker'],
  },
});

const POWER_PROGRAMS = ['shutdown', 'reboot', 'halt', 'poweroff', 'init', 'telinit', 'systemctl'];
const POWER_VERBS = new Set(['poweroff', 'reboot', 'halt', 'kexec', 'soft-reboot', 'rescue', 'emergency']);
/** Runlevels that stop the machine or its services: halt, single-user, reboot. */
const STOPPING_RUNLEVELS = new Set(['0', '1', '6', 's', 'S']);

export const shutdownMachine = defineRule({
  id: 'system.shutdown',
  severity: 'risky',
  summary: 'Shuts down or reboots the machine, stopping everything running on it',
  programs: POWER_PROGRAMS,
  match(inv) {
    const p = inv.program;
    if (p === 'systemctl') {
      const a = inv.parsed({ values: SYSTEMCTL_VALUES });
      const verb = a.positionals[0];
      return verb && POWER_VERBS.has(verb) && !a.has('--dry-run') ? { resource: verb } : null;
    }
    if (p === 'init' || p === 'telinit') {
      const level = inv.args[0];
      return level !== undefined && STOPPING_RUNLEVELS.has(level) ? { resource: `${p} ${level}` } : null;
    }
    const a = inv.parsed();
    // shutdown -c cancels, -k only warns; -w only writes the wtmp record.
    if (a.has('--help', '--version', '-c', '-k', '-w', '--wtmp-only')) return null;
    return { resource: p };
  },
  examples: {
    gated: [
      ['sudo shutdown -h now', 'shutdown'],
      ['sudo reboot', 'reboot'],
      ['systemctl poweroff', 'poweroff'],
      ['init 6', 'init 6'],
      ['ssh db-primary sudo halt -p', 'halt'],
    ],
    allowed: ['shutdown -c', 'sudo shutdown -k +5 "maintenance soon"', 'reboot --help', 'systemctl --dry-run reboot', 'init q'],
  },
});

const IPTABLES_PROGRAMS = ['iptables', 'ip6tables', 'iptables-legacy', 'ip6tables-legacy', 'iptables-nft', 'ip6tables-nft'];

export const flushFirewall = defineRule({
  id: 'system.flush-firewall',
  severity: 'risky',
  summary: 'Removes firewall rules, which can expose the machine or cut off remote access',
  programs: [...IPTABLES_PROGRAMS, 'nft', 'ufw'],
  match(inv) {
    if (inv.program === 'nft') {
      const a = inv.parsed({ values: ['-f', '--file', '-I', '--includepath'] });
      const [verb, what, ...rest] = a.positionals;
      if ((verb !== 'flush' && verb !== 'delete') || (what !== 'ruleset' && what !== 'table')) return null;
      return { resource: what === 'ruleset' ? 'ruleset' : (rest[rest.length - 1] ?? 'table') };
    }
    if (inv.program === 'ufw') {
      const a = inv.parsed();
      return a.positionals[0] === 'disable' || a.positionals[0] === 'reset' ? { resource: 'ufw' } : null;
    }
    const a = inv.parsed({ values: ['-t', '--table', '-A', '--append', '-D', '--delete', '-I', '--insert', '-R', '--replace', '-N', '--new-chain', '-P', '--policy', '-E', '--rename-chain', '-j', '--jump', '-p', '--protocol', '-s', '--source', '-d', '--destination', '-i', '--in-interface', '-o', '--out-interface', '-m', '--match', '-w', '--wait'] });
    if (!a.has('-F', '--flush')) return null;
    return { resource: a.positionals[0] ?? a.value('-t', '--table') ?? inv.program };
  },
  examples: {
    gated: [
      ['sudo iptables -F', 'iptables'],
      ['iptables -t nat -F', 'nat'],
      ['iptables --flush INPUT', 'INPUT'],
      ['sudo nft flush ruleset', 'ruleset'],
      ['sudo ufw --force reset', 'ufw'],
    ],
    allowed: ['sudo iptables -L -n', 'iptables -S', 'nft list ruleset', 'ufw status verbose', 'sudo ufw allow 22/tcp'],
  },
});

export const deleteUser = defineRule({
  id: 'system.delete-user',
  severity: 'destructive',
  summary: 'Deletes a user account together with its home folder and mail',
  programs: ['userdel', 'deluser'],
  match(inv) {
    const a = inv.parsed({ values: ['-R', '--root', '-P', '--prefix', '--backup-to', '--conf', '-c'] });
    const removesFiles = inv.program === 'userdel' ? a.has('-r', '--remove') : a.has('--remove-home', '--remove-all-files');
    return removesFiles && a.positionals.length ? { resource: a.positionals[0] } : null;
  },
  examples: {
    gated: [
      ['sudo userdel -r olduser', 'olduser'],
      ['userdel --remove --force ci-runner', 'ci-runner'],
      ['sudo deluser --remove-home alice', 'alice'],
    ],
    allowed: ['userdel olduser', 'sudo deluser bob docker', 'id olduser'],
  },
});

export const clearHistory = defineRule({
  id: 'system.clear-history',
  severity: 'risky',
  summary: 'Clears the shell history, erasing the record of what was run',
  programs: ['history'],
  match(inv) {
    return inv.parsed().has('-c') ? { resource: 'history' } : null;
  },
  examples: {
    gated: [
      ['history -c', 'history'],
      ['history -c && history -w', 'history'],
    ],
    allowed: ['history', 'history 20', 'history | grep deploy'],
  },
});
