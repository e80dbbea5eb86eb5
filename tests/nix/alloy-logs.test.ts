// OTLP log records through the rendered Alloy configuration (real `nix eval` of modules/lib/alloy-config.nix):
// which consumers take them, and the Loki labels a record of nixotel's build logs ends up with
// (./support/loki-labels.ts follows the hints and relabel rules as Alloy's Loki exporter does).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evalRaw, repoRoot } from "./nix-eval.js";
import { parseAlloy } from "./support/alloy-parse.js";
import { otlpRecordLabels, type OtlpRecord } from "./support/loki-labels.js";
import { failedAssertions } from "./support/module-eval.js";

const renderer = join(repoRoot, "modules/lib/alloy-config.nix");
const render = (settings: string) => evalRaw(`import ${renderer} ${settings}`);
const loki = `logs.lokiUrl = "http://loki:3100/loki/api/v1/push";`;

/** The consumer lists of `signal` on the receiver and the batch processor. */
async function logRoute(settings: string) {
  const blocks = parseAlloy(await render(settings));
  const list = (name: string) =>
    blocks
      .find((b) => b.name === name)
      ?.blocks.find((b) => b.name === "output")
      ?.attributes.get("logs");
  return { receiver: list("otelcol.receiver.otlp"), batch: list("otelcol.processor.batch") };
}

// A record as nixotel's logs exporter writes it (src/spans/vocabulary.ts names; trace context aside).
const buildLine: OtlpRecord = {
  resource: { "service.name": "nixos-integration-tests", "host.name": "ci-runner-7", "vcs.ref.head.revision": "abc123" },
  attributes: { "cicd.pipeline.task.name": "nginx-startup", "nixos.test.machine": "server", "nixos.test.subtest": "nginx serves" },
  severityNumber: 17,
};

describe("where the receiver's OTLP logs go", () => {
  it("nowhere by default: the receiver registers no logs consumer (so /v1/logs answers 404, not a refusal)", async () => {
    expect(await logRoute("{ }")).toEqual({ receiver: undefined, batch: undefined });
    expect(await logRoute(`{ remote.endpoint = "https://x"; }`)).toEqual({ receiver: undefined, batch: undefined });
  });

  it("to Loki with logs.lokiUrl, through the hints processor", async () => {
    expect(await logRoute(`{ ${loki} }`)).toEqual({
      receiver: "[otelcol.processor.batch.nixotel.input]",
      batch: "[otelcol.processor.attributes.nixotel_loki.input]",
    });
  });

  it("to the remote only with logs.sendToRemote, and to both when both are set", async () => {
    expect((await logRoute(`{ remote.endpoint = "https://x"; logs.sendToRemote = true; }`)).batch).toBe(
      "[otelcol.exporter.otlphttp.nixotel.input]",
    );
    expect((await logRoute(`{ remote.endpoint = "https://x"; logs.sendToRemote = true; ${loki} }`)).batch).toBe(
      "[otelcol.exporter.otlphttp.nixotel.input, otelcol.processor.attributes.nixotel_loki.input]",
    );
  });

  it("refuses logs.sendToRemote without remote.endpoint, naming both options", async () => {
    const failed = await failedAssertions("{ enable = true; logs.sendToRemote = true; }");
    expect(failed).toEqual([expect.stringContaining("logs.sendToRemote is true but remote.endpoint is null")]);
  });
});

describe("the Loki labels of a build-log record", () => {
  it("are the journal path's names: service_name, host, and check for the unit, plus the level", async () => {
    expect(otlpRecordLabels(await render(`{ ${loki} }`), buildLine)).toEqual({
      service_name: "nixos-integration-tests",
      host: "ci-runner-7",
      check: "nginx-startup",
      level: "ERROR",
    });
  });

  it("never take a sender's own hints: machine, subtest and run-varying resources stay in the line", async () => {
    const hinting: OtlpRecord = {
      ...buildLine,
      resource: { ...buildLine.resource, "loki.resource.labels": "vcs.ref.head.revision" },
      attributes: { ...buildLine.attributes, "loki.attribute.labels": "nixos.test.subtest,nixos.test.machine" },
    };
    expect(Object.keys(otlpRecordLabels(await render(`{ ${loki} }`), hinting)).sort()).toEqual(["check", "host", "level", "service_name"]);
  });

  it("leave check out of a record that names no check, and level out when the severity is unspecified", async () => {
    const runLine: OtlpRecord = { resource: buildLine.resource, attributes: {} };
    expect(otlpRecordLabels(await render(`{ ${loki} }`), runLine)).toEqual({
      service_name: "nixos-integration-tests",
      host: "ci-runner-7",
    });
  });

  it("the simulation itself sees the exporter's own labels when nothing relabels them (so it can fail)", () => {
    const bare = `otelcol.receiver.otlp "r" {
  http { }
  output { logs = [otelcol.exporter.loki.e.input] }
}
otelcol.exporter.loki "e" { forward_to = [loki.write.w.receiver] }
loki.write "w" { endpoint { url = "http://l" } }`;
    expect(otlpRecordLabels(bare, buildLine)).toEqual({ exporter: "OTLP", job: "nixos-integration-tests", level: "ERROR" });
  });
});
