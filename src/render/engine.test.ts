// Templates and their partials are compiled once per process, however many tests are rendered.
import { describe, expect, it } from "vitest";
import { compiledCount, render } from "./engine.js";
import type { TemplateInfo } from "./templates.js";
import type { TestView } from "./view.js";

const template: TemplateInfo = {
  name: "t",
  description: "a test template",
  nodes: ["machine"],
  path: "/t.nix",
  source: "{ name = {{nix name}}; meta = {{> meta}}; script = {{> script}}; }",
  partials: { meta: "{ suite = {{nix suite}}; }", script: "{{py name}}" },
};

describe("render", () => {
  it("compiles the template and each partial once, then only renders", () => {
    const before = compiledCount();
    const outputs = Array.from({ length: 200 }, (_, i) => render(template, { name: `test-${i}`, suite: "web" } as unknown as TestView));
    expect(outputs[7]).toBe('{ name = "test-7"; meta = { suite = "web"; }; script = "test-7"; }');
    expect(compiledCount() - before).toBe(3);
  });
});
