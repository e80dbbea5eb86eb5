// What `generate` and `generate --check` see in each file: every kind of drift, found by rendering each
// test and comparing it with the file on disk (no shortcut may miss one).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../../tests/support/cli.js";
import type { Config } from "../config/schema.js";
import type { TemplateInfo } from "../render/templates.js";
import { planGenerate, type PlannedFile } from "./plan.js";

const template = (source: string, head = "let suite = {{nix suite}}; in"): TemplateInfo => ({
  name: "t",
  description: "a template",
  nodes: ["machine"],
  path: "/t.nix",
  source,
  partials: { head },
});
const catalogue = (t: TemplateInfo) => new Map([[t.name, t]]);
const config = (suite = "s") =>
  ({
    suite,
    serviceName: "svc",
    driverJunit: false,
    testsDir: "tests",
    tests: ["a", "b"].map((name) => ({ name, template: "t", vm: {}, nodes: {}, attributes: {} })),
  }) as unknown as Config;
const original = template("{{> head}}\n{ name = {{nix name}}; }\n");

let project: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  project = await tempDir();
  await mkdir(join(project.path, "tests"));
  for (const file of planGenerate(project.path, config(), catalogue(original)))
    if (file.state !== "unchanged") await writeFile(file.absolute, file.desired);
});
afterEach(() => project.cleanup());

const states = (plan: PlannedFile[]) => Object.fromEntries(plan.map((file) => [file.test, file.state]));

describe("planGenerate", () => {
  it("finds the files just written unchanged, keeping no texts for them", () => {
    const plan = planGenerate(project.path, config(), catalogue(original));
    expect(states(plan)).toEqual({ a: "unchanged", b: "unchanged" });
    expect(plan[0]).not.toHaveProperty("desired");
  });

  it("finds a changed template, a changed partial and a changed nixotel.json", () => {
    expect(states(planGenerate(project.path, config(), catalogue(template("{{> head}}\n{ name = {{nix name}}; x = 1; }\n"))))).toEqual({
      a: "update",
      b: "update",
    });
    const changedPartial = template(original.source, "let suite = {{nix suite}}; other = 2; in");
    expect(states(planGenerate(project.path, config(), catalogue(changedPartial)))).toEqual({ a: "update", b: "update" });
    expect(states(planGenerate(project.path, config("other"), catalogue(original)))).toEqual({ a: "update", b: "update" });
  });

  it("finds a hand edit, a file without the header and a deleted file", async () => {
    const a = join(project.path, "tests/a.nix");
    await writeFile(a, (await readFile(a, "utf8")).replace("{ name", "{ extra = 1; name"));
    await rm(join(project.path, "tests/b.nix"));
    expect(states(planGenerate(project.path, config(), catalogue(original)))).toEqual({ a: "hand-edited", b: "create" });
    await writeFile(a, "{ }\n");
    expect(states(planGenerate(project.path, config(), catalogue(original)))).toEqual({ a: "unmanaged", b: "create" });
  });
});
