// What ssh, scp and sftp run here or on the host besides the command given: the settings ProxyCommand, LocalCommand,
// KnownHostsCommand (here) and RemoteCommand (on the host), given with -o or in a -F file, where `Match exec` runs a
// command too; scp's and sftp's -S program stands in for ssh, sftp -D runs a server here, and its batch file's `!`
// lines run in a local shell.

import type { Invocation } from './invocation';
import type { NestedScriptHost } from './nestedScripts';
import { defaultConfigsWritten } from './defaultConfigs';
import { shellQuote } from './shellQuote';

const RUNS_COMMAND = /^\s*(ProxyCommand|LocalCommand|KnownHostsCommand|RemoteCommand)\s*(?:=|\s)\s*(.*)$/is;

/** One ssh setting (`-o Key=Value`, a configuration line): a command it runs is judged with the line. */
function setting(text: string, depth: number, inv: Invocation, host: NestedScriptHost): void {
  const m = RUNS_COMMAND.exec(text);
  if (m && !/^none$/i.test(m[2].trim())) host.script(m[2], depth, /^RemoteCommand$/i.test(m[1]) ? 'remote' : 'eval', inv);
}

/** An ssh configuration file (-F): its settings, `Match exec` commands; one it includes is not read. */
function configFile(file: string, depth: number, inv: Invocation, host: NestedScriptHost): void {
  if (file === 'none') return;
  const text = host.launcherHost.file(inv, file, 'reads the ssh configuration');
  for (const raw of text?.split('\n') ?? []) {
    const line = raw.trim();
    if (/^Include\b/i.test(line)) host.launcherHost.error(`${inv.program} reads ${file}, which includes configuration the gate does not read`);
    else if (/^Match\b/i.test(line)) {
      for (const m of line.matchAll(/\bexec\s*=?\s*("(?:[^"\\]|\\.)*"|\S+)/gi)) host.script(m[1].replace(/^"(.*)"$/s, '$1'), depth, 'eval', inv);
    } else setting(line, depth, inv, host);
  }
}

const SSH_VALUES = ['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B'];
const SCP_VALUES = ['-c', '-D', '-F', '-i', '-J', '-l', '-o', '-P', '-S', '-X'];
const SFTP_VALUES = ['-B', '-b', '-c', '-D', '-F', '-i', '-J', '-l', '-o', '-P', '-R', '-S', '-s', '-X'];

/** `ssh|scp|sftp …`: the remote command (ssh), and what the options and configuration run; true when inv is one. */
export function readSsh(inv: Invocation, depth: number, host: NestedScriptHost): boolean {
  const p = inv.program;
  if (p !== 'ssh' && p !== 'scp' && p !== 'sftp') return false;
  const a = inv.parsed({ values: p === 'ssh' ? SSH_VALUES : p === 'scp' ? SCP_VALUES : SFTP_VALUES, stopAtPositional: p === 'ssh' });
  if (p === 'ssh') {
    const remote = [...a.positionals.slice(1), ...a.rest];
    if (remote.length) host.script(remote.join(' '), depth, 'remote', inv);
  }
  for (const o of a.values('-o')) setting(o, depth, inv, host);
  for (const f of a.values('-F')) configFile(f, depth, inv, host);
  if (!a.has('-F')) defaultConfigsWritten(inv, host.launcherHost);
  if (p === 'ssh') return true;
  // The program run in ssh's place (with ssh's words after it), and sftp's local server (split at blanks).
  for (const prog of a.values('-S')) host.script(`${shellQuote(prog)} -oForwardAgent=no host`, depth, 'eval', inv);
  if (p === 'sftp') {
    for (const server of a.values('-D')) host.script(server, depth, 'eval', inv);
    for (const batch of a.values('-b')) {
      const text = batch === '-' ? host.fed(inv) : host.launcherHost.file(inv, batch, 'runs the sftp batch file');
      for (const line of text?.split('\n') ?? []) {
        const bang = /^\s*[-@]*!(.*)$/s.exec(line);
        if (bang && bang[1].trim()) host.script(bang[1], depth, 'eval', inv);
      }
    }
  }
  return true;
}
