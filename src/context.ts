// What a command may touch of the outside world, injected so tests can run commands in-process.

export interface Context {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: live progress lines instead of plain log lines. */
  interactive: boolean;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

export function processContext(signal: AbortSignal): Context {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    signal,
  };
}
