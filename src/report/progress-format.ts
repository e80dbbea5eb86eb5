// The words of the live progress: one redrawn line on a terminal, plain lines in CI logs.
// Pure functions of what the build stream said, so they are tested without nix.
import type { BuildActivity } from "../nix/builds.js";
import { plain } from "./plain.js";

export const DEFAULT_WIDTH = 100;

/** What the terminal line shows of the build heard from last. */
export interface LiveBuild {
  label: string;
  startNs: bigint;
  phase?: string;
  /** The latest `subtest: NAME` line the driver printed. */
  subtest?: string;
}

export const seconds = (ns: bigint) => `${(Number(ns / 1_000_000n) / 1000).toFixed(1)}s`;

/** Cut to `width` columns (code points), marking the cut; a line as wide as the terminal would wrap. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  const room = Math.max(1, width - 1);
  return chars.length <= room ? text : `${chars.slice(0, room - 1).join("")}…`;
}

/** `building CHECK · PHASE · subtest: NAME · 12.3s (+1 more) · 2 built`, cut to the width. */
export function liveLine(current: LiveBuild | undefined, others: number, built: number, nowNs: bigint, width: number): string {
  if (!current) return fit(`waiting for nix · ${built} built`, width);
  const parts = [
    `building ${plain(current.label)}`,
    ...(current.phase ? [plain(current.phase)] : []),
    ...(current.subtest !== undefined ? [`subtest: ${plain(current.subtest)}`] : []),
    `${seconds(nowNs - current.startNs)}${others > 0 ? ` (+${others} more)` : ""}`,
    `${built} built`,
  ];
  return fit(parts.join(" · "), width);
}

const on = (build: BuildActivity) => (build.machine ? ` on ${build.machine}` : "");

export const startedLine = (label: string, build: BuildActivity) => `building ${plain(label)}${on(build)}\n`;

export function finishedLine(label: string, build: BuildActivity): string {
  const took = seconds((build.endNs ?? build.startNs) - build.startNs);
  return build.failed ? `failed ${plain(label)} after ${took}\n` : `finished ${plain(label)} in ${took}\n`;
}

export const subtestLine = (label: string, subtest: string) => `${plain(label)}: subtest: ${plain(subtest)}\n`;
