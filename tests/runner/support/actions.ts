// Runs nixotel on a fixture flake and reads the run's spans; lists its driver action spans as rows to compare.
import { join } from "node:path";
import type { SpanData } from "../../../src/spans/model.js";
import { baseEnv, nixotel, type FlakeCopy, type Invocation } from "./fixture.js";
import { newestRun } from "./runs.js";

export interface RunWithSpans {
  invocation: Invocation;
  spans: SpanData[];
}

/** `nixotel ARGV --flake <copy>`, then the spans of the run folder it wrote last. */
export async function runWithSpans(flake: FlakeCopy, argv: string[]): Promise<RunWithSpans> {
  const invocation = await nixotel([...argv, "--flake", flake.ref], { cwd: flake.dir, env: baseEnv() });
  return { invocation, spans: await (await newestRun(join(flake.dir, ".nixotel"))).spans() };
}

/** `parent > verb (machine, target): LENGTH` per action span, in the order they started. */
export function actionRows(spans: readonly SpanData[], length: (span: SpanData) => string): string[] {
  const parent = (span: SpanData) => spans.find((s) => s.spanId === span.parentSpanId)?.name;
  return spans
    .filter((s) => s.attributes["nixotel.role"] === "action")
    .sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0))
    .map(
      (s) =>
        `${parent(s)} > ${s.name} (${String(s.attributes["nixos.test.machine"])}, ${String(s.attributes["nixos.test.action.target"] ?? "-")}): ${length(s)}`,
    );
}
