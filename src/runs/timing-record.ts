// run.json's `timing`: the run's critical path and how busy the build slots were (src/timing).
// Times are ms from the run's start. Optional in run.json, so records written before it stay valid.
import { z } from "zod";

const ms = z.number().nonnegative();

export const WAIT_REASONS = ["evaluation", "slot", "substitution", "nix", "after"] as const;

const pathStep = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("build"),
    name: z.string().describe("The check's name, or the derivation's name for a dependency"),
    drvPath: z.string(),
    check: z.boolean().describe("The derivation is a check's own"),
    startMs: ms,
    durationMs: ms,
  }),
  z.strictObject({
    kind: z.literal("wait"),
    reason: z
      .enum(WAIT_REASONS)
      .describe(
        "evaluation: before nix could build; slot: every --max-jobs slot taken; substitution; nix: nix's own work; after: after the last build",
      ),
    startMs: ms,
    durationMs: ms,
  }),
]);

export const criticalPathRecord = z.strictObject({
  edges: z
    .enum(["derivations", "unknown"])
    .describe("derivations: the built .drv files' references; unknown: they could not be read, the path is the last build alone"),
  edgesProblem: z.string().optional().describe("Why the edges could not be read"),
  steps: z.array(pathStep).describe("From the run's start to its end, first to last"),
  pathMs: ms.describe("From the run's start to the end of the path's last build"),
  wallMs: ms,
});

export const slotsRecord = z.strictObject({
  maxJobs: z.number().int().nonnegative().nullable().describe("Local build slots nix had (--max-jobs, resolved by nix); null when unknown"),
  maxJobsFrom: z.enum(["--max-jobs", "nix"]).describe("--max-jobs: the run's flag; nix: nix's configuration or default"),
  maxJobsProblem: z.string().optional().describe("Why nix's max-jobs could not be read"),
  fromMs: ms.describe("When nix began building"),
  toMs: ms.describe("When the last local build ended"),
  allBusyMs: ms.describe("How long every slot was taken"),
  meanRunning: z.number().nonnegative().describe("Local builds running on average over fromMs..toMs"),
  peak: z.number().int().nonnegative(),
  steps: z.array(z.tuple([ms, z.number().int().nonnegative()])).describe("[atMs, running builds] wherever the count changed"),
  remoteBuilds: z.number().int().nonnegative().describe("Builds on remote builders: they hold no local slot"),
});

export const timingRecord = z.strictObject({
  criticalPath: criticalPathRecord.optional().describe("Absent when nothing was built (every check cached)"),
  slots: slotsRecord.optional().describe("Absent when nothing was built on this machine"),
});

export type TimingRecord = z.infer<typeof timingRecord>;
export type CriticalPathRecord = z.infer<typeof criticalPathRecord>;
export type SlotsRecord = z.infer<typeof slotsRecord>;
export type WaitReason = (typeof WAIT_REASONS)[number];
