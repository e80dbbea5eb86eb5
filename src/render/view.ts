// The validated view model a template renders from: every field filled, nothing left to guess.
import type { Config, TestEntry } from "../config/schema.js";
import { VM_SPOOL_DIR } from "../constants.js";
import type { TemplateInfo } from "./templates.js";

/** NixOS' own defaults for a test VM (virtualisation.memorySize / .cores). */
const DEFAULT_VM = { memory_mb: 1024, cores: 1 } as const;

export interface NodeView {
  packages: string[];
  memoryMb: number;
  cores: number;
  /** Where emit_test_span.sh spools this node's spans in the VM: one `<node>.<span id>.jsonl` file per span. */
  spoolDir: string;
}

export interface TestView {
  name: string;
  suite: string;
  serviceName: string;
  template: string;
  /** The span the emitter sends for this test: test.<suite>.<name>. */
  spanName: string;
  nodes: Record<string, NodeView>;
  /** Whether the driver gets `--junit-xml` (nixotel.json `driverJunit`). */
  driverJunit: boolean;
  /** Span attributes, sorted by key; vm.* included when the test sets them. */
  attributes: { key: string; value: string | number | boolean }[];
}

export function testView(config: Config, test: TestEntry, template: TemplateInfo): TestView {
  const nodes: Record<string, NodeView> = {};
  for (const node of template.nodes) {
    const settings = test.nodes[node];
    const vm = { ...DEFAULT_VM, ...test.vm, ...settings?.vm };
    nodes[node] = {
      packages: settings?.packages ?? [],
      memoryMb: vm.memory_mb,
      cores: vm.cores,
      spoolDir: VM_SPOOL_DIR,
    };
  }
  const attributes: Record<string, string | number | boolean> = { ...test.attributes };
  for (const [key, value] of Object.entries(test.vm)) if (value !== undefined) attributes[`vm.${key}`] = value;
  const suite = test.suite ?? config.suite;
  return {
    name: test.name,
    suite,
    spanName: `test.${suite}.${test.name}`,
    serviceName: config.serviceName,
    driverJunit: config.driverJunit,
    template: template.name,
    nodes,
    attributes: Object.keys(attributes)
      .sort()
      .map((key) => ({ key, value: attributes[key]! })),
  };
}
