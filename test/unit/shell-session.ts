// Drives a real interactive shell on a pseudo-terminal (util-linux `script`), the way a person or an agent types.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export class ShellSession {
  private readonly child: ChildProcessWithoutNullStreams;
  output = '';
  /** Set when the shell (and the pty around it) has ended. */
  exited = false;

  constructor(shell: string[], env: NodeJS.ProcessEnv, cwd: string) {
    this.child = spawn('script', ['-qfec', shell.join(' '), '/dev/null'], { env, cwd });
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    this.child.stderr.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    this.child.on('close', () => (this.exited = true));
  }

  type(text: string): void {
    this.child.stdin.write(text);
  }

  /** Runs a line and waits until `marker` is printed after it. */
  async run(line: string, timeoutMs = 10000): Promise<string> {
    const marker = `__done_${Math.random().toString(36).slice(2)}`;
    const from = this.output.length;
    this.type(`${line}\r`);
    this.type(`echo ${marker.slice(0, 6)}""${marker.slice(6)}\r`);
    await this.waitFor(() => this.output.indexOf(marker, from) >= 0, timeoutMs, `"${line}" to finish`);
    return this.output.slice(from);
  }

  async waitFor(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!ok()) {
      if (this.exited) throw new Error(`the shell ended while waiting for ${what}; output:\n${this.output.slice(-2000)}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${this.output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('close', () => resolve());
      this.child.stdin.end('exit\r');
      setTimeout(() => this.child.kill('SIGKILL'), 3000).unref();
    });
  }
}
