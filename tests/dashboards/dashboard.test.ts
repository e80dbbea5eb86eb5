// dashboards/nixotel-tests.json: it parses, holds the panels the issue asks for, and every name its
// queries use is one the data has — metric and label names derived from the Alloy configuration
// that nixotel's module renders (real `nix eval` of modules/lib/alloy-config.nix), Loki labels from
// the documented log pipeline, TraceQL attributes from the span model.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { evalRaw, repoRoot } from "../nix/nix-eval.js";
import { otlpRecordLabels } from "../nix/support/loki-labels.js";
import { mixedRun } from "../report/support/scenario-mixed.js";
import { spanMetricsNames, type EmittedNames } from "./support/alloy-names.js";
import { dashboardQueries, logqlLabels, promqlNames, traceqlAttributes, type Query } from "./support/queries.js";

const dashboardFile = join(repoRoot, "dashboards", "nixotel-tests.json");
// The module's defaults for span metrics, sent by Prometheus remote write (the self-hosted path).
const moduleConfig = (dimensions = "") =>
  evalRaw(
    `import ${join(repoRoot, "modules/lib/alloy-config.nix")} { spanMetrics = { enable = true; remoteWriteUrl = "http://mimir:9009/api/v1/push"; ${dimensions} }; }`,
  );

let dashboard: Record<string, unknown>;
let queries: Query[];
let emitted: EmittedNames;
beforeAll(async () => {
  dashboard = JSON.parse(await readFile(dashboardFile, "utf8")) as Record<string, unknown>;
  queries = dashboardQueries(dashboard);
  emitted = spanMetricsNames(await moduleConfig());
});

describe("deriving names from the module's configuration", () => {
  it("finds the Prometheus names Alloy makes of the module's span metrics", () => {
    expect([...emitted.metrics].sort()).toEqual([
      "traces_span_metrics_calls_total",
      "traces_span_metrics_duration_seconds_bucket",
      "traces_span_metrics_duration_seconds_count",
      "traces_span_metrics_duration_seconds_sum",
    ]);
    expect(emitted.labels).toEqual(
      new Set([
        "job",
        "le",
        "service_name",
        "span_name",
        "span_kind",
        "status_code",
        "test_case_name",
        "test_case_result_status",
        "test_suite_name",
        "cicd_pipeline_task_type",
        "nix_cached",
        "cicd_pipeline_task_name",
        "nixotel_role",
        "nixos_test_action",
        "nixotel_flaky",
        "nixotel_attempt",
        "nixotel_quarantined",
      ]),
    );
  });

  it("follows the module when its dimensions change (so a stale dashboard fails this test)", async () => {
    const fewer = spanMetricsNames(await moduleConfig(`dimensions = [ "test.case.name" ];`));
    expect(fewer.labels.has("test_suite_name")).toBe(false);
    expect(fewer.labels.has("test_case_name")).toBe(true);
  });
});

describe("dashboards/nixotel-tests.json", () => {
  it("has Tempo, histogram_quantile and Loki panels, and service and suite variables", () => {
    const kinds = new Set(queries.map((q) => q.kind));
    expect(kinds).toEqual(new Set(["prometheus", "tempo", "loki"]));
    expect(queries.some((q) => q.kind === "prometheus" && /histogram_quantile\(0\.95,/.test(q.text))).toBe(true);
    expect(queries.some((q) => q.kind === "tempo" && q.text.includes("status = error"))).toBe(true);
    const variables = (dashboard.templating as { list: { name: string }[] }).list.map((v) => v.name);
    expect(variables).toEqual(expect.arrayContaining(["service", "suite"]));
  });

  it("uses only metric and label names the module's span metrics have", () => {
    const prometheus = queries.filter((q) => q.kind === "prometheus");
    expect(prometheus.length).toBeGreaterThan(5);
    for (const query of prometheus) {
      const names = promqlNames(query.text);
      expect(names.metrics.length, `${query.panel}: no metric`).toBeGreaterThan(0);
      for (const metric of names.metrics) expect(emitted.metrics, `${query.panel}: ${metric}`).toContain(metric);
      for (const label of names.labels) expect(emitted.labels, `${query.panel}: label ${label}`).toContain(label);
    }
  });

  it("uses only Loki labels the module's log paths (logs.lokiUrl) set: the journal's and the OTLP records'", async () => {
    const pipeline = await evalRaw(
      `import ${join(repoRoot, "modules/lib/alloy-config.nix")} { logs.lokiUrl = "http://loki:3100/loki/api/v1/push"; }`,
    );
    const journal = /loki\.relabel "nixotel_journal" \{[\s\S]*?\n\}\n\nloki\.source\.journal "nixotel" \{[\s\S]*?\n\}/.exec(pipeline)![0];
    const record = {
      resource: { "service.name": "s", "host.name": "h" },
      attributes: { "cicd.pipeline.task.name": "c" },
      severityNumber: 9,
    };
    const set = new Set([
      ...[...journal.matchAll(/target_label\s*=\s*"(\w+)"/g), ...journal.matchAll(/labels\s*=\s*\{\s*(\w+)\s*=/g)].map((m) => m[1]!),
      ...Object.keys(otlpRecordLabels(pipeline, record)),
    ]);
    const loki = queries.filter((q) => q.kind === "loki");
    expect(loki.length).toBeGreaterThan(0);
    for (const query of loki) for (const label of logqlLabels(query.text)) expect(set, `${query.panel}: ${label}`).toContain(label);
  });

  // Subtests, the prelude's inner test span and emitter spans carry test.case.* too: a panel about
  // tests (checks) must select the check spans, or one failing check counts several times.
  it("selects test checks (cicd.pipeline.task.type = test) in every test-level query", () => {
    const subtestPanel = (q: Query) => /subtest/i.test(q.panel);
    const testLevel = queries.filter(
      (q) => !subtestPanel(q) && (q.kind === "prometheus" ? /\btest_(case|suite)_/.test(q.text) : /\bspan\.test\./.test(q.text)),
    );
    expect(testLevel.map((q) => q.panel)).toEqual(expect.arrayContaining(["Pass rate", "p95 test duration", "variable suite"]));
    for (const query of testLevel) {
      const filter = query.kind === "prometheus" ? /cicd_pipeline_task_type="test"/ : /span\.cicd\.pipeline\.task\.type = "test"/;
      expect(query.text, query.panel).toMatch(filter);
    }
    const subtestQueries = queries.filter(subtestPanel);
    expect(subtestQueries.length).toBeGreaterThan(0); // the subtest panels exist, so this loop checks something
    for (const query of subtestQueries) expect(query.text, query.panel).toMatch(/subtest/);
  });

  it("leaves cached checks (re-exported by every run) out of the results", () => {
    const results = queries.filter(
      (q) => q.kind === "prometheus" && /cicd_pipeline_task_type="test"/.test(q.text) && !q.panel.startsWith("variable"),
    );
    expect(results.length).toBeGreaterThanOrEqual(4);
    for (const query of results) {
      const selectors = [...query.text.matchAll(/traces_span_metrics_\w+\{([^}]*)\}/g)].map((m) => m[1]!);
      expect(selectors.length, query.panel).toBeGreaterThan(0);
      for (const selector of selectors) expect(selector, query.panel).toContain('nix_cached!="true"');
    }
  });

  it("gives every variable a LogQL query uses an All value Loki accepts (one matcher must match non-empty)", () => {
    const variables = new Map((dashboard.templating as { list: Record<string, unknown>[] }).list.map((v) => [String(v.name), v]));
    const loki = queries.filter((q) => q.kind === "loki");
    for (const name of new Set(loki.flatMap((q) => [...q.text.matchAll(/\$(\w+)/g)].map((m) => m[1]!)))) {
      const variable = variables.get(name);
      if (variable?.includeAll) expect(variable.allValue, `$${name}`).toBe(".+");
    }
    expect(loki.some((q) => q.text.includes("$unit"))).toBe(true);
  });

  it("lists slow tests by a duration threshold, not a claimed sort", () => {
    const slow = queries.find((q) => q.kind === "tempo" && /duration > \$min_duration/.test(q.text));
    expect(slow?.panel).toMatch(/most recent first/);
    const variables = (dashboard.templating as { list: { name: string }[] }).list.map((v) => v.name);
    expect(variables).toContain("min_duration");
    expect(queries.some((q) => /sort by duration/i.test(q.panel))).toBe(false);
  });

  it("filters Tempo on attributes that nixotel's spans carry", () => {
    const { spans } = mixedRun();
    const have = new Set(
      spans.flatMap((s) => [
        ...Object.keys(s.attributes).map((k) => `span.${k}`),
        ...Object.keys(s.resource ?? {}).map((k) => `resource.${k}`),
      ]),
    );
    have.add("resource.service.name"); // the run's resource, added at export
    for (const query of queries.filter((q) => q.kind === "tempo")) {
      for (const attribute of traceqlAttributes(query.text)) expect(have, `${query.panel}: ${attribute}`).toContain(attribute);
    }
  });
});
