// Writes that may fail once a run is under way (disk full, a folder turned read-only or replaced):
// each failure is noted, not thrown, so the run still writes what it can, prints its summary and
// keeps the tests' exit code; the summary then says what was not written.
import { isErrno } from "../files.js";

/** The errors a write to a local file system gives when the disk, the folder or its rights fail it. */
const WRITE_FAILURES = ["ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "ENOTDIR", "EISDIR", "EEXIST", "ENOENT", "EIO"];

export interface WriteAttempts {
  /** `what: why` for each write that failed, in the order they were tried. */
  readonly notWritten: string[];
  /** Runs `write`; on a write failure notes it under `what` (a path) and returns undefined. */
  attempt<T>(what: string, write: () => Promise<T>): Promise<T | undefined>;
  failed(what: string): boolean;
}

export function writeAttempts(): WriteAttempts {
  const notWritten: string[] = [];
  const failures = new Set<string>();
  return {
    notWritten,
    async attempt(what, write) {
      try {
        return await write();
      } catch (error) {
        if (!isErrno(error, ...WRITE_FAILURES)) throw error;
        // A file written again and again (run.json, spans.jsonl as the run goes) is named once.
        if (!failures.has(what)) notWritten.push(`${what}: ${(error as Error).message}`);
        failures.add(what);
        return undefined;
      }
    },
    failed: (what) => failures.has(what),
  };
}

/** For callers that want a failed write to fail them (flush, benchmarks): every attempt rethrows. */
export const throwingAttempts: WriteAttempts = {
  notWritten: [],
  attempt: (_what, write) => write(),
  failed: () => false,
};
