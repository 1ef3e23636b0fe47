// Runs the `escalate` CLI in-process through its entry point, capturing what it writes.

import { main } from '../../src/cli/main';

class Capture {
  text = '';
  write(s: string): void {
    this.text += s;
  }
  flush(): void {}
}

export async function runCli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await main(args, { stdout, stderr });
  return { status, stdout: stdout.text, stderr: stderr.text };
}
