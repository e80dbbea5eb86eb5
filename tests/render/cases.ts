// Input sets the golden files are rendered from: defaults, and one that uses every knob.
import type { RawConfig } from "../../src/config/schema.js";

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
