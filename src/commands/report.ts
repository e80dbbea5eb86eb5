// `nixotel report RUN [--html FILE] [--open] [--out DIR]`: a finished run, in the terminal or as
// one offline HTML file.
import { dirname, isAbsolute, join } from "node:path";
import type { ReportOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { writeFileAtomic } from "../files.js";
import { desktopOpener, spawnDetached } from "../process.js";
import { type ExitCode } from "../errors.js";
import { collectRuns } from "../history/collect.js";
import { reportPage } from "../report/html/page.js";
import { summaryText } from "../report/summary-text.js";
import { resolveOutDir } from "../runs/files.js";
import { readRunRecord, resolveRun } from "../runs/read-run.js";
import { readRunSpans } from "../runs/read-spans.js";
import { readRunLogs } from "../runs/read-logs.js";
import { mergeRuns, traceIdsOf } from "../runs/merge-runs.js";
import { runView } from "../runs/read-view.js";

/** Opens the file in a browser when the machine can; never fails the command (the page is written). */
async function openFile(path: string, context: Context): Promise<void> {
  const opener = desktopOpener();
  const launch = await spawnDetached(opener, [path], context.env);
  if (launch.state === "exited") context.stderr(`opened ${path}\n`);
  else if (launch.state === "running") context.stderr(`asked ${opener} to open ${path}\n`);
  else context.stderr(`could not open it: ${launch.reason} (no browser here?); open ${path} yourself\n`);
}

export async function report(options: ReportOptions, context: Context): Promise<ExitCode> {
  const outDir = resolveOutDir(context.cwd, options.out);
  const folders = await Promise.all(options.runs.map((run) => resolveRun(run, context.cwd, outDir)));
  const runs = await Promise.all(folders.map(async (p) => ({ record: await readRunRecord(p.record), spans: await readRunSpans(p.spans) })));
  const { record, spans } = mergeRuns(runs);
  const view = runView(record, spans);
  const paths = folders[0]!; // at least one: yargs demands it
  if (!options.html && !options.open) {
    const traces = traceIdsOf(runs);
    // Shards without one shared TRACEPARENT: one report, but the backend has them as separate traces.
    if (traces.length > 1)
      context.stderr(
        `nixotel: these runs are ${traces.length} traces (${traces.join(", ")}); give the shards one TRACEPARENT to make them one\n`,
      );
    context.stdout(summaryText(view, folders.map((f) => f.spans).join(", ")));
    return 0;
  }
  // --open alone writes the page beside the run it shows.
  const html = options.html ?? join(paths.dir, "report.html");
  const target = isAbsolute(html) ? html : join(context.cwd, html);
  const logs = (await Promise.all(folders.map((f) => readRunLogs(f.logs)))).flatMap((records) => records ?? []);
  // History: the runs beside the reported one, in the out folder, and in --from folders.
  const history = await collectRuns(outDir, [...new Set([...folders.map((f) => dirname(f.dir)), ...options.from])], context.cwd, true);
  await writeFileAtomic(target, reportPage(view, history, logs));
  context.stdout(`${target}\n`);
  if (options.open) await openFile(target, context);
  return 0;
}
