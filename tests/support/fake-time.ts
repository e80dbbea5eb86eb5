// Time for tests of what is throttled: a clock that moves only when told, and the one timer a redraw
// may be waiting on, run when the clock passes it. Nothing waits; nothing depends on the machine's speed.
import type { Timers } from "../../src/report/redraw.js";

const MS = 1_000_000n;

export function fakeTime() {
  let now = 0n;
  let due: { run: () => void; at: bigint } | undefined;
  const timers: Timers = {
    set: (run, ms) => (due = { run, at: now + BigInt(ms) * MS }),
    clear: (timer) => void (due === timer && (due = undefined)),
  };
  /** Moves the clock on by `ms`, running a timer that came due. */
  const advance = (ms: number) => {
    now += BigInt(ms) * MS;
    if (due && due.at <= now) {
      const { run } = due;
      due = undefined;
      run();
    }
  };
  return { clock: () => now, timers, advance, pending: () => due !== undefined };
}
