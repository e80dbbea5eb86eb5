// The error nixotel throws for what a user can fix. Only src/main.ts turns it into an exit code (2);
// src/index.ts sets the process's. Every message says what was expected, what came, and what to do.

export type ExitCode = 0 | 1 | 2;

export type ErrorCode =
  | "USAGE" // bad command line
  | "CONFIG" // nixotel.json, a template input or an OTEL_* setting is invalid
  | "ENVIRONMENT"; // nix missing, flake not found, evaluation failed, I/O

export class NixotelError extends Error {
  readonly code: ErrorCode;
  /** Every NixotelError is a usage, config or environment problem: exit 2. */
  readonly exitCode: ExitCode = 2;
  /** Each problem as `path: message`, all at once; empty when the message says it all. */
  readonly problems: readonly string[];

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; problems?: readonly string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NixotelError";
    this.code = code;
    this.problems = options.problems ?? [];
  }
}

export const usageError = (message: string, cause?: unknown) => new NixotelError("USAGE", message, { cause });

export const configError = (message: string, problems: readonly string[] = [], cause?: unknown) =>
  new NixotelError("CONFIG", message, { problems, cause });

export const environmentError = (message: string, cause?: unknown) => new NixotelError("ENVIRONMENT", message, { cause });

/** "Expected X, got Y. Z." — the one template for messages about a bad value. */
export function expected(what: string, got: unknown, fix?: string): string {
  const shown = typeof got === "string" ? JSON.stringify(got) : String(got);
  return `Expected ${what}, got ${shown}.${fix ? ` ${fix}` : ""}`;
}

/** The text printed for an error: the message, then one problem a line. */
export function formatError(error: NixotelError): string {
  const lines = [`nixotel: ${error.message}`];
  for (const problem of error.problems) lines.push(`  - ${problem}`);
  return lines.join("\n");
}
