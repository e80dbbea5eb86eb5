// The progress of a run's steps that are not builds (evaluating, reading stored logs): its own module,
// loaded before anything else of the pipeline, so `run` says what it does before nix is asked (issue 14).
import type { Context } from "../context.js";
import { plain } from "./plain.js";
import { throttledRedraw, type RedrawOptions } from "./redraw.js";

export interface StepProgress {
  /** A step begins: a line in CI, the redrawn line on a terminal. */
  say(text: string): void;
  /** How the step is going: the redrawn line on a terminal only (CI logs keep one line per step). */
  update(text: string): void;
  /** Erases the terminal's line. */
  done(): void;
}

/** Steps of a run that are not builds (evaluating, reading stored logs). */
export function stepProgress(context: Context, options: RedrawOptions = {}): StepProgress {
  const line = throttledRedraw(context.stderr, options);
  let shown = false;
  const show = (text: string) => {
    shown = true;
    line.show(() => plain(text));
  };
  return {
    say: (text) => (context.interactive ? show(text) : context.stderr(`nixotel: ${plain(text)}\n`)),
    update: (text) => context.interactive && show(text),
    done: () => context.interactive && shown && line.clear(),
  };
}

/** The first step of every run that builds a flake's checks. */
export const evaluatingText = (flake: string) => `evaluating the checks of ${flake}`;
