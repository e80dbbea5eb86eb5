// The build's compiled templates: found by their source, rendering what compiling them at run time renders.
import Handlebars from "handlebars";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compiledCount, fromSpec, render } from "./engine.js";
import { loadPrecompiled, precompiledKey, precompiledModule } from "./precompiled.js";
import { loadTemplates } from "./templates.js";
import { testView } from "./view.js";
import type { Config } from "../config/schema.js";

const dir = await mkdtemp(join(tmpdir(), "nixotel-precompiled-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const templates = await loadTemplates();
const sources = [...templates.values()].flatMap((template) => [template.source, ...Object.values(template.partials)]);

describe("precompiled templates", () => {
  it("keys each source the same before and after compiling (Handlebars adds to the options it is given)", () => {
    const keys = sources.map(precompiledKey);
    const file = join(dir, "keys.cjs");
    writeFileSync(
      file,
      precompiledModule(sources, (source, options) => Handlebars.precompile(source, options)),
    );
    expect(Object.keys(loadPrecompiled(file)).sort()).toEqual([...new Set(keys)].sort());
    expect(sources.map(precompiledKey)).toEqual(keys);
  });

  it("render what the templates compiled at run time render", () => {
    const file = join(dir, "specs.cjs");
    writeFileSync(
      file,
      precompiledModule(sources, (source, options) => Handlebars.precompile(source, options)),
    );
    const specs = loadPrecompiled(file);
    const config = { suite: "s", serviceName: "svc", driverJunit: true, testsDir: "tests" } as Config;
    for (const template of templates.values()) {
      const test = {
        name: "t-1",
        template: template.name,
        vm: { cores: 2 },
        nodes: {},
        attributes: { team: "a'b${c}" },
      } as unknown as Config["tests"][number];
      const view = testView(config, test, template);
      const partials = Object.fromEntries(
        Object.entries(template.partials).map(([name, source]) => [name, fromSpec(specs[precompiledKey(source)]!)]),
      );
      const fromBuild = fromSpec(specs[precompiledKey(template.source)]!)(view, { partials }).replace(/(?<![ \t])[ \t]+(?=\n|$)/g, "");
      expect(fromBuild, template.name).toBe(render(template, view));
    }
  });

  it("serve every template and partial of the package from the build (vitest's set-up builds dist/)", () => {
    const config = { suite: "s", serviceName: "svc", driverJunit: false, testsDir: "tests" } as Config;
    for (const template of templates.values()) {
      const test = { name: "t", template: template.name, vm: {}, nodes: {}, attributes: {} } as unknown as Config["tests"][number];
      render(template, testView(config, test, template));
    }
    expect(compiledCount()).toEqual({ ready: new Set(sources).size, compiled: 0 }); // nothing else in this file renders
  });

  it("are none when the build wrote none", () => {
    expect(loadPrecompiled(join(dir, "absent.cjs"))).toEqual({});
  });
});
