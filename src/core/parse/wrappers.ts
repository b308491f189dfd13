// Programs that run another program given on their command line (sudo, env, xargs, timeout, npx, kubectl exec,
// docker run…), and the command each one runs.

import { argCache } from './args';
import { ASSIGNMENT, basename } from './commandWords';
import { containerRun } from './containerRun';
import type { Invocation, Origin } from './invocation';
import type { Word } from './shell';
import { own } from '../own';
import { shellQuote } from './shellQuote';

/** Where a wrapper's script option (`env -S`, `flock -c`) is judged. */
export interface ScriptHost {
  script(src: string, depth: number, origin: Origin, parent?: Invocation): void;
}

interface WrapperSpec {
  /** Options that take a value. */
  values?: string[];
  /** Positionals consumed before the command (timeout's duration, flock's lock file, docker exec's container). */
  leading?: number;
  /** Accepts NAME=VALUE words before the command (env). */
  assignments?: boolean;
  /** Options that mean "this does not run a command" (command -v). */
  notExecuting?: string[];
  /** Options whose value is a whole script (env -S, flock -c, doppler --command). */
  scriptOptions?: string[];
  argsFromStdin?: boolean;
  /** The command only starts after a `--` (kubectl exec, op run). */
  afterDashDash?: boolean;
  /** Options that take more than one value, and how many (bwrap's `--bind SRC DEST`). */
  arity?: Record<string, number>;
}

/** bwrap's options that take values: all take one, except those named in BWRAP_ARITY. */
const BWRAP_ONE = ['--args', '--userns', '--userns2', '--pidns', '--uid', '--gid', '--hostname', '--chdir', '--unsetenv', '--lock-file', '--sync-fd', '--remount-ro', '--exec-label', '--file-label', '--proc', '--dev', '--tmpfs', '--mqueue', '--dir', '--seccomp', '--add-seccomp-fd', '--block-fd', '--userns-block-fd', '--info-fd', '--json-status-fd', '--cap-add', '--cap-drop', '--perms', '--size', '--argv0', '--overlay-src', '--tmp-overlay', '--ro-overlay', '--level-prefix'];
const BWRAP_ARITY: Record<string, number> = {
  ...Object.fromEntries(BWRAP_ONE.map((o) => [o, 1])),
  ...Object.fromEntries(['--setenv', '--bind', '--bind-try', '--dev-bind', '--dev-bind-try', '--ro-bind', '--ro-bind-try', '--file', '--bind-data', '--ro-bind-data', '--symlink', '--chmod', '--bind-fd', '--ro-bind-fd'].map((o) => [o, 2])),
  '--overlay': 3,
};

/** Programs that run another program given on their command line. */
const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: { values: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '--user', '--group', '--host', '--prompt', '--chdir', '--role', '--type', '--other-user', '--close-from', '--command-timeout'], notExecuting: ['-l', '-v', '-k', '-K', '-V', '--list', '--validate'] },
  doas: { values: ['-u', '-C'] },
  pkexec: { values: ['--user'] },
  runuser: { values: ['-u', '-g', '-G', '--user', '--group'], scriptOptions: ['-c', '--command'] },
  env: { values: ['-u', '--unset', '-C', '--chdir'], assignments: true, scriptOptions: ['-S', '--split-string'] },
  command: { notExecuting: ['-v', '-V'] },
  builtin: {},
  exec: { values: ['-a'] },
  nohup: {},
  setsid: {},
  time: {},
  nice: { values: ['-n', '--adjustment'] },
  ionice: { values: ['-c', '-n', '-p', '--class', '--classdata'] },
  timeout: { values: ['-s', '--signal', '-k', '--kill-after'], leading: 1 },
  stdbuf: { values: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  xargs: { values: ['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-lines', '--replace', '--eof', '--max-chars', '--process-slot-var'], argsFromStdin: true },
  flock: { values: ['-w', '--timeout', '-E', '--conflict-exit-code'], leading: 1, scriptOptions: ['-c', '--command'] },
  chronic: {},
  unbuffer: {},
  eatmydata: {},
  torsocks: {},
  proxychains: { values: ['-f'] },
  proxychains4: { values: ['-f'] },
  strace: { values: ['-o', '-e', '-p', '-s', '-u', '-E'] },
  ltrace: { values: ['-o', '-e', '-p', '-s', '-u'] },
  caffeinate: { values: ['-t', '-w'] },
  npx: { values: ['-p', '--package'], scriptOptions: ['-c', '--call'] },
  bunx: { values: ['-p', '--package'] },
  dotenv: { values: ['-e', '-v', '-c'], afterDashDash: true },
  dotenvx: { values: ['-f', '--env-file', '--env'], afterDashDash: true },
  chroot: { leading: 1, values: ['--userspec', '--groups'] },
  unshare: {},
  nsenter: { values: ['-t', '--target'] },
  firejail: {},
  // Launchers that set CPU, scheduling, limits or personality, then run the command given after them.
  taskset: { leading: 1, notExecuting: ['-p', '--pid'] },
  setarch: { leading: 1, notExecuting: ['--list'] },
  linux32: {},
  linux64: {},
  prlimit: { notExecuting: ['-p', '--pid'] },
  chrt: { leading: 1, notExecuting: ['-p', '--pid', '-m', '--max'] },
  numactl: { values: ['-C', '-N', '-m', '-p', '-i', '--cpunodebind', '--physcpubind', '--membind', '--interleave', '--preferred'], notExecuting: ['-H', '--hardware', '-s', '--show'] },
  'systemd-run': { values: ['-u', '--unit', '-p', '--property', '--description', '--slice', '-E', '--setenv', '--uid', '--gid', '-M', '--machine', '--working-directory', '--on-calendar', '--on-active'] },
  faketime: { leading: 1 },
  catchsegv: {},
  valgrind: {},
  rlwrap: {},
  script: { values: ['-t', '--timing', '-T', '-I', '-O', '-B', '-E', '--echo'], scriptOptions: ['-c', '--command'] },
  // Launchers that set up a session, an identity or a display, then run the command given after them.
  fakeroot: { values: ['-l', '--lib', '--faked', '-i', '-s', '-b'] },
  fakechroot: { values: ['-l', '--lib', '-d', '--elfloader', '-s', '-e', '--environment', '-c', '--config-dir'] },
  'dbus-run-session': { values: ['--config-file', '--dbus-daemon'] },
  'dbus-launch': { values: ['--config-file'] },
  'xvfb-run': { values: ['-n', '--server-num', '-s', '--server-args', '-e', '--error-file', '-f', '--auth-file', '-p', '--xauth-protocol'] },
  tini: { values: ['-s', '-p', '-e'] },
  'dumb-init': { values: ['-r', '--rewrite'] },
  gosu: { leading: 1 },
  'su-exec': { leading: 1 },
  setpriv: { values: ['--reuid', '--regid', '--groups', '--inh-caps', '--ambient-caps', '--bounding-set', '--securebits', '--pdeathsig', '--selinux-label', '--apparmor-profile'] },
  runcon: { values: ['-u', '-r', '-t', '-l', '--user', '--role', '--type', '--range'] },
  'ssh-agent': { values: ['-a', '-E', '-P', '-t'] },
  // Launchers that run the command on the host, in a sandbox, or in a session kept apart, with a password typed in.
  sshpass: { values: ['-p', '-f', '-d', '-P'] },
  dtach: { values: ['-n', '-c', '-A', '-N', '-a', '-e', '-r'] },
  abduco: { values: ['-e'], leading: 1 },
  'flatpak-spawn': { values: ['--env', '--directory', '--forward-fd', '--app-path', '--usr-path', '--sandbox-expose', '--sandbox-expose-ro'] },
  'distrobox-host-exec': {},
  'host-spawn': { values: ['-cwd', '--cwd', '-env', '--env'] },
  'distrobox-enter': { afterDashDash: true },
  bwrap: { arity: BWRAP_ARITY },
  proot: { values: ['-r', '--rootfs', '-b', '--bind', '-m', '--mount', '-w', '--pwd', '--cwd', '-q', '--qemu', '-k', '--kernel-release', '-v', '--verbose', '-R', '-S', '-i', '--change-id'] },
  // Multi-call binaries: `busybox rm -rf data` is rm.
  busybox: {},
  toybox: {},
};

/** `tool sub …` that runs the command given after it. */
const SUBCOMMAND_WRAPPERS: Record<string, Record<string, WrapperSpec>> = {
  npm: { exec: { values: ['-p', '--package', '-w', '--workspace'], scriptOptions: ['-c', '--call'] }, x: {} },
  pnpm: { exec: {}, dlx: {} },
  yarn: { exec: {}, dlx: {} },
  bun: { x: {} },
  bundle: { exec: {} },
  poetry: { run: {} },
  pipenv: { run: {} },
  pdm: { run: {} },
  hatch: { run: {} },
  uv: { run: { values: ['--with', '--python', '-p', '--project', '--directory', '--env-file', '--extra', '--group', '--package', '--index', '--from'] } },
  uvx: {},
  op: { run: { values: ['--env-file'], afterDashDash: true } },
  doppler: { run: { values: ['-p', '--project', '-c', '--config', '--token'], scriptOptions: ['--command'] } },
  infisical: { run: { values: ['--env', '--path', '--projectId', '--token'], scriptOptions: ['--command'] } },
  'aws-vault': { exec: { leading: 1, values: ['-d', '--duration', '--region'] } },
  direnv: { exec: { leading: 1 } },
  railway: { run: { values: ['-s', '--service', '-e', '--environment'] }, ssh: { values: ['-s', '--service', '-e', '--environment', '-p', '--project', '-i', '--identity-file'], afterDashDash: true } },
  heroku: { run: { values: ['-a', '--app', '-s', '--size', '-e', '--env', '-r', '--remote'] } },
  kubectl: {
    exec: { values: ['-n', '--namespace', '-c', '--container', '--context', '--kubeconfig', '-f', '--filename'], afterDashDash: true },
    // `kubectl debug node/x -it --image=busybox -- chroot /host rm -rf …` runs on the node, its root at /host.
    debug: { values: ['-n', '--namespace', '-c', '--container', '--context', '--kubeconfig', '-f', '--filename', '--image', '--target', '--profile', '--copy-to', '--env', '-e', '--custom'], afterDashDash: true },
  },
  oc: { exec: { values: ['-n', '--namespace', '-c', '--container'], afterDashDash: true } },
  docker: { exec: { values: ['-e', '--env', '-u', '--user', '-w', '--workdir', '--env-file', '--detach-keys'], leading: 1 } },
  podman: { exec: { values: ['-e', '--env', '-u', '--user', '-w', '--workdir', '--env-file', '--detach-keys'], leading: 1 } },
  mise: { exec: { afterDashDash: true }, x: { afterDashDash: true } },
  nix: { develop: { scriptOptions: ['-c', '--command'] } },
  toolbox: { run: { values: ['-c', '--container', '-d', '--distro', '-r', '--release'] } },
  distrobox: { enter: { afterDashDash: true }, ephemeral: { afterDashDash: true } },
};

/** `docker compose exec SERVICE cmd…` (and docker-compose, podman compose): runs cmd inside the service. */
const COMPOSE_EXEC: WrapperSpec = { values: ['-e', '--env', '-u', '--user', '-w', '--workdir', '--index', '-v', '--volume', '-p', '--publish', '--name', '--entrypoint', '-l', '--label', '--env-file', '--pull', '--cap-add', '--cap-drop'], leading: 1 };
const COMPOSE_GLOBAL_VALUES = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--ansi', '--parallel', '--progress']);

/** Index just after `exec` in a compose invocation, or -1. */
function composeExec(inv: Invocation): number {
  const a = inv.args;
  let i = 0;
  if (inv.program === 'docker' || inv.program === 'podman' || inv.program === 'nerdctl') {
    if (a[0] !== 'compose') return -1;
    i = 1;
  } else if (inv.program !== 'docker-compose' && inv.program !== 'podman-compose') return -1;
  for (; i < a.length; i++) {
    if (COMPOSE_GLOBAL_VALUES.has(a[i])) {
      i++;
      continue;
    }
    if (a[i].startsWith('-')) continue;
    return a[i] === 'exec' || a[i] === 'run' ? i + 1 : -1;
  }
  return -1;
}

/** The commands pnpm, yarn and bun handle themselves; any other first word runs a package's program of that name. */
const OWN_COMMANDS: Record<string, ReadonlySet<string>> = {
  pnpm: new Set(['add', 'install', 'i', 'update', 'up', 'upgrade', 'remove', 'rm', 'uninstall', 'un', 'link', 'ln', 'unlink', 'import', 'rebuild', 'rb', 'prune', 'fetch', 'patch', 'patch-commit', 'patch-remove', 'audit', 'list', 'ls', 'll', 'la', 'outdated', 'why', 'licenses', 'run', 'run-script', 'test', 't', 'tst', 'exec', 'dlx', 'create', 'start', 'publish', 'pack', 'unpublish', 'deprecate', 'undeprecate', 'dist-tag', 'owner', 'env', 'setup', 'store', 'server', 'init', 'config', 'c', 'get', 'set', 'bin', 'root', 'doctor', 'help', 'version', 'self-update', 'recursive', 'multi', 'm', 'approve-builds', 'ignored-builds', 'cat-file', 'cat-index', 'find-hash', 'deploy', 'login', 'logout', 'adduser', 'whoami', 'view', 'info', 'show', 'search', 'stars', 'star', 'unstar', 'docs', 'home', 'bugs', 'repo', 'ping', 'token', 'team', 'access', 'org', 'profile', 'hook', 'sbom', 'dedupe', 'catalog', 'completion', 'cache']),
  yarn: new Set(['add', 'install', 'remove', 'upgrade', 'up', 'upgrade-interactive', 'run', 'exec', 'dlx', 'workspace', 'workspaces', 'info', 'why', 'config', 'cache', 'init', 'set', 'plugin', 'npm', 'pack', 'publish', 'version', 'constraints', 'dedupe', 'explain', 'link', 'unlink', 'node', 'patch', 'patch-commit', 'rebuild', 'stage', 'test', 'audit', 'global', 'bin', 'check', 'create', 'generate-lock-entry', 'help', 'import', 'licenses', 'list', 'login', 'logout', 'outdated', 'owner', 'policies', 'tag', 'team', 'unplug', 'autoclean', 'search', 'start']),
  bun: new Set(['run', 'test', 'x', 'repl', 'exec', 'install', 'i', 'add', 'a', 'remove', 'rm', 'update', 'outdated', 'audit', 'link', 'unlink', 'publish', 'patch', 'pm', 'info', 'build', 'init', 'create', 'c', 'upgrade', 'help', 'why']),
};

/** Runners whose first word is a package spec (`wrangler@latest`, `@railway/cli`), not a program name. */
const PACKAGE_RUNNERS = new Set(['npx', 'bunx', 'npm', 'pnpm', 'yarn', 'uvx', 'bun']);
const PACKAGE_BINARIES: Record<string, string> = { '@railway/cli': 'railway', 'firebase-tools': 'firebase', 'netlify-cli': 'netlify', 'aws-cdk': 'cdk', '@cdktf/cli': 'cdktf', 'cdktf-cli': 'cdktf', '@pulumi/cli': 'pulumi', 'supabase': 'supabase', '@sentry/cli': 'sentry-cli' };

function packageBinary(spec: string): string {
  const name = spec.replace(/(.)@[^/@]*$/, '$1');
  return own(PACKAGE_BINARIES, name) ?? basename(name);
}

/** The command a wrapper runs, or null when inv is not a wrapper (or runs nothing). */
export function innerOf(inv: Invocation, host: ScriptHost): Invocation | null {
  let spec = own(WRAPPERS, inv.program);
  let skip = 0;
  const run = spec ? null : containerRun(inv.program, inv.args);
  if (run) {
    // The image's entrypoint, when named, is the program; else the first word after the image.
    const words = run.entrypoint === undefined ? inv.argWords.slice(run.image + 1) : [inv.argWords[run.entrypoint], ...inv.argWords.slice(run.image + 1)];
    return inner(inv, words, {}, {});
  }
  if (!spec) {
    const compose = composeExec(inv);
    if (compose >= 0) {
      spec = COMPOSE_EXEC;
      skip = compose;
    } else {
      const sub = own(SUBCOMMAND_WRAPPERS, inv.program);
      const s = inv.args.find((a) => !a.startsWith('-'));
      const ownCommands = own(OWN_COMMANDS, inv.program);
      const subSpec = sub ? own(sub, s) : undefined;
      if (subSpec) {
        spec = subSpec;
        skip = inv.args.indexOf(s!) + 1;
      } else if (ownCommands && s && !ownCommands.has(s) && inv.args.indexOf(s) === 0) {
        // `pnpm prisma migrate reset`: a word that is not the tool's own command runs a package's program.
        spec = {};
        skip = 0;
      } else return null;
    }
  }
  const args = inv.args;
  const env: Record<string, string> = {};
  let leading = spec.leading ?? 0;
  let sawDashDash = false;
  let i = skip;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      sawDashDash = true;
      i++;
      break;
    }
    if (spec.afterDashDash) continue;
    if (a.startsWith('-') && a.length > 1) {
      const name = a.includes('=') && a.startsWith('--') ? a.slice(0, a.indexOf('=')) : a;
      if (spec.notExecuting?.includes(name)) return null;
      // `-qc 'cmd'`: a cluster of short flags ending in the script option.
      const clustered = /^-[A-Za-z]{2,}$/.test(a) && spec.scriptOptions?.some((o) => o.length === 2 && a.endsWith(o[1]));
      // `-S"rm -rf x"` (the value attached to a short script option).
      const attached = !a.startsWith('--') && !clustered ? spec.scriptOptions?.find((o) => o.length === 2 && a.startsWith(o) && a.length > 2) : undefined;
      if (spec.scriptOptions?.includes(name) || clustered || attached) {
        const script = attached ? a.slice(2) : a.includes('=') && a.startsWith('--') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
        // env -S splits its string into words and runs them with the words after it (`env -S 'bash -c' 'rm …'`).
        const after = inv.program === 'env' ? args.slice(attached || a.includes('=') ? i + 1 : i + 2).map((w) => ` ${shellQuote(w)}`).join('') : '';
        if (script !== undefined) host.script(script + after, inv.depth + 1, 'eval', inv);
        return null;
      }
      // A value option's value is the next word (a value attached, as in -n10 or --user=x, needs no skip).
      const arity = spec.arity ? own(spec.arity, name) : undefined;
      if (spec.values?.includes(name) && !a.includes('=')) i++;
      else if (arity) i += arity;
      continue;
    }
    const m = spec.assignments ? ASSIGNMENT.exec(a) : null;
    if (m) {
      env[m[1]] = m[2];
      continue;
    }
    if (leading > 0) {
      leading--;
      continue;
    }
    break;
  }
  if (spec.afterDashDash && !sawDashDash) return null;
  if (i >= args.length) return null;
  return inner(inv, inv.argWords.slice(i), env, spec);
}

/** The invocation a wrapper runs: its words (program first), with the wrapper as parent. */
function inner(inv: Invocation, words: Word[], env: Record<string, string>, spec: WrapperSpec): Invocation | null {
  const programWord = words[0];
  if (!programWord) return null;
  return {
    ...inv,
    program: PACKAGE_RUNNERS.has(inv.program) ? packageBinary(programWord.text) : basename(programWord.text),
    path: programWord.text,
    args: words.slice(1).map((w) => w.text),
    argWords: words.slice(1),
    env: { ...inv.env, ...env },
    via: [...inv.via, inv.program],
    parent: inv,
    dynamicProgram: programWord.dynamic,
    argsFromStdin: inv.argsFromStdin || !!spec.argsFromStdin,
    parsed: argCache(words.slice(1).map((w) => w.text)),
    readOnly: undefined,
  };
}
