// The one redrawn line of a terminal, at most 20 times a second: events faster than that (a log line
// each, thousands a second) update what the line will say, and the line is drawn when the interval
// is over, so the last state is always shown. Time and timers are injected so tests need no waiting.
import { nowNs, type Clock } from "../clock.js";

/** ≤ 20 redraws a second. */
export const MIN_REDRAW_NS = 50_000_000n;

export interface Timers {
  set: (run: () => void, ms: number) => unknown;
  clear: (timer: unknown) => void;
}

export const realTimers: Timers = {
  // unref: a redraw still waiting never keeps nixotel alive.
  set: (run, ms) => setTimeout(run, ms).unref(),
  clear: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export interface RedrawOptions {
  clock?: Clock;
  timers?: Timers;
}

export interface Redraw {
  /** The line changed: `render` says what it shows now (called when it is drawn, so times are fresh). */
  show(render: () => string): void;
  /** Erases the line (and forgets a redraw still waiting). */
  clear(): void;
}

export function throttledRedraw(write: (text: string) => void, options: RedrawOptions = {}): Redraw {
  const clock = options.clock ?? nowNs;
  const timers = options.timers ?? realTimers;
  let lastDrawn: bigint | undefined;
  let pending: (() => string) | undefined;
  let timer: unknown;
  const draw = () => {
    timer = undefined;
    if (!pending) return;
    write(`\r\x1b[K${pending()}`);
    pending = undefined;
    lastDrawn = clock();
  };
  return {
    show(render) {
      pending = render;
      if (timer !== undefined) return;
      const since = lastDrawn === undefined ? MIN_REDRAW_NS : clock() - lastDrawn;
      if (since >= MIN_REDRAW_NS) draw();
      else timer = timers.set(draw, Number((MIN_REDRAW_NS - since) / 1_000_000n) + 1);
    },
    clear() {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      pending = undefined;
      write("\r\x1b[K");
    },
  };
}
