// run --repeat on the page, as data for templates/report/repeat.hbs: per repeated check its pass rate
// with the 95% interval, the duration distribution of the check and of each subtest, and the flaky step.
import type { RunView } from "../../runs/read-view.js";
import { distributionText, passRateText } from "../repeat-text.js";

export function repeatView(view: RunView) {
  return view.checks.flatMap(({ record }) => {
    const repeat = record.repeat;
    if (!repeat) return [];
    return [
      {
        suite: record.suite,
        name: record.name,
        status: record.status,
        passRate: passRateText(repeat),
        durations: distributionText(repeat.durationMs),
        failures: repeat.failures.map((f) => ({
          subtest: f.subtest,
          count: f.repetitions.length,
          runs: repeat.runs,
          repetitions: f.repetitions.join(", "),
          errors: f.errors,
        })),
        subtests: repeat.subtests.map((s) => ({
          name: s.name,
          failed: s.failed,
          passed: `${s.runs - s.failed}/${s.runs}`,
          durations: distributionText(s.durationMs),
        })),
      },
    ];
  });
}
