// Codex runs a hook only once it is trusted: `codex exec` silently skips an untrusted or "modified" hook. Codex keeps
// a person's trust as `[hooks.state."<hooks.json>:pre_tool_use:<group>:<handler>"] trusted_hash = "sha256:…"` in
// config.toml, where the hash is Codex's own fingerprint of the hook. Rather than re-deriving that fingerprint, we ask
// Codex (`codex app-server`, JSON-RPC method `hooks/list`) for each hook's key, current hash and trust status. When a
// person runs `agent-guard install-hooks codex`, the trust for Agent Guard's own hook is written the way Codex's
// /hooks screen writes it, then read back from Codex; the doctor reports Codex's own answer.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { replaceFile } from '../core/replaceFile';
import { delimiter, join } from 'node:path';
import { isOurCommand } from '../core/agents/hookConfig';

export interface CodexHook {
  key: string;
  command: string;
  eventName: string;
  sourcePath: string;
  currentHash: string;
  /** 'trusted', 'untrusted', 'modified' or 'managed' as Codex says. */
  trustStatus: string;
  enabled: boolean;
}

export function codexHome(home: string, env: NodeJS.ProcessEnv): string {
  return env.CODEX_HOME || join(home, '.codex');
}

/** The `codex` program on PATH, if any. */
export function findCodex(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const p = dir && join(dir, 'codex');
    try {
      if (p && statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Codex's own view of the hooks that apply in `cwd`, from `codex app-server`. Rejects with a readable reason. */
export function listCodexHooks(codex: string, env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 20_000): Promise<CodexHook[]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let out = '';
    let err = '';
    const child = spawn(codex, ['app-server'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const finish = (e: Error | null, hooks?: CodexHook[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin.end();
      child.kill('SIGTERM');
      if (e) reject(e);
      else resolve(hooks ?? []);
    };
    const timer = setTimeout(() => finish(new Error(`codex app-server did not answer hooks/list within ${timeoutMs / 1000} s`)), timeoutMs);
    child.on('error', (e) => finish(new Error(`could not start ${codex}: ${e.message}`)));
    child.on('close', (code) => finish(new Error(`codex app-server stopped (exit ${code}) before answering: ${err.trim().split('\n').slice(-1)[0] ?? ''}`)));
    child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
    child.stdout.on('data', (c) => {
      out += c;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        let msg: { id?: number; result?: { data?: { hooks?: CodexHook[] }[] }; error?: { message?: string } };
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (msg.id !== 2) continue;
        if (msg.error) return finish(new Error(`codex hooks/list failed: ${msg.error.message ?? 'unknown error'}`));
        return finish(null, (msg.result?.data ?? []).flatMap((d) => d.hooks ?? []));
      }
    });
    const send = (m: object) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
    child.stdin.on('error', () => undefined);
    send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'agent-guard', version: '1' } } });
    send({ method: 'initialized' });
    send({ id: 2, method: 'hooks/list', params: { cwds: [cwd] } });
  });
}

export function ourCodexHooks(hooks: readonly CodexHook[]): CodexHook[] {
  return hooks.filter((h) => /pre_?tool_?use/i.test(h.eventName) && isOurCommand(h.command, 'codex'));
}

const tomlString = (s: string): string => JSON.stringify(s);

/** config.toml with `trusted_hash` set for `key`, everything else kept as it was. */
export function withTrustedHash(config: string, key: string, hash: string): string {
  const lines = config.split('\n');
  const header = lines.findIndex((l) => {
    const t = l.trim();
    return t === `[hooks.state.${tomlString(key)}]` || t === `[hooks.state.'${key}']`;
  });
  const entry = `trusted_hash = ${tomlString(hash)}`;
  if (header < 0) return `${config}${config && !config.endsWith('\n') ? '\n' : ''}\n[hooks.state.${tomlString(key)}]\n${entry}\n`;
  let end = lines.findIndex((l, i) => i > header && /^\s*\[/.test(l));
  if (end < 0) end = lines.length;
  const at = lines.findIndex((l, i) => i > header && i < end && /^\s*trusted_hash\s*=/.test(l));
  if (at >= 0) lines[at] = entry;
  else lines.splice(header + 1, 0, entry);
  return lines.join('\n');
}

export interface TrustOutcome {
  /** Codex now reports Agent Guard's hook as trusted. */
  trusted: boolean;
  /** codex was found to ask; without it the hook waits, untrusted, for a Codex installed later. */
  codexFound: boolean;
  text: string;
}

/**
 * Writes Codex's trust for Agent Guard's own hook (only ours), then asks Codex again. A config that Codex then cannot
 * read, or a hook it still does not trust, is put back as it was and reported.
 */
export async function trustOurCodexHook(o: { home: string; env: NodeJS.ProcessEnv; cwd: string; codex?: string }): Promise<TrustOutcome> {
  const notProtected = 'Codex is NOT protected until the hook is trusted: start codex, type /hooks and trust the Agent Guard hook (codex exec skips untrusted hooks silently)';
  const codex = o.codex ?? findCodex(o.env);
  if (!codex) return { trusted: false, codexFound: false, text: `codex was not found on PATH, so its trust could not be recorded. ${notProtected}` };
  let hooks: CodexHook[];
  try {
    hooks = ourCodexHooks(await listCodexHooks(codex, o.env, o.cwd));
  } catch (e) {
    return { trusted: false, codexFound: true, text: `${(e as Error).message}. ${notProtected}` };
  }
  if (!hooks.length) return { trusted: false, codexFound: true, text: `Codex does not list the Agent Guard hook. ${notProtected}` };
  const pending = hooks.filter((h) => h.trustStatus !== 'trusted' && h.trustStatus !== 'managed');
  if (!pending.length) return { trusted: true, codexFound: true, text: 'Codex already trusts the Agent Guard hook' };
  const configPath = join(codexHome(o.home, o.env), 'config.toml');
  const existed = existsSync(configPath);
  const before = existed ? readFileSync(configPath, 'utf8') : '';
  let after = before;
  for (const h of pending) after = withTrustedHash(after, h.key, h.currentHash);
  const write = (text: string) => {
    replaceFile(configPath, text, existsSync(configPath) ? statSync(configPath).mode & 0o777 : 0o600);
  };
  write(after);
  let check: CodexHook[] = [];
  let problem = '';
  try {
    check = ourCodexHooks(await listCodexHooks(codex, o.env, o.cwd));
  } catch (e) {
    problem = (e as Error).message;
  }
  if (!problem && check.length && check.every((h) => h.trustStatus === 'trusted' || h.trustStatus === 'managed')) {
    return { trusted: true, codexFound: true, text: `trusted the Agent Guard hook in ${configPath} (as Codex's /hooks does); Codex reports it trusted` };
  }
  if (existed) write(before);
  else unlinkSync(configPath);
  return { trusted: false, codexFound: true, text: `Codex did not accept the trust written to ${configPath}${problem ? ` (${problem})` : ''}; it was put back. ${notProtected}` };
}
