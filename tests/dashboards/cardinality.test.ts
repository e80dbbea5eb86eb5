// The module's span metrics keep one series per test, verb and outcome, not per run: the series a run
// makes (label sets the spanmetrics connector would form, with the module's rendered dimensions and the
// resource cut its transform makes) are counted, and a second run that differs in everything per-run
// (run id, host, commit, drv paths, action targets, trace ids) must add none.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ATTR, Role, TASK_TYPE } from "../../src/spans/vocabulary.js";
import { evalJson, evalRaw, repoRoot } from "../nix/nix-eval.js";
import { parseAlloy, stringList } from "../nix/support/alloy-parse.js";

type Attributes = Record<string, string | number | boolean>;
interface MetricSpan {
  name: string;
  attributes: Attributes;
  error?: boolean;
}

const VERBS = ["boot", "wait_for_unit", "wait_for_open_port", "succeed", "wait_until_succeeds", "shutdown"];
const CHECKS = ["nginx-startup", "postgres-replication", "flaky-login"];

/** One `nixotel run --retries 1` of three checks, each with driver actions; `run` varies every per-run value. */
function runSpans(run: number): { resource: Attributes; spans: MetricSpan[] } {
  const resource = { [ATTR.serviceName]: "nixos-integration-tests", [ATTR.hostName]: `ci-${run}`, [ATTR.vcsRevision]: `rev${run}` };
  const spans: MetricSpan[] = [{ name: "nixotel run", attributes: { [ATTR.role]: Role.run, [ATTR.pipelineRunId]: `run-${run}` } }];
  for (const check of CHECKS) {
    const flaky = check === "flaky-login";
    spans.push({
      name: `test.${check}.${check}`,
      attributes: {
        [ATTR.role]: Role.check,
        [ATTR.testCaseName]: check,
        [ATTR.testSuiteName]: check,
        [ATTR.taskName]: check,
        [ATTR.taskType]: TASK_TYPE.test,
        [ATTR.testCaseResult]: "pass",
        [ATTR.nixCached]: false,
        [ATTR.nixDrvPath]: `/nix/store/${run}abc-vm-test-run-${check}.drv`,
        ...(flaky ? { [ATTR.flaky]: true, [ATTR.attempts]: 2 } : {}),
      },
    });
    for (const attempt of flaky ? [1, 2] : [0])
      spans.push({
        name: `build vm-test-run-${check}`,
        attributes: {
          [ATTR.role]: Role.build,
          [ATTR.taskType]: TASK_TYPE.build,
          [ATTR.nixDrvPath]: `/nix/store/${run}abc-vm-test-run-${check}.drv`,
          ...(attempt ? { [ATTR.attempt]: attempt } : {}),
        },
        error: attempt === 1,
      });
    VERBS.forEach((verb, i) =>
      spans.push({
        name: verb,
        attributes: {
          [ATTR.role]: Role.action,
          [ATTR.action]: verb,
          [ATTR.actionTarget]: `curl -sf http://localhost:${8000 + run}/item/${i}`,
          [ATTR.machine]: "server",
          [ATTR.taskName]: check,
          [ATTR.nixCached]: false,
        },
      }),
    );
  }
  return { resource, spans };
}

/** The label sets the connector forms: service, span name, kind, status, then each present dimension. */
function seriesOf(config: string, runs: ReturnType<typeof runSpans>[]): Set<string> {
  const blocks = parseAlloy(config);
  const connector = blocks.find((b) => b.name === "otelcol.connector.spanmetrics")!;
  const dimensions = connector.blocks.filter((b) => b.name === "dimension").map((b) => JSON.parse(b.attributes.get("name")!) as string);
  const statements = blocks.find((b) => b.name === "otelcol.processor.transform")!.blocks[0]!.attributes.get("statements")!;
  const kept = JSON.parse(/keep_keys\(attributes, (\[.*\])\)/.exec(stringList(statements)[0]!)![1]!) as string[];
  const series = new Set<string>();
  for (const { resource, spans } of runs)
    for (const span of spans) {
      const labels: Attributes = Object.fromEntries(kept.filter((k) => k in resource).map((k) => [k, resource[k]!]));
      Object.assign(labels, { span_name: span.name, span_kind: "SPAN_KIND_INTERNAL", status: span.error ? "ERROR" : "UNSET" });
      for (const name of dimensions) if (span.attributes[name] !== undefined) labels[name] = span.attributes[name];
      series.add(JSON.stringify(labels));
    }
  return series;
}

const renderer = join(repoRoot, "modules/lib/alloy-config.nix");
const configWith = (dimensions?: string[]) =>
  evalRaw(
    `import ${renderer} { spanMetrics = { enable = true; remoteWriteUrl = "http://m"; ${
      dimensions ? `dimensions = [ ${dimensions.map((d) => JSON.stringify(d)).join(" ")} ];` : ""
    } }; }`,
  );

let config: string;
beforeAll(async () => {
  config = await configWith();
});

describe("span-metric series of the module's default dimensions", () => {
  it("are one per check, build attempt and driver verb of a run, and a second run adds none", () => {
    const first = seriesOf(config, [runSpans(1)]);
    // run span + per check: check span, its build(s), one series per verb.
    expect(first.size).toBe(1 + CHECKS.length * (1 + VERBS.length) + 1 + 1 + 2);
    expect(seriesOf(config, [runSpans(1), runSpans(2), runSpans(3)])).toEqual(first);
  });

  it("would grow with every run if an action's target were a dimension (so the count above can fail)", async () => {
    const defaults = (await evalJson(`(import ${join(repoRoot, "modules/lib/constants.nix")}).spanMetricDimensions`)) as string[];
    const dimensions = [...defaults, ATTR.actionTarget];
    const unsafe = await configWith(dimensions);
    const one = seriesOf(unsafe, [runSpans(1)]).size;
    expect(seriesOf(unsafe, [runSpans(1), runSpans(2)]).size).toBe(one + CHECKS.length * VERBS.length);
  });
});
