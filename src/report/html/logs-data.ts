// The run's log records as the page's log viewer takes them (page-data.ts): per check, in the order
// they were printed, each line with the waterfall span it belongs to, cut in blocks per subtest.
import type { LogRecordData } from "../../logs/model.js";
import type { Trace } from "../../runs/read-trace.js";
import { ATTR } from "../../spans/vocabulary.js";
import type { CheckLogData, LogsData } from "./page-data.js";

const SEVERITY_LETTER = { INFO: "I", WARN: "W", ERROR: "E" } as const;

export function logsData(records: readonly LogRecordData[], trace: Trace | undefined): LogsData {
  const spanIndex = new Map((trace?.nodes ?? []).map((node, i) => [node.span.spanId, i]));
  const byCheck = new Map<string, CheckLogData>();
  for (const record of records) {
    const name = record.attributes[ATTR.taskName] ?? "";
    let check = byCheck.get(name);
    if (!check) byCheck.set(name, (check = { name, text: [], severity: "", span: [], blocks: [] }));
    const subtest = record.attributes[ATTR.subtest] ?? null;
    const last = check.blocks.at(-1);
    if (last && last.subtest === subtest) last.to += 1;
    else check.blocks.push({ subtest, from: check.text.length, to: check.text.length + 1 });
    check.text.push(record.body);
    check.severity += SEVERITY_LETTER[record.severity];
    check.span.push(spanIndex.get(record.spanId) ?? -1);
  }
  return { checks: [...byCheck.values()] };
}
