// The Loki labels an OTLP log record ends up with on its way through a rendered Alloy configuration:
// otelcol.processor.attributes (the hint actions), otelcol.exporter.loki, then loki.relabel rules. The
// exporter's rules, read from the sources it runs:
// - grafana/alloy internal/component/otelcol/exporter/loki/internal/convert (ConsumeLogs) calls
//   contrib's pkg/translator/loki LogToLokiEntry with no default-label switches: labels exporter="OTLP",
//   job from service.namespace/service.name, instance from service.instance.id, level from the
//   severity number (added as a record attribute and hinted); then every name in the
//   `loki.resource.labels` hint (on the resource or the record: picked from the resource) and in
//   `loki.attribute.labels` (picked from the record), the value's string; names normalised as
//   Prometheus labels (contrib pkg/translator/prometheus NormalizeLabel: other characters become `_`).
// - loki.relabel applies Prometheus relabelling: `replace` (default; source labels joined by ";",
//   regex "(.*)" anchored, replacement "$1", an empty result deletes the target), `labelkeep`, `labeldrop`.
import { componentId, listItems, parseAlloy, readString, stringList, type AlloyBlock } from "./alloy-parse.js";

export interface OtlpRecord {
  resource: Record<string, string>;
  attributes: Record<string, string>;
  /** OTLP severity number (9 = INFO, 17 = ERROR); 0 or absent: unspecified, no level label. */
  severityNumber?: number;
}

const LEVELS: [number, string][] = [
  [21, "FATAL"],
  [17, "ERROR"],
  [13, "WARN"],
  [9, "INFO"],
  [5, "DEBUG"],
  [1, "TRACE"],
];
const levelOf = (n: number) => {
  const [base, name] = LEVELS.find(([from]) => n >= from)!;
  return n === base ? name : `${name}${n - base + 1}`;
};
const normalizeLabel = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");
const hinted = (hint: string | undefined, from: Record<string, string>) =>
  (hint ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "" && from[name] !== undefined)
    .map((name) => [name, from[name]!] as const);

/** The labels Loki stores for `record`, sent to the first otelcol receiver of `config`. */
export function otlpRecordLabels(config: string, record: OtlpRecord): Record<string, string> {
  const blocks = parseAlloy(config);
  const byId = new Map(blocks.map((b) => [componentId(b), b]));
  const attributes = { ...record.attributes };
  // Follow the logs from the receiver through processors to the Loki exporter, applying hint actions.
  let at = byId.get(logConsumer(blocks.find((b) => b.name === "otelcol.receiver.otlp")!));
  while (at && at.name !== "otelcol.exporter.loki") {
    if (at.name === "otelcol.processor.attributes") applyActions(at, attributes);
    at = byId.get(logConsumer(at));
  }
  if (!at) throw new Error("the configuration sends OTLP logs to no otelcol.exporter.loki");

  const labels: Record<string, string> = { exporter: "OTLP" };
  const { resource } = record;
  const job = resource["service.name"] && [resource["service.namespace"], resource["service.name"]].filter(Boolean).join("/");
  if (job) labels.job = job;
  if (resource["service.instance.id"]) labels.instance = resource["service.instance.id"];
  if (record.severityNumber) {
    attributes.level ??= levelOf(record.severityNumber);
    const hint = attributes["loki.attribute.labels"];
    attributes["loki.attribute.labels"] = hint === undefined ? "level" : `${hint},level`;
  }
  for (const hint of [resource["loki.resource.labels"], attributes["loki.resource.labels"]])
    for (const [name, value] of hinted(hint, resource)) labels[name] = value;
  for (const [name, value] of hinted(attributes["loki.attribute.labels"], attributes)) labels[name] = value;
  let entry = Object.fromEntries(Object.entries(labels).map(([name, value]) => [normalizeLabel(name), value]));

  for (let next = forwardTarget(at, byId); next?.name === "loki.relabel"; next = forwardTarget(next, byId)) entry = relabel(next, entry);
  return entry;
}

function logConsumer(block: AlloyBlock): string {
  const list = block.blocks.find((b) => b.name === "output")?.attributes.get("logs");
  return (list ? listItems(list)[0] : undefined)?.replace(/\.input$/, "") ?? "";
}

function forwardTarget(block: AlloyBlock, byId: Map<string, AlloyBlock>): AlloyBlock | undefined {
  const forward = block.attributes.get("forward_to");
  const first = forward ? listItems(forward)[0] : undefined;
  return first ? byId.get(first.replace(/\.receiver$/, "")) : undefined;
}

function applyActions(processor: AlloyBlock, attributes: Record<string, string>): void {
  for (const action of processor.blocks.filter((b) => b.name === "action")) {
    const read = (key: string) => {
      const raw = action.attributes.get(key);
      return raw === undefined ? undefined : readString(raw);
    };
    const [key, value, kind] = [read("key")!, read("value"), read("action")];
    if (kind === "delete") delete attributes[key];
    else if (kind === "upsert" || (kind === "insert" && !(key in attributes)) || (kind === "update" && key in attributes))
      attributes[key] = value ?? "";
  }
}

function relabel(component: AlloyBlock, labels: Record<string, string>): Record<string, string> {
  const out = { ...labels };
  for (const rule of component.blocks.filter((b) => b.name === "rule")) {
    const get = (key: string) => rule.attributes.get(key);
    const action = get("action") ? readString(get("action")!) : "replace";
    const regex = new RegExp(`^(?:${get("regex") ? readString(get("regex")!) : "(.*)"})$`);
    if (action === "labelkeep" || action === "labeldrop") {
      for (const name of Object.keys(out)) if (regex.test(name) === (action === "labeldrop")) delete out[name];
      continue;
    }
    if (action !== "replace") throw new Error(`relabel action ${action}: teach tests/nix/support/loki-labels.ts`);
    const source = stringList(get("source_labels") ?? "[]")
      .map((name) => out[name] ?? "")
      .join(";");
    const match = regex.exec(source);
    if (!match) continue;
    const target = readString(get("target_label")!);
    const value = (get("replacement") ? readString(get("replacement")!) : "$1").replace(
      /\$(\d)/g,
      (_, i: string) => match[Number(i)] ?? "",
    );
    if (value === "") delete out[target];
    else out[target] = value;
  }
  return out;
}
