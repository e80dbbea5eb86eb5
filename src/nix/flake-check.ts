// ONE `nix flake check --keep-going --show-trace --log-format internal-json`, followed live.
// What Nix 2.8 prints (recorded in tests/check/samples/): an activity "evaluating flake" holding one
// "checking flake output 'NAME'" activity per output; an output attribute that fails to evaluate is a
// level-0 msg "error (ignored): error: …" inside it (with --show-trace it ends in "… while checking the
// derivation 'checks.<system>.<name>'"), and evaluation goes on; then "running flake checks" builds the
// checks of the current system only, with the usual Build activities. Exit 1 after evaluation errors
// only, 100 when a build failed. Apps are not evaluated by 2.8 (its checkApp is `#if 0`).
import { stripAnsi, type NixEvent } from "./activity.js";
import { arrivalClock, passThroughArgs, streamNix, type BuildRun, type NixSettings, type NixStreamOptions } from "./build.js";
import { nowNs } from "../clock.js";
import { BuildTracker, type BuildListener } from "./builds.js";
import { NIX_FEATURES } from "./command.js";

export interface EvalError {
  /** The attribute that failed (`checks.x86_64-linux.broken`), else the output, else "flake". */
  attr: string;
  /** The flake output being checked when it failed (`checks`), when known. */
  output?: string;
  /** nix's message, ANSI stripped, without the `error (ignored): ` prefix; traces included. */
  message: string;
  timeNs: bigint;
}

export interface OutputCheck {
  output: string;
  startNs: bigint;
  endNs?: bigint;
}

export function flakeCheckArgs(flake: string, s: NixSettings & { system?: string }): string[] {
  return [
    ...NIX_FEATURES,
    "flake",
    "check",
    // Names the failing attribute in every evaluation error (2.8 says only the error without it).
    "--show-trace",
    ...passThroughArgs(s),
    ...(s.system ? ["--system", s.system] : []),
    flake,
  ];
}

const IGNORED = "error (ignored): ";
const OUTPUT = /^checking flake output '(.+)'$/;
// flake.cc's own traces: "while checking the derivation 'A'", "… the NixOS module 'A'", "flake output 'A'".
const CHECKING = /while checking (?:the )?[^'\n]*'([^']+)'/;

/** The evaluation errors of a `nix flake check` stream, beside the builds its BuildTracker follows. */
export class FlakeCheckTracker {
  readonly builds: BuildTracker;
  readonly evalErrors: EvalError[] = [];
  readonly outputs: OutputCheck[] = [];
  /** nix's "evaluating flake" activity, holding the outputs' checks. */
  evaluating?: { startNs: bigint; endNs?: bigint };
  private evaluatingId?: number;
  private readonly open = new Map<number, OutputCheck>();

  constructor(
    listener: BuildListener = {},
    private readonly clock: () => bigint = nowNs,
  ) {
    this.builds = new BuildTracker(listener, clock);
  }

  handle(event: NixEvent): void {
    if (event.action === "start" && event.type === 0 && event.text === "evaluating flake") {
      this.evaluating = { startNs: this.clock() };
      this.evaluatingId = event.id;
      return;
    }
    if (event.action === "stop" && event.id === this.evaluatingId && this.evaluating) {
      this.evaluating.endNs = this.clock();
      return;
    }
    if (event.action === "start" && event.type === 0) {
      const match = OUTPUT.exec(event.text);
      if (match) {
        const output = { output: match[1] ?? "", startNs: this.clock() };
        this.outputs.push(output);
        this.open.set(event.id, output);
        return;
      }
    }
    if (event.action === "stop" && this.open.has(event.id)) {
      this.open.get(event.id)!.endNs = this.clock();
      this.open.delete(event.id);
      return;
    }
    if (event.action === "msg" && event.level === 0 && stripAnsi(event.msg).startsWith(IGNORED)) {
      const message = stripAnsi(event.msg).slice(IGNORED.length);
      const output = [...this.open.values()].at(-1)?.output;
      const attr = CHECKING.exec(message)?.[1] ?? output ?? "flake";
      this.evalErrors.push({ attr, ...(output !== undefined ? { output } : {}), message, timeNs: this.clock() });
      return;
    }
    this.builds.handle(event);
  }
}

export interface FlakeCheckRun extends BuildRun {
  flakeCheck: FlakeCheckTracker;
}

export async function flakeCheck(flake: string, options: NixStreamOptions): Promise<FlakeCheckRun> {
  const arrival = arrivalClock();
  const flakeCheck = new FlakeCheckTracker(options.listener, arrival.now);
  const run = await streamNix(
    flakeCheckArgs(flake, options.settings),
    flakeCheck.builds,
    (event) => flakeCheck.handle(event),
    options,
    arrival,
  );
  return { ...run, flakeCheck };
}

/** The error itself, without nix's `error: ` prefix and its `… while …` traces: a span's status message. */
export const headline = (message: string) => (message.split(/\n\s*\n\s*…/)[0] ?? message).replace(/^error: /, "").trim();
