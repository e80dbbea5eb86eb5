// The few error classes nixotel throws. Only src/index.ts turns them into exit codes.
// Every message says what was expected, what came, and what to do.

export type ExitCode = 0 | 1 | 2;

export type ErrorCode =
  | "USAGE" // bad command line
  | "CONFIG" // nixotel.json or a template input is invalid
  | "HAND_EDIT" // a generated file was edited by hand and --force was not given
  | "ENVIRONMENT" // nix missing, flake not found, evaluation failed, I/O
  | "INTERRUPTED"; // SIGINT/SIGTERM

export class NixotelError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  /** Each problem as `path: message`, all at once; empty when the message says it all. */
  readonly problems: readonly string[];

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; problems?: readonly string[]; exitCode?: ExitCode } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NixotelError";
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
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
