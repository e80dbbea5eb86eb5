// The rules every rendered Alloy configuration must keep (tests/nix/support/alloy-invariants.ts),
// checked on the renderer's output for every golden case and on the NixOS module evaluated with every
// option set the templates, the repository's NixOS tests, README and docs write.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evalJson, evalRaw, nixString, repoRoot } from "./nix-eval.js";
import { alloyProblems } from "./support/alloy-invariants.js";
import { evalModule, failedAssertions, stabilityLevelOf } from "./support/module-eval.js";
import { documentedOptionSets } from "./support/option-sets.js";

const lib = join(repoRoot, "modules/lib");
const cases = join(repoRoot, "tests/golden/alloy/cases.nix");

const receiver = `otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:4318" }
  output { traces = [otelcol.processor.batch.b.input] }
}`;
const batchTo = (consumers: string) => `otelcol.processor.batch "b" {\n  output { traces = [${consumers}] }\n}`;
const debug = (extra = "use_internal_logger = false") => `otelcol.exporter.debug "d" {\n  verbosity = "basic"\n  ${extra}\n}`;
const spanmetrics = `otelcol.connector.spanmetrics "m" {
  histogram { explicit { buckets = ["1s"] } }
  output { metrics = [otelcol.exporter.otlphttp.o.input] }
}
otelcol.exporter.otlphttp "o" { client { endpoint = "http://x" } }`;
const transform = (keys: string) => `otelcol.processor.transform "t" {
  trace_statements {
    context = "resource"
    statements = ["keep_keys(attributes, ${keys.replace(/"/g, '\\"')})"]
  }
  output { traces = [otelcol.connector.spanmetrics.m.input] }
}`;

describe("alloyProblems, the checker itself", () => {
  it("accepts a sound configuration", () => {
    const config = [
      receiver,
      batchTo("otelcol.exporter.debug.d.input, otelcol.processor.transform.t.input"),
      debug(),
      transform('["service.name"]'),
      spanmetrics,
    ];
    expect(alloyProblems(config.join("\n"), "experimental")).toEqual([]);
  });

  it("finds the empty consumer list the module's defaults rendered before (spans refused)", () => {
    expect(alloyProblems([receiver, batchTo("")].join("\n"), "generally-available")).toEqual([
      "otelcol.processor.batch.b receives traces but has no consumer for traces (output { traces = [] })",
    ]);
  });

  it("finds a debug exporter that prints through Alloy's logger", () => {
    const problems = alloyProblems([receiver, batchTo("otelcol.exporter.debug.d.input"), debug("")].join("\n"), "experimental");
    expect(problems).toEqual([expect.stringContaining("otelcol.exporter.debug.d logs through Alloy's logger")]);
  });

  it("finds span metrics fed spans whose resource was not normalised", () => {
    const direct = alloyProblems([receiver, batchTo("otelcol.connector.spanmetrics.m.input"), spanmetrics].join("\n"), "x");
    expect(direct).toEqual([expect.stringContaining("not normalised")]);
    const hostKept = [receiver, batchTo("otelcol.processor.transform.t.input"), transform('["service.name", "host.name"]'), spanmetrics];
    expect(alloyProblems(hostKept.join("\n"), "x")).toEqual([expect.stringContaining("run-varying resource key host.name")]);
  });

  it("follows logs to Loki and finds a relabel stage that forwards them to nothing, or a Loki exporter fed spans", () => {
    const logsTo = (relabelForward: string) => `otelcol.receiver.otlp "in" {
  http { endpoint = "127.0.0.1:4318" }
  output {
    traces = [otelcol.exporter.loki.l.input]
    logs = [otelcol.exporter.loki.l.input]
  }
}
otelcol.exporter.loki "l" { forward_to = [loki.relabel.r.receiver] }
loki.relabel "r" { forward_to = [${relabelForward}] }
loki.write "w" { endpoint { url = "http://loki" } }`;
    expect(alloyProblems(logsTo("loki.write.w.receiver"), "x")).toEqual(["otelcol.exporter.loki.l receives traces, but takes only logs"]);
    expect(alloyProblems(logsTo(""), "x")).toEqual([
      "otelcol.exporter.loki.l receives traces, but takes only logs",
      "loki.relabel.r forwards its log entries to nothing",
    ]);
  });

  it("finds an experimental component without the stability flag, and a reference to nothing", () => {
    const config = [receiver, batchTo("otelcol.exporter.debug.d.input, otelcol.exporter.otlp.missing.input"), debug()].join("\n");
    expect(alloyProblems(config, "generally-available")).toEqual([
      "otelcol.processor.batch.b sends traces to otelcol.exporter.otlp.missing.input, which is not a component's input",
      "otelcol.exporter.debug.d needs --stability.level=experimental, but Alloy runs at generally-available",
    ]);
  });
});

describe("every golden case, rendered", async () => {
  const names = (await evalJson(`builtins.attrNames (import ${cases})`)) as string[];
  it.each(names)("%s keeps every rule", async (name) => {
    const settings = `(import ${cases}).${nixString(name)}`;
    const config = await evalRaw(`import ${lib}/alloy-config.nix ${settings}`);
    const level = await evalRaw(`(import ${lib}/alloy-plan.nix ${settings}).stabilityLevel`);
    expect(alloyProblems(config, level)).toEqual([]);
  });
});

describe("the module, evaluated with the option sets users start from", async () => {
  const sets = await documentedOptionSets(repoRoot);

  it("finds those of the templates, the repository's NixOS tests and the docs", () => {
    const files = new Set(sets.map((s) => s.source.replace(/ #\d+$/, "")));
    for (const file of ["templates/otel_traced.nix", "templates/multi_node.nix", "tests/nixos/two-nodes.nix", "docs/module.md"])
      expect(files).toContain(file);
  });

  // A set without `enable` sits beside nixotel.tracedNode's collector = "local", which enables Alloy.
  it.each(sets)("$source passes the assertions and renders a config that keeps every rule", async ({ nix }) => {
    const enabled = `({ enable = true; } // ${nix})`;
    expect(await failedAssertions(enabled)).toEqual([]);
    const { configText, startScript } = await evalModule(enabled);
    expect(alloyProblems(configText, stabilityLevelOf(startScript))).toEqual([]);
  });
});
