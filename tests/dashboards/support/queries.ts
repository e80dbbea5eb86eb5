// Pulls the queries out of a Grafana dashboard and the names they use: metric and label names of
// PromQL, label names of LogQL stream selectors, attributes of TraceQL.

type Json = Record<string, unknown>;
export interface Query {
  kind: "prometheus" | "tempo" | "loki";
  panel: string;
  text: string;
}

const DATASOURCE_KINDS = ["prometheus", "tempo", "loki"] as const;
const kindOf = (datasource: unknown) => DATASOURCE_KINDS.find((k) => (datasource as Json | undefined)?.type === k);

export function dashboardQueries(dashboard: Json): Query[] {
  const queries: Query[] = [];
  const panels = (dashboard.panels as Json[]).flatMap((p) => [p, ...((p.panels as Json[] | undefined) ?? [])]);
  for (const panel of panels) {
    for (const target of (panel.targets as Json[] | undefined) ?? []) {
      const kind = kindOf(target.datasource ?? panel.datasource);
      const text = (target.expr ?? target.query) as string | undefined;
      if (kind && text) queries.push({ kind, panel: String(panel.title), text });
    }
  }
  for (const variable of ((dashboard.templating as Json).list as Json[]) ?? []) {
    const kind = kindOf(variable.datasource);
    const query = variable.query as Json | string | undefined;
    // A Loki label_values variable keeps its stream selector in `stream`.
    const text = typeof query === "string" ? query : ((query?.query ?? query?.stream) as string | undefined);
    if (kind && text) queries.push({ kind, panel: `variable ${String(variable.name)}`, text });
  }
  return queries;
}

// Grafana's own variables and ranges are not names the data has.
const withoutGrafana = (text: string) => text.replace(/\$__\w+/g, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');

export function promqlNames(expr: string): { metrics: string[]; labels: string[] } {
  const text = withoutGrafana(expr);
  const metrics = [...text.matchAll(/\b([a-zA-Z_:][\w:]*)\s*(?=\{|\[)/g)].map((m) => m[1]!);
  const labelValues = /label_values\(\s*([a-zA-Z_:][\w:]*)?\s*(?:\{[^}]*\})?\s*,\s*(\w+)\s*\)/.exec(text);
  if (labelValues?.[1]) metrics.push(labelValues[1]);
  const labels = [
    ...[...text.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!)),
    ...[...text.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) =>
      m[1]!
        .split(",")
        .map((l) => l.trim())
        .filter(Boolean),
    ),
    ...(labelValues?.[2] ? [labelValues[2]] : []),
  ];
  return { metrics, labels };
}

export const logqlLabels = (expr: string) => {
  const selector = /\{([^}]*)\}/.exec(withoutGrafana(expr))?.[1] ?? "";
  return [...selector.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
};

/** `span.x.y` and `resource.x.y` attributes a TraceQL query filters or selects on. */
export const traceqlAttributes = (query: string) =>
  [...withoutGrafana(query).matchAll(/\b(span|resource)\.([\w.]+)/g)].map((m) => `${m[1]}.${m[2]}`);
