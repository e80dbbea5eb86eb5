// What must hold in every Alloy configuration nixotel renders, read from the configuration itself,
// with the Alloy behaviour each rule stands for (grafana/alloy source, v1.8.3 to v1.11.x):
// - otelcol processors build a consumer for a signal only when its output list is non-empty
//   (processor.go: `if len(next.Traces) > 0`); otherwise their input answers
//   pipeline.ErrSignalNotSupported (lazyconsumer.go) and the receiver refuses the data. Connectors
//   with no output at all fail to build ("no connectors were created", connector.go).
// - otelcol.exporter.debug logs through Alloy's logger, hidden below `logging { level = "info" }`,
//   unless use_internal_logger = false (debugexporter: a logger of its own on stdout).
// - series that differ only in resource attributes collide in otelcol.exporter.prometheus, so the
//   spanmetrics connector must read spans whose resource keeps series-stable keys only.
// - experimental components (otelcol.exporter.debug) run only with --stability.level=experimental.
// - otelcol.exporter.loki hands every converted entry to its forward_to (convert.go ConsumeLogs); a
//   loki.relabel / loki.process with no forward_to drops them.
import { componentId, listItems, parseAlloy, readString, stringList, type AlloyBlock } from "./alloy-parse.js";

type Signal = "traces" | "metrics" | "logs";
const SIGNALS: Signal[] = ["traces", "metrics", "logs"];
const EXPERIMENTAL = ["otelcol.exporter.debug"];
/** Resource keys that name the service, not the run, host or commit: safe for series identity. */
export const SERIES_STABLE_RESOURCE_KEYS = ["service.name", "service.namespace"];

const outputOf = (block: AlloyBlock) => block.blocks.find((b) => b.name === "output");
const consumers = (block: AlloyBlock, signal: Signal): string[] | undefined => {
  const list = outputOf(block)?.attributes.get(signal);
  return list === undefined ? undefined : listItems(list);
};

/** Every broken rule, each as one sentence naming the component; empty when the config is sound. */
export function alloyProblems(config: string, stabilityLevel: string): string[] {
  const blocks = parseAlloy(config);
  const byId = new Map(blocks.map((b) => [componentId(b), b]));
  const problems: string[] = [];
  const visited = new Set<string>();

  // Follows `signal` from a consumer reference to every sink, checking each hop has a consumer.
  function follow(signal: Signal, reference: string, from: string): void {
    const id = reference.replace(/\.input$/, "");
    const block = byId.get(id);
    if (!reference.endsWith(".input") || !block)
      return void problems.push(`${from} sends ${signal} to ${reference}, which is not a component's input`);
    if (visited.has(`${signal} ${id}`)) return;
    visited.add(`${signal} ${id}`);
    const next = (out: Signal, list: string[] | undefined) => {
      if (!list || list.length === 0)
        return void problems.push(`${id} receives ${signal} but has no consumer for ${out} (output { ${out} = [] })`);
      for (const ref of list) follow(out, ref, id);
    };
    if (block.name.startsWith("otelcol.processor.")) next(signal, consumers(block, signal));
    else if (block.name === "otelcol.connector.spanmetrics") {
      if (signal !== "traces") problems.push(`${id} receives ${signal}, but reads only traces`);
      next("metrics", consumers(block, "metrics"));
    } else if (block.name === "otelcol.exporter.prometheus") {
      const forward = block.attributes.get("forward_to");
      if (signal !== "metrics") problems.push(`${id} receives ${signal}, but takes only metrics`);
      if (!forward || listItems(forward).length === 0) problems.push(`${id} forwards to nothing`);
      for (const ref of forward ? listItems(forward) : [])
        if (!byId.has(ref.replace(/\.receiver$/, ""))) problems.push(`${id} forwards to ${ref}, which does not exist`);
    } else if (block.name === "otelcol.exporter.loki") {
      if (signal !== "logs") problems.push(`${id} receives ${signal}, but takes only logs`);
      forwardLoki(block);
    } else if (!/^otelcol\.exporter\.(otlphttp|otlp|debug)$/.test(block.name))
      problems.push(`${id}: a component kind these checks do not know; teach tests/nix/support/alloy-invariants.ts`);
  }

  // Loki entries from otelcol.exporter.loki through loki.relabel / loki.process to a loki.write: an
  // empty forward_to there drops every entry (the exporter hands them on, nothing takes them).
  function forwardLoki(block: AlloyBlock): void {
    const id = componentId(block);
    if (visited.has(`loki ${id}`)) return;
    visited.add(`loki ${id}`);
    if (block.name === "loki.write") return;
    const forward = block.attributes.get("forward_to");
    if (!forward || listItems(forward).length === 0) return void problems.push(`${id} forwards its log entries to nothing`);
    for (const ref of listItems(forward)) {
      const next = byId.get(ref.replace(/\.receiver$/, ""));
      if (!ref.endsWith(".receiver") || !next || !/^loki\.(relabel|process|write)$/.test(next.name))
        problems.push(`${id} forwards to ${ref}, which is not a loki component's receiver`);
      else forwardLoki(next);
    }
  }

  const receivers = blocks.filter((b) => b.name.startsWith("otelcol.receiver."));
  if (receivers.length === 0) problems.push("no otelcol receiver");
  for (const receiver of receivers)
    for (const signal of SIGNALS) {
      const list = consumers(receiver, signal);
      if (list === undefined) continue;
      if (list.length === 0) problems.push(`${componentId(receiver)} receives ${signal} with an empty consumer list`);
      for (const ref of list) follow(signal, ref, componentId(receiver));
    }

  for (const debug of blocks.filter((b) => b.name === "otelcol.exporter.debug"))
    if (debug.attributes.get("use_internal_logger") !== "false")
      problems.push(
        `${componentId(debug)} logs through Alloy's logger (use_internal_logger is not false), which a logging level above info hides`,
      );

  for (const connector of blocks.filter((b) => b.name === "otelcol.connector.spanmetrics")) {
    const input = `${componentId(connector)}.input`;
    const feeders = blocks.filter((b) => SIGNALS.some((s) => consumers(b, s)?.includes(input)));
    if (feeders.length === 0) problems.push(`${componentId(connector)} is fed by nothing`);
    for (const feeder of feeders) problems.push(...normalisationProblems(feeder, componentId(connector)));
  }

  const experimental = blocks.filter((b) => EXPERIMENTAL.includes(b.name));
  if (experimental.length > 0 && stabilityLevel !== "experimental")
    problems.push(`${experimental.map(componentId).join(", ")} needs --stability.level=experimental, but Alloy runs at ${stabilityLevel}`);
  return problems;
}

// The feeder of a spanmetrics connector must keep only series-stable resource keys.
function normalisationProblems(feeder: AlloyBlock, connector: string): string[] {
  const where = `${componentId(feeder)} feeds ${connector}`;
  if (feeder.name !== "otelcol.processor.transform")
    return [`${where} spans whose resource is not normalised (no otelcol.processor.transform before it)`];
  const resource = feeder.blocks.filter(
    (b) => b.name === "trace_statements" && readString(b.attributes.get("context") ?? '""') === "resource",
  );
  const kept = resource
    .flatMap((b) => stringList(b.attributes.get("statements") ?? "[]"))
    .map((statement) => /^keep_keys\(attributes, (\[.*\])\)$/.exec(statement)?.[1])
    .filter((list): list is string => list !== undefined)
    .map((list) => JSON.parse(list) as string[]);
  if (kept.length === 0) return [`${where} without keep_keys(attributes, [...]) in a resource-context trace_statements block`];
  const unstable = kept.flat().filter((key) => !SERIES_STABLE_RESOURCE_KEYS.includes(key));
  const problems = unstable.map((key) => `${where} spans that keep the run-varying resource key ${key}`);
  if (!kept.every((keys) => keys.includes("service.name"))) problems.push(`${where} spans without service.name (its service_name label)`);
  return problems;
}
