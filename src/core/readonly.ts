// Which commands only look. Everything else counts as changing state, which is what a freeze holds.

import type { Invocation } from './parse/invocation';
import { own } from './own';

const READ_ONLY_PROGRAMS = new Set([
  'ls', 'll', 'la', 'dir', 'cat', 'bat', 'less', 'more', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack',
  'fd', 'wc', 'echo', 'printf', 'pwd', 'cd', 'pushd', 'popd', 'which', 'whereis', 'type', 'whoami', 'id', 'groups',
  'date', 'cal', 'printenv', 'stat', 'file', 'du', 'df', 'free', 'ps', 'pgrep', 'top', 'htop', 'uptime', 'tree',
  'diff', 'cmp', 'comm', 'uniq', 'cut', 'tr', 'column', 'nl', 'fold', 'rev', 'tac', 'jq', 'yq', 'true', 'false',
  'test', '[', 'basename', 'dirname', 'realpath', 'readlink', 'sleep', 'man', 'help', 'history', 'hostname',
  'uname', 'ping', 'dig', 'nslookup', 'host', 'tput', 'clear', 'md5sum', 'sha1sum', 'sha256sum', 'shasum',
  'base64', 'xxd', 'od', 'hexdump', 'strings', 'lsof', 'netstat', 'ss', 'env', 'locale', 'nproc', 'lscpu',
  'lsblk', 'mount', 'seq', 'expr', 'bc', 'tldr', 'whatis', 'apropos', 'info', 'zcat', 'zgrep', 'zless', 'tee',
  'getent', 'last', 'w', 'who', 'finger', 'ldd', 'nm', 'objdump', 'readelf', 'time', 'command', 'set', 'shopt',
  'alias', 'declare', 'typeset', 'local', 'read', 'wait', 'jobs', 'fg', 'bg', 'exit', 'return', 'shift', 'break',
  'continue', ':', 'node', 'python', 'python3',
]);

/** Programs that are read-only with some subcommands. */
const READ_ONLY_SUBCOMMANDS: Record<string, ReadonlySet<string>> = {
  git: new Set(['status', 'log', 'diff', 'show', 'blame', 'describe', 'rev-parse', 'rev-list', 'ls-files', 'ls-tree', 'ls-remote', 'grep', 'shortlog', 'reflog', 'fetch', 'cat-file', 'show-ref', 'whatchanged', 'help', 'version', 'count-objects', 'fsck', 'check-ignore', 'merge-base', 'name-rev', 'for-each-ref', 'var']),
  kubectl: new Set(['get', 'describe', 'logs', 'top', 'explain', 'version', 'api-resources', 'api-versions', 'cluster-info', 'diff', 'auth', 'config', 'events', 'wait']),
  oc: new Set(['get', 'describe', 'logs', 'status', 'whoami', 'version', 'projects', 'explain']),
  helm: new Set(['list', 'ls', 'status', 'get', 'template', 'show', 'inspect', 'search', 'history', 'lint', 'diff', 'version', 'env', 'verify']),
  terraform: new Set(['plan', 'show', 'validate', 'output', 'version', 'providers', 'graph', 'console', 'init', 'get']),
  tofu: new Set(['plan', 'show', 'validate', 'output', 'version', 'providers', 'graph', 'console', 'init', 'get']),
  docker: new Set(['ps', 'images', 'logs', 'inspect', 'version', 'info', 'stats', 'top', 'history', 'search', 'port', 'diff', 'events']),
  npm: new Set(['ls', 'list', 'view', 'info', 'show', 'outdated', 'search', 'help', 'config', 'root', 'prefix', 'bin', 'whoami', 'doctor', 'explain', 'why', 'query', 'pkg', 'fund']),
  pnpm: new Set(['ls', 'list', 'why', 'outdated', 'view', 'info', 'root', 'bin']),
  yarn: new Set(['list', 'info', 'why', 'outdated', 'config']),
  pip: new Set(['list', 'show', 'freeze', 'check', 'search', 'download', 'help', 'config', 'debug', 'inspect']),
  pip3: new Set(['list', 'show', 'freeze', 'check', 'search', 'download', 'help', 'config', 'debug', 'inspect']),
  cargo: new Set(['check', 'tree', 'metadata', 'search', 'version', 'help', 'clippy', 'doc']),
  go: new Set(['version', 'env', 'list', 'doc', 'vet', 'help']),
  systemctl: new Set(['status', 'show', 'list-units', 'list-unit-files', 'is-active', 'is-enabled', 'is-failed', 'cat']),
  aws: new Set([]),
  gcloud: new Set([]),
  az: new Set([]),
};

/** Subcommand words (anywhere among the positionals) that only read, for the big cloud CLIs. */
const CLOUD_READ_VERBS = /^(describe|list|get|show|ls|wait|help|version|whoami|get-caller-identity|info|account|status)([-_].*)?$/;

function hasOutputRedirect(inv: Invocation): boolean {
  return inv.redirects.some((r) => {
    if (!/>/.test(r.op) || r.op === '>&' && /^\d$/.test(r.target?.text ?? '')) return false;
    const t = r.target?.text ?? '';
    return t !== '/dev/null' && t !== '/dev/stdout' && t !== '/dev/stderr' && !/^&?\d-?$/.test(t);
  });
}

/** `tool sub next` pairs that only list or show (git branch with no name lists branches). */
const READ_ONLY_PAIRS: Record<string, Record<string, (rest: string[]) => boolean>> = {
  git: {
    branch: (r) => r.every((a) => /^(-[alrv]+|--list|--all|--remotes|--verbose|--show-current|--contains|--merged|--no-merged|--sort=.*|--format=.*)$/.test(a)),
    tag: (r) => r.every((a) => /^(-l|--list|-n\d*|--sort=.*|--contains|--points-at)$/.test(a)) || r[0] === '-l' || r[0] === '--list',
    remote: (r) => r.length === 0 || ['-v', '--verbose', 'show', 'get-url'].includes(r[0]),
    stash: (r) => r[0] === 'list' || r[0] === 'show',
    config: (r) => r.some((a) => /^(--get|--get-all|--get-regexp|--list|-l)$/.test(a)),
    worktree: (r) => r[0] === 'list',
  },
  terraform: { state: (r) => r[0] === 'list' || r[0] === 'show' || r[0] === 'pull', workspace: (r) => r[0] === 'list' || r[0] === 'show', fmt: (r) => r.includes('-check') },
  tofu: { state: (r) => r[0] === 'list' || r[0] === 'show' || r[0] === 'pull', workspace: (r) => r[0] === 'list' || r[0] === 'show', fmt: (r) => r.includes('-check') },
};

export function isReadOnly(inv: Invocation): boolean {
  if (hasOutputRedirect(inv)) return false;
  // The PowerShell and cmd readers know which of their commands only look.
  if (inv.readOnly !== undefined) return inv.readOnly;
  const p = inv.program;
  if (p === '') return true;
  if (READ_ONLY_PROGRAMS.has(p)) {
    if ((p === 'node' || p.startsWith('python')) && inv.args.length > 0 && !inv.args.every((a) => a === '--version' || a === '-V' || a === '-v')) return false;
    if (p === 'tee') return false;
    return true;
  }
  if (p === 'sed') return !inv.args.some((a) => a === '-i' || a.startsWith('-i') || a.startsWith('--in-place'));
  if (p === 'sort') return !inv.args.some((a) => a === '-o' || a.startsWith('--output'));
  if (p === 'find') return !inv.args.some((a) => ['-delete', '-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprintf', '-fls'].includes(a));
  if (p === 'awk' || p === 'gawk' || p === 'mawk') return !inv.args.some((a) => /system\s*\(|>\s*"|\|\s*"/.test(a));
  if (p === 'curl') return !inv.args.some((a) => /^(-X|--request|-d|--data.*|-F|--form|-T|--upload-file|-o|--output|-O|--remote-name|--json)$/.test(a) || /^-X./.test(a));
  const first = inv.args.find((a) => !a.startsWith('-'));
  const pairs = own(READ_ONLY_PAIRS, p);
  const pair = pairs ? own(pairs, first) : undefined;
  if (pair) return pair(inv.args.slice(inv.args.indexOf(first!) + 1));
  const subs = own(READ_ONLY_SUBCOMMANDS, p);
  if (subs && first !== undefined) {
    if (p === 'aws' || p === 'gcloud' || p === 'az') {
      const words = inv.args.filter((a) => !a.startsWith('-'));
      return words.slice(0, 4).some((w) => CLOUD_READ_VERBS.test(w)) && !words.slice(0, 4).some((w) => /^(delete|remove|rm|terminate|destroy|create|update|put|set|run|deploy|apply)/.test(w));
    }
    return subs.has(first);
  }
  if (subs && first === undefined) return inv.args.length > 0; // `git --version`, `kubectl --help`
  return false;
}
