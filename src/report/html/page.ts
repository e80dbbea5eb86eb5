// The report as one self-contained HTML file: inline style and scripts, data as embedded JSON, no
// network and no external asset, so it can be mailed, archived as a CI artifact or opened offline.
import { readFileSync } from "node:fs";
import type { RunView } from "../../runs/read-view.js";
import { VERSION } from "../../version.js";
import { ROLE_LABELS, checksView, failuresView, slowestView } from "./checks-view.js";
import { renderPage, trusted } from "./engine.js";
import { headerView } from "./header-view.js";
import { historyView } from "./history-view.js";
import { repeatView } from "./repeat-view.js";
import type { RunRecord } from "../../runs/record.js";
import { timeView } from "./time-view.js";
import { pageScripts } from "./page-scripts.js";
import { timingView } from "./timing-view.js";
import { waterfallData } from "./waterfall-data.js";
import { logsData } from "./logs-data.js";
import type { LogRecordData } from "../../logs/model.js";
import { criticalDrvPaths } from "../../spans/critical-path-mark.js";
import { packageFile } from "../../package-files.js";

const STYLES = readFileSync(packageFile("templates/report/styles.css"), "utf8");
const LEGEND = Object.entries(ROLE_LABELS).map(([role, label]) => ({ role, label }));

/** The page of one run; `history`: other recorded runs (any order), for the history section; `logs`: the
 * run's log records (logs.jsonl), when it has any. */
export function reportPage(view: RunView, history: readonly RunRecord[] = [], logs?: readonly LogRecordData[]): string {
  const { waterfall, scrollLogs, logs: logViewer } = pageScripts();
  const logPage = logs?.length ? logsData(logs, view.trace) : undefined;
  return renderPage({
    header: headerView(view),
    scriptHashes: trusted([scrollLogs.cspHash, waterfall.cspHash, ...(logPage ? [logViewer.cspHash] : [])].join(" ")),
    styles: trusted(STYLES),
    failures: failuresView(view),
    scrollLogsScript: trusted(scrollLogs.source),
    trace: view.trace
      ? {
          legend: LEGEND,
          data: waterfallData(view.trace, criticalDrvPaths(view.record.timing?.criticalPath)),
          script: trusted(waterfall.source),
        }
      : null,
    logs: logPage
      ? {
          data: logPage,
          options: logPage.checks.map((c, index) => ({ index, name: c.name, lines: c.text.length })),
          script: trusted(logViewer.source),
        }
      : null,
    timing: timingView(view),
    checks: checksView(view),
    repeated: repeatView(view),
    history: historyView(view.record, history),
    slowest: slowestView(view),
    time: timeView(view),
    version: VERSION,
  });
}
