// `nixotel history [CHECK…]`: each check across recorded runs (.nixotel/runs and --from folders).
import type { HistoryOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import type { ExitCode } from "../errors.js";
import { analyseHistory } from "../history/analyse.js";
import { collectRuns } from "../history/collect.js";
import { historyText } from "../history/format.js";
import { resolveOutDir } from "../runs/files.js";

export async function history(options: HistoryOptions, context: Context): Promise<ExitCode> {
  const runs = await collectRuns(resolveOutDir(context.cwd, options.out), options.from, context.cwd);
  const histories = analyseHistory(runs, options.checks, options.last);
  const shown = options.last === undefined ? runs.length : Math.min(options.last, runs.length);
  context.stdout(options.json ? `${JSON.stringify({ runs: shown, checks: histories }, null, 2)}\n` : historyText(histories, shown));
  return 0;
}
