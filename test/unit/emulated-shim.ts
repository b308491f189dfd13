// The native shim built for the other Linux architecture (arm64 on an x64 machine, x64 on an arm64 one), run as that
// machine runs it. Each command runs in a user namespace of its own with a private binfmt_misc (Linux 6.7 and later)
// that hands the other architecture's programs to qemu-user, registered with the line Debian's qemu-user-static ships
// for systemd-binfmt. So a script execs the shim by name through its link, the kernel gives it AT_EXECFN, shims start
// shims, and the real programs (this machine's) run natively, as on a real host; nothing outside the namespace changes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstallOptions, ShellGate, ShellMode } from '../../src/gate/install';

const DIST = join(__dirname, '..', '..', '..', 'dist');
const OTHER: Record<string, { arch: string; machine: string }> = { x64: { arch: 'arm64', machine: 'aarch64' }, arm64: { arch: 'x64', machine: 'x86_64' } };

export interface EmulatedShim {
  /** The architecture the shim is built for (process.arch's word). */
  arch: string;
  /** dist/shim-linux-<arch>. */
  file: string;
  /** A command line that runs argv as on a machine of that architecture. */
  wrap(argv: string[]): string[];
  /**
   * installShellGate as the extension calls it on such a machine: process.arch is that architecture's, install.ts
   * picks the shim for it (nativeShimFile) and proves it runs before using it.
   */
  install(dir: string, scripts: string, mode?: ShellMode): ShellGate;
}

function which(name: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(':')) if (d && existsSync(join(d, name))) return join(d, name);
  return undefined;
}

/** The other architecture's shim, runnable here; or why not (the tests say so when they skip it). */
export function emulatedShim(): { shim?: EmulatedShim; why?: string } {
  const other = process.platform === 'linux' ? OTHER[process.arch] : undefined;
  if (!other) return { why: `no other Linux architecture's shim is built on ${process.platform}-${process.arch}` };
  const file = join(DIST, `shim-linux-${other.arch}`);
  if (!existsSync(file)) return { why: `dist/shim-linux-${other.arch} is not built (its cross compiler is missing: node test/harness/provision.mjs installs it)` };
  const conf = `/usr/lib/binfmt.d/qemu-${other.machine}.conf`;
  if (!existsSync(conf)) return { why: `qemu-user-static is not installed (${conf} is missing: node test/harness/provision.mjs installs it)` };
  const line = readFileSync(conf, 'utf8').trim();
  const [unshare, sh, mount] = ['unshare', 'sh', 'mount'].map(which);
  if (!unshare || !sh || !mount) return { why: 'unshare, sh or mount is missing' };
  // By absolute paths: the command may run with any PATH (the shim's own tests run it with none).
  const setup = `${mount} -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && printf %s "$0" > /proc/sys/fs/binfmt_misc/register && exec "$@"`;
  const wrap = (argv: string[]) => [unshare, '--user', '--map-root-user', '--mount', sh, '-c', setup, line, ...argv];
  const shim: EmulatedShim = {
    arch: other.arch,
    file,
    wrap,
    install(dir, scripts, mode = 'normal') {
      const install = require.resolve('../../src/gate/install');
      const js =
        `Object.defineProperty(process, 'arch', { value: ${JSON.stringify(other.arch)} });\n` +
        `const { installShellGate, nativeShimFile } = require(${JSON.stringify(install)});\n` +
        `const [dir, scripts, mode, dist] = process.argv.slice(1);\n` +
        `const options = { nativeShim: nativeShimFile(dist) };\n` +
        `process.stdout.write(JSON.stringify({ options, gate: installShellGate(dir, scripts, mode, options) }));\n`;
      const [cmd, ...args] = wrap([process.execPath, '-e', js, dir, scripts, mode, DIST]);
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`installShellGate on emulated ${other.arch}: exit ${r.status}: ${r.stderr}`);
      const { options, gate } = JSON.parse(r.stdout) as { options: InstallOptions; gate: ShellGate };
      if (options.nativeShim !== file) throw new Error(`install.ts picked ${options.nativeShim} for ${other.arch}, not ${file}`);
      return gate;
    },
  };
  // Proved once: the shim runs in there (a kernel without private binfmt_misc, or no user namespaces, stops here).
  const [cmd, ...args] = wrap([file]);
  const probe = spawnSync(cmd, args, { env: { PATH: '' }, encoding: 'utf8', timeout: 20000 });
  const name = `shim-linux-${other.arch}`;
  if (probe.status !== 127 || probe.stderr !== `${name}: command not found\n`) {
    return { why: `the ${other.arch} shim does not run under qemu here (exit ${probe.status ?? probe.signal}: ${(probe.error?.message ?? probe.stderr).trim().slice(0, 200)})` };
  }
  return { shim };
}
