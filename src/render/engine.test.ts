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
  it("compiles a template the build did not, and each partial, once, then only renders", () => {
    const before = compiledCount();
    const outputs = Array.from({ length: 200 }, (_, i) => render(template, { name: `test-${i}`, suite: "web" } as unknown as TestView));
    expect(outputs[7]).toBe('{ name = "test-7"; meta = { suite = "web"; }; script = "test-7"; }');
    const after = compiledCount();
    expect(after.ready - before.ready).toBe(3);
    expect(after.compiled - before.compiled).toBe(3);
  });

  it("trims blanks at the ends of lines only", () => {
    const blanks: TemplateInfo = { ...template, source: "a  \n  {{> meta}}\n\tb\t\n{{nix name}} \t", partials: { meta: "x\n\ny\n" } };
    expect(render(blanks, { name: "n  \u2028 m" } as unknown as TestView)).toBe('a\n  x\n\n  y\n\tb\n"n  \u2028 m"');
  });
});
