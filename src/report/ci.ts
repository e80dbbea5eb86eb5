// What a CI shows besides the log, written after each run when its variables say where: GitHub's job
// summary ($GITHUB_STEP_SUMMARY) and annotations (GITHUB_ACTIONS=true), GitLab's collapsible sections
// (GITLAB_CI=true). A summary that cannot be written is said, never the run's failure.
import { appendFile } from "node:fs/promises";
import type { Context } from "../context.js";
import { isErrno } from "../files.js";
import type { RunRecord } from "../runs/record.js";
import { flakeFolder } from "../vcs.js";
import { githubAnnotations } from "./github-annotations.js";
import { githubSummary, type SummaryPlaces } from "./github-summary.js";
import { gitlabSections } from "./gitlab-sections.js";
import { testLocations } from "./test-files.js";

export async function writeCiReports(
  record: RunRecord,
  places: SummaryPlaces,
  context: Context,
  say: (text: string) => void,
): Promise<void> {
  const { env } = context;
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      await appendFile(summaryFile, githubSummary(record, places));
    } catch (error) {
      if (!isErrno(error, "ENOENT", "EACCES", "EISDIR", "EROFS", "ENOSPC", "ENOTDIR")) throw error;
      context.stderr(`nixotel: could not append the job summary to ${summaryFile}: ${(error as Error).message}\n`);
    }
  }
  const failed = record.checks.some((c) => c.status === "fail");
  if (env.GITHUB_ACTIONS === "true" && failed) {
    const flakeDir = flakeFolder(record.flake, context.cwd);
    const locations = flakeDir ? await testLocations(record.checks, flakeDir, env.GITHUB_WORKSPACE ?? context.cwd) : new Map();
    say(githubAnnotations(record, locations));
  }
  if (env.GITLAB_CI === "true" && failed) say(gitlabSections(record));
}
