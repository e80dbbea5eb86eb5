// `nixotel run` asks nix for its checks first and loads the rest of the pipeline while nix evaluates
// (issue 14: the first nix call soon after start, the first progress line at once). This module
// imports only what that first call needs; src/commands/run.ts hands the discovery to the pipeline.
import type { Clock } from "../clock.js";
import type { Context } from "../context.js";
import { discoverChecksOf, type Discovered } from "../nix/checks.js";
import { evalArgs } from "../nix/store-args.js";
import { evaluatingText, stepProgress, type StepProgress } from "../report/step-progress.js";
import type { BuildSettings } from "./request.js";

export interface EarlyDiscovery {
  /** What was asked: the run keeps this discovery only if its request asks the same. */
  request: DiscoveryRequest;
  startNs: bigint;
  steps: StepProgress;
  discovering: Promise<Discovered & { system: string }>;
  /** Stops nix's evaluation: the run ended (a bad nixotel.json, no flake.nix) before it was wanted. */
  cancel(): void;
}

export type DiscoveryRequest = BuildSettings & { checks: readonly string[] };

/** What discovery asks nix: the request's flake, system, checks and stores. */
export const discoveryOf = (request: DiscoveryRequest) => ({
  flake: request.flake,
  system: request.system,
  names: request.checks,
  evalArgs: evalArgs(request),
});

export function startDiscovery(request: DiscoveryRequest, context: Context, clock: Clock): EarlyDiscovery {
  const startNs = clock();
  const steps = stepProgress(context);
  steps.say(evaluatingText(request.flake));
  const stop = new AbortController();
  const discovering = discoverChecksOf(discoveryOf(request), { cwd: context.cwd, env: context.env, signal: stop.signal });
  // Its failure is reported where the pipeline awaits it; until then (and when the run ends before
  // that) Node must not call the rejection unhandled.
  discovering.catch(() => undefined);
  return { request, startNs, steps, discovering, cancel: () => stop.abort() };
}

/** Whether a discovery started for `started` answers `wanted` too (the same nix call). */
export function asksTheSame(started: DiscoveryRequest, wanted: DiscoveryRequest): boolean {
  return JSON.stringify(discoveryOf(started)) === JSON.stringify(discoveryOf(wanted));
}
