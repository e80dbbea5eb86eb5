// The dashboard's flaky/retry, driver-action and check-logs panels against what produces their data:
// span-metric labels from the module's rendered config (real `nix eval`), traced back to the attribute
// names nixotel's spans carry (src/spans/vocabulary.ts), and Loki labels from the rendered log path.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ATTR, Role } from "../../src/spans/vocabulary.js";
import { evalRaw, repoRoot } from "../nix/nix-eval.js";
import { otlpRecordLabels } from "../nix/support/loki-labels.js";
import { normalizeLabel, spanMetricsNames, type EmittedNames } from "./support/alloy-names.js";
import { dashboardQueries, logqlLabels, promqlNames, type Query } from "./support/queries.js";

const renderer = join(repoRoot, "modules/lib/alloy-config.nix");
let queries: Query[];
let emitted: EmittedNames;
let logLabels: Set<string>;
beforeAll(async () => {
  const dashboard = JSON.parse(await readFile(join(repoRoot, "dashboards/nixotel-tests.json"), "utf8")) as Record<string, unknown>;
  queries = dashboardQueries(dashboard);
  emitted = spanMetricsNames(await evalRaw(`import ${renderer} { spanMetrics = { enable = true; remoteWriteUrl = "http://m"; }; }`));
  // A build-log record carrying every attribute the logs exporter sets, through the module's Loki path.
  const config = await evalRaw(`import ${renderer} { logs.lokiUrl = "http://loki:3100/loki/api/v1/push"; }`);
  const record = {
    resource: { [ATTR.serviceName]: "nixos-integration-tests", [ATTR.hostName]: "ci-1" },
    attributes: { [ATTR.taskName]: "nginx", [ATTR.machine]: "server", [ATTR.subtest]: "boots" },
    severityNumber: 9,
  };
  logLabels = new Set(Object.keys(otlpRecordLabels(config, record)));
});

const panel = (title: RegExp) => {
  const found = queries.filter((q) => title.test(q.panel));
  expect(found.length, String(title)).toBeGreaterThan(0);
  return found;
};

describe("span-metric labels the dashboard uses", () => {
  it("are each a connector default or the sanitised name of an attribute nixotel's spans carry", () => {
    const fromVocabulary = new Set(Object.values(ATTR).map(normalizeLabel));
    const connector = new Set(["service_name", "span_name", "span_kind", "status_code", "le", "job"]);
    for (const query of queries.filter((q) => q.kind === "prometheus"))
      for (const label of promqlNames(query.text).labels)
        expect(connector.has(label) || fromVocabulary.has(label), `${query.panel}: ${label}`).toBe(true);
  });

  it("never include a driver action's target, the command text or unit it acted on", () => {
    expect(emitted.labels.has(normalizeLabel(ATTR.actionTarget))).toBe(false);
    for (const query of queries) expect(query.text, query.panel).not.toMatch(/action[._]target/);
  });
});

describe("flaky checks and retries", () => {
  it("charts the flaky rate per test from check spans marked nixotel.flaky", () => {
    const [rate] = panel(/^Flaky rate by test/);
    expect(rate!.text).toContain(`${normalizeLabel(ATTR.flaky)}="true"`);
    expect(rate!.text).toMatch(/sum by \(test_case_name\)[\s\S]*\/ sum by \(test_case_name\)/);
  });

  it("counts retries as builds after the first attempt, per run span", () => {
    const [retries] = panel(/^Retries per run$/);
    expect(retries!.text).toContain(`${normalizeLabel(ATTR.attempt)}!~"|1"`);
    expect(retries!.text).toContain(`${normalizeLabel(ATTR.role)}="${Role.build}"`);
    expect(retries!.text).toContain(`${normalizeLabel(ATTR.role)}="${Role.run}"`);
  });

  it("lists quarantined checks by result", () => {
    const [quarantined] = panel(/^Quarantined checks/);
    expect(quarantined!.text).toContain(`${normalizeLabel(ATTR.quarantined)}="true"`);
    expect(promqlNames(quarantined!.text).labels).toContain("test_case_result_status");
  });
});

describe("driver actions", () => {
  it("give p95 durations per verb and per check and verb, from action spans only", () => {
    const verb = normalizeLabel(ATTR.action);
    const [byVerb] = panel(/^p95 driver action duration by verb$/);
    const [byCheck] = panel(/^p95 driver action duration by check and verb/);
    for (const query of [byVerb!, byCheck!]) {
      expect(query.text).toMatch(/histogram_quantile\(0\.95,/);
      expect(query.text).toContain(`${normalizeLabel(ATTR.role)}="${Role.action}"`);
      expect(query.text).toContain(verb);
    }
    expect(byCheck!.text).toContain(`by (le, ${normalizeLabel(ATTR.taskName)}, ${verb})`);
  });
});

describe("check logs beside their trace", () => {
  it("the module's Loki path gives build-log records the labels the journal path uses", () => {
    expect(logLabels).toEqual(new Set(["service_name", "host", "check", "level"]));
  });

  it("the check-logs panel selects by those labels, keeps the trace id in the line, and has a trace table beside it", () => {
    const [logs] = panel(/^Check logs/);
    for (const label of logqlLabels(logs!.text)) expect(logLabels, label).toContain(label);
    expect(logqlLabels(logs!.text)).toContain("check");
    expect(logs!.text).toContain("traceid={{.traceid}}");
    const [traces] = panel(/^Runs of the check/);
    expect(traces!.kind).toBe("tempo");
    expect(traces!.text).toContain(`span.${ATTR.taskName} =~ "$check"`);
  });
});
