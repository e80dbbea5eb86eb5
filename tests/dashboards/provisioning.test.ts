// dashboards/provisioning/: YAML Grafana can load, datasources whose uids the dashboard's datasource
// variables select by default, and links between them that point at datasources that exist.
// YAML is read by Debian's python3-yaml (PyYAML), no npm dependency.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { evalRaw, repoRoot } from "../nix/nix-eval.js";
import { otlpRecordLabels } from "../nix/support/loki-labels.js";

type Json = Record<string, unknown>;
interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  jsonData?: Json;
}

async function parseYaml(file: string): Promise<Json> {
  // /usr/bin/python3: Debian's python, where python3-yaml lives (a pyenv python3 may shadow it on PATH).
  const script = "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)";
  const { stdout } = await execa("/usr/bin/python3", ["-c", script, join(repoRoot, file)]);
  return JSON.parse(stdout) as Json;
}

let datasources: Datasource[];
let providers: Json[];
let dashboard: Json;
beforeAll(async () => {
  datasources = (await parseYaml("dashboards/provisioning/datasources/nixotel.yaml")).datasources as Datasource[];
  providers = (await parseYaml("dashboards/provisioning/dashboards/nixotel.yaml")).providers as Json[];
  dashboard = JSON.parse(await readFile(join(repoRoot, "dashboards/nixotel-tests.json"), "utf8")) as Json;
});

describe("dashboards/provisioning", () => {
  it("provisions Tempo, a Prometheus-type Mimir and Loki with fixed uids and URLs", () => {
    expect(datasources.map((d) => [d.uid, d.type])).toEqual([
      ["tempo", "tempo"],
      ["mimir", "prometheus"],
      ["loki", "loki"],
    ]);
    for (const datasource of datasources) expect(datasource.url, datasource.name).toMatch(/^https?:\/\/[^/]+/);
  });

  it("links Tempo only to datasources it provisions", () => {
    const uids = new Set(datasources.map((d) => d.uid));
    const tempo = datasources.find((d) => d.type === "tempo")!.jsonData as Record<string, { datasourceUid?: string }>;
    const linked = ["tracesToLogsV2", "tracesToMetrics", "serviceMap"].map((key) => tempo[key]?.datasourceUid);
    for (const uid of linked) expect(uids).toContain(uid);
  });

  it("selects the provisioned uids in the dashboard's datasource variables", () => {
    const variables = ((dashboard.templating as Json).list as Json[]).filter((v) => v.type === "datasource");
    expect(variables.length).toBe(3);
    for (const variable of variables) {
      const provisioned = datasources.find((d) => d.type === variable.query);
      expect((variable.current as Json).value, String(variable.name)).toBe(provisioned?.uid);
    }
  });

  it("loads dashboards from one file provider", () => {
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ type: "file", options: { path: "/var/lib/grafana/dashboards/nixotel" } });
  });
});

describe("links between traces and logs", () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const derived = () => (datasources.find((d) => d.type === "loki")!.jsonData!.derivedFields as Json[])[0]!;

  it("Tempo → Loki: filters by the trace id and maps span attributes to labels the module's Loki path sets", async () => {
    const toLogs = (datasources.find((d) => d.type === "tempo")!.jsonData as Json).tracesToLogsV2 as Json;
    expect(toLogs).toMatchObject({ datasourceUid: "loki", filterByTraceID: true });
    const config = await evalRaw(`import ${join(repoRoot, "modules/lib/alloy-config.nix")} { logs.lokiUrl = "http://l"; }`);
    for (const tag of toLogs.tags as { key: string; value: string }[]) {
      // A record carrying the tag's attribute (resource or record) must come out with the tag's label.
      const record = { resource: { "service.name": "s", [tag.key]: "v" }, attributes: { [tag.key]: "v" } };
      expect(Object.keys(otlpRecordLabels(config, record)), tag.key).toContain(tag.value);
    }
  });

  it("Loki → Tempo: the derived field finds the trace id in the exporter's JSON line and in the panel's line_format", () => {
    expect(derived()).toMatchObject({ datasourceUid: "tempo", url: "$${__value.raw}" });
    const regex = new RegExp(String(derived().matcherRegex));
    // Field order and spelling of contrib's pkg/translator/loki Encode (json.Marshal, no spaces).
    const exporterLine = JSON.stringify({
      body: "machine: waiting for unit nginx.service",
      traceid: traceId,
      spanid: "00f067aa0ba902b7",
      severity: "INFO",
      attributes: { "nixos.test.machine": "machine" },
      resources: { "host.name": "ci-1" },
    });
    expect(regex.exec(exporterLine)?.[1]).toBe(traceId);
    expect(regex.exec(`machine: waiting for unit nginx.service  traceid=${traceId}`)?.[1]).toBe(traceId);
    expect(regex.exec('{"body":"no trace here","spanid":"00f067aa0ba902b7"}')).toBeNull();
  });
});
