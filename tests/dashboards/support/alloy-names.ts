// What Prometheus/Mimir will hold once Alloy's spanmetrics connector and Prometheus exporter have
// turned spans into metrics, derived from a rendered Alloy configuration. The rules, from the sources:
// - grafana/alloy internal/component/otelcol/connector/spanmetrics: namespace "traces.span.metrics",
//   histogram unit "ms" unless set; metrics `<namespace>.calls` and `<namespace>.duration`;
//   dimensions service.name, span.name, span.kind, status.code plus each `dimension { name }`.
// - opentelemetry-collector-contrib pkg/translator/prometheus (BuildCompliantName, NormalizeLabel),
//   used by otelcol.exporter.prometheus with add_metric_suffixes = true by default: dots become
//   underscores, counters get `_total`, the unit a suffix ("ms" → "_milliseconds", "s" → "_seconds").
// - grafana/alloy otelcol/exporter/prometheus/internal/convert (getOrCreateResource): `job` from the
//   resource's service.name (and service.namespace), `instance` from service.instance.id; a label whose
//   value is empty is not set. The resource is the one the spanmetrics connector's feeder leaves:
//   nixotel's transform keeps only the keys of its keep_keys(attributes, [...]).

export interface EmittedNames {
  metrics: Set<string>;
  labels: Set<string>;
}

const DEFAULT_DIMENSIONS = ["service.name", "span.name", "span.kind", "status.code"];
const UNIT_WORDS: Record<string, string> = { ms: "milliseconds", s: "seconds" };

/** The body of the first block whose header matches (`name "label" {` or `name {`), braces balanced. */
export function blockBody(config: string, name: string, labelled = true): string | undefined {
  const header = new RegExp(`^\\s*${name.replace(/\./g, "\\.")} ${labelled ? '"[^"]*" ' : ""}\\{`, "m").exec(config);
  if (!header) return undefined;
  const open = header.index + header[0].length - 1;
  let depth = 0;
  for (let i = open; i < config.length; i++) {
    if (config[i] === "{") depth++;
    if (config[i] === "}" && --depth === 0) return config.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces in ${name}`);
}

const attribute = (body: string, name: string) => new RegExp(`^\\s*${name} = "([^"]*)"`, "m").exec(body)?.[1];
export const normalizeLabel = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");
const metricName = (name: string) => name.replace(/[^a-zA-Z0-9_:]/g, "_").replace(/__+/g, "_");

export function spanMetricsNames(config: string): EmittedNames {
  const body = blockBody(config, "otelcol.connector.spanmetrics");
  if (!body) throw new Error("the configuration has no otelcol.connector.spanmetrics block");
  const namespace = attribute(body, "namespace") ?? "traces.span.metrics";
  const histogram = blockBody(body, "histogram", false) ?? "";
  const unit = attribute(histogram, "unit") ?? "ms";
  const exporter = blockBody(config, "otelcol.exporter.prometheus");
  const suffixes = !(exporter && /add_metric_suffixes\s*=\s*false/.test(exporter));
  const prefix = namespace ? `${namespace}.` : "";
  const calls = metricName(`${prefix}calls`) + (suffixes ? "_total" : "");
  const duration = metricName(`${prefix}duration`) + (suffixes ? `_${UNIT_WORDS[unit] ?? unit}` : "");
  const dimensions = [...body.matchAll(/dimension \{\s*name = "([^"]*)"/g)].map((m) => m[1]!);
  const resource = keptResourceKeys(config);
  const targetLabels = [
    ...(resource.includes("service.name") ? ["job"] : []),
    ...(resource.includes("service.instance.id") ? ["instance"] : []),
  ];
  return {
    metrics: new Set([calls, ...["bucket", "sum", "count"].map((s) => `${duration}_${s}`)]),
    labels: new Set([...targetLabels, "le", ...[...DEFAULT_DIMENSIONS, ...dimensions].map(normalizeLabel)]),
  };
}

/** The resource keys the transform before the connector keeps (keep_keys in the resource context). */
function keptResourceKeys(config: string): string[] {
  const transform = blockBody(config, "otelcol.processor.transform");
  const list = transform && /keep_keys\(attributes, (\[[^\]]*\])\)/.exec(transform.replace(/\\"/g, '"'))?.[1];
  if (!list)
    throw new Error(
      "the configuration has no otelcol.processor.transform with keep_keys(attributes, [...]) before the spanmetrics connector",
    );
  return JSON.parse(list) as string[];
}
