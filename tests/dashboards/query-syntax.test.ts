// Every PromQL, TraceQL and LogQL query of the dashboard and of docs/grafana.md parses with the real
// grammars: the Lezer parsers Prometheus and Grafana ship for their own query editors.
// They are dev dependencies (@prometheus-io/lezer-promql, @grafana/lezer-traceql, @grafana/lezer-logql).
import { readFile } from "node:fs/promises";
import { parser as logql } from "@grafana/lezer-logql";
import { parser as traceql } from "@grafana/lezer-traceql";
import { parser as promql } from "@prometheus-io/lezer-promql";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../nix/nix-eval.js";
import { dashboardQueries, type Query } from "./support/queries.js";

interface LezerParser {
  parse(text: string): { iterate(spec: { enter(node: { type: { isError: boolean }; from: number }): void }): void };
}
type Kind = Query["kind"];
const parsers: Record<Kind, LezerParser> = { prometheus: promql, tempo: traceql, loki: logql };
const FENCES: Record<string, Kind> = { promql: "prometheus", traceql: "tempo", logql: "loki" };

/** Offsets of the parse errors in `text` (empty when it parses). */
function syntaxErrors(kind: Kind, text: string): number[] {
  const errors: number[] = [];
  parsers[kind].parse(text).iterate({ enter: (node) => void (node.type.isError && errors.push(node.from)) });
  return errors;
}

// What Grafana substitutes before the query reaches the backend; other variables sit inside strings.
const SAMPLE_VALUES: Record<string, string> = { __range: "1h", __rate_interval: "5m", min_duration: "1m" };
const interpolate = (text: string) => text.replace(/\$(\w+)/g, (whole, name: string) => SAMPLE_VALUES[name] ?? whole);
// A Grafana variable query `label_values(SELECTOR, label)`: the selector is PromQL.
const withoutLabelValues = (text: string) => /^label_values\((.*),\s*\w+\s*\)$/s.exec(text)?.[1] ?? text;

/** Queries in ```promql / ```traceql / ```logql blocks: `#` lines are comments, a blank line ends a query. */
function documentedQueries(markdown: string, file: string): Query[] {
  return [...markdown.matchAll(/^```(promql|traceql|logql)\n([\s\S]*?)^```/gm)].flatMap((block) =>
    block[2]!
      .split(/\n\s*\n/)
      .map((chunk) =>
        chunk
          .split("\n")
          .filter((line) => !line.trimStart().startsWith("#"))
          .join("\n")
          .trim(),
      )
      .filter(Boolean)
      .map((text) => ({ kind: FENCES[block[1]!]!, panel: file, text })),
  );
}

let queries: Query[];
beforeAll(async () => {
  const dashboard = JSON.parse(await readFile(join(repoRoot, "dashboards/nixotel-tests.json"), "utf8")) as Record<string, unknown>;
  queries = [
    ...dashboardQueries(dashboard),
    ...documentedQueries(await readFile(join(repoRoot, "docs/grafana.md"), "utf8"), "docs/grafana.md"),
  ];
});

describe("query syntax (Lezer grammars of Prometheus and Grafana)", () => {
  it("rejects a broken query of each language (the check can fail)", () => {
    expect(syntaxErrors("prometheus", "sum by (le (rate(x[5m]))")).not.toEqual([]);
    expect(syntaxErrors("tempo", '{ span.a = "x" && }')).not.toEqual([]);
    expect(syntaxErrors("loki", '{unit=~} |~ "x"')).not.toEqual([]);
  });

  it("finds queries of every language in the dashboard and the docs", () => {
    for (const kind of Object.keys(parsers) as Kind[]) {
      expect(
        queries.some((q) => q.kind === kind && q.panel === "docs/grafana.md"),
        `docs: ${kind}`,
      ).toBe(true);
      expect(
        queries.some((q) => q.kind === kind && q.panel !== "docs/grafana.md"),
        `dashboard: ${kind}`,
      ).toBe(true);
    }
  });

  it("parses every query", () => {
    for (const query of queries) {
      const text = interpolate(withoutLabelValues(query.text));
      expect(syntaxErrors(query.kind, text), `${query.panel}: ${text}`).toEqual([]);
    }
  });
});
