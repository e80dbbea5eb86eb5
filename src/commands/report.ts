// `nixotel report RUN [--html FILE] [--open] [--out DIR]`: a finished run, in the terminal or as
// one offline HTML file.
import { isAbsolute, join } from "node:path";
import type { ReportOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { writeFileAtomic } from "../files.js";
import { desktopOpener, spawnDetached } from "../process.js";
import { type ExitCode } from "../errors.js";
import { reportPage } from "../report/html/page.js";
import { summaryText } from "../report/summary-text.js";
import { resolveOutDir } from "../runs/files.js";
import { readRunRecord, resolveRun } from "../runs/read-run.js";
import { readRunSpans } from "../runs/read-spans.js";
import { runView } from "../runs/read-view.js";

/** Opens the file in a browser when the machine has an opener; never fails the command. */
async function openFile(path: string, context: Context): Promise<void> {
  const opener = desktopOpener();
  if (await spawnDetached(opener, [path], context.env)) context.stderr(`opened ${path}\n`);
  else context.stderr(`no browser opener (${opener}) found; open ${path} yourself\n`);
}

export async function report(options: ReportOptions, context: Context): Promise<ExitCode> {
  const outDir = resolveOutDir(context.cwd, options.out);
  const paths = await resolveRun(options.run, context.cwd, outDir);
  const record = await readRunRecord(paths.record);
  const spans = await readRunSpans(paths.spans);
  const view = runView(record, spans);
  if (!options.html && !options.open) {
    context.stdout(summaryText(view, paths.spans));
    return 0;
  }
  // --open alone writes the page beside the run it shows.
  const html = options.html ?? join(paths.dir, "report.html");
  const target = isAbsolute(html) ? html : join(context.cwd, html);
  await writeFileAtomic(target, reportPage(view));
  context.stdout(`${target}\n`);
  if (options.open) await openFile(target, context);
  return 0;
}
