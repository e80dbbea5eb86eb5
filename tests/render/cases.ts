// Input sets the golden files are rendered from: defaults, and one that uses every knob; and what each
// template's nodes must end up with (the session variables their node blocks set before
// nixotel.tracedNode existed, written out here so a change to the module cannot move them unnoticed).
import type { RawConfig } from "../../src/config/schema.js";

const spool = { NIXOTEL_SPOOL_DIR: "/tmp/shared/nixotel-spans", NIXOTEL_TRACEPARENT_FILE: "/tmp/shared/nixotel-traceparent" };
const tracedNode = (endpoint: string, runsAlloy: boolean) => ({
  runsAlloy,
  variables: (serviceName: string) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: serviceName, ...spool }),
});

export const tracedNodePromises: Record<string, Record<string, ReturnType<typeof tracedNode>>> = {
  otel_traced: { machine: tracedNode("http://localhost:4318", true) },
  minimal: { machine: tracedNode("http://10.0.2.2:4318", false) },
  multi_node: { server: tracedNode("http://localhost:4318", true), client: tracedNode("http://server:4318", false) },
};

export const goldenCases: Record<string, RawConfig> = {
  defaults: {
    tests: [
      { name: "traced", template: "otel_traced" },
      { name: "lean", template: "minimal" },
      { name: "pair", template: "multi_node" },
    ],
  },
  custom: {
    suite: "web",
    serviceName: 'web-tests "quoted" ${not-interpolated}',
    driverJunit: true,
    tests: [
      {
        name: "nginx-startup",
        template: "otel_traced",
        suite: "nginx.edge",
        vm: { memory_mb: 2048, cores: 2 },
        nodes: { machine: { packages: ["nginx", "python3Packages.requests"] } },
        attributes: { team: "web", "ci.note": "it's ''quoted'' ${x} \"twice\"", retries: 3, flaky: false },
      },
      { name: "lean_2", template: "minimal", dir: "tests/lean", nodes: { machine: { vm: { cores: 4 } } } },
      {
        name: "pair-vlan",
        template: "multi_node",
        vm: { memory_mb: 1536 },
        nodes: { server: { packages: ["nginx"], vm: { memory_mb: 3072 } }, client: { packages: ["wrk"] } },
      },
    ],
  },
};
