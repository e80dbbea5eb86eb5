// One isolated Handlebars instance: strict (a missing field is an error, never an empty string),
// no HTML escaping (Nix and Python are not HTML), and helpers that escape for the target language.
import Handlebars from "handlebars";
import type { TemplateInfo } from "./templates.js";
import { nixAttrName, nixIndented, nixString, nixValue, pythonString, shellWord } from "./escape.js";
import type { TestView } from "./view.js";

const stringArg = (helper: string, value: unknown): string => {
  if (typeof value !== "string") throw new TypeError(`Helper ${helper} expects a string, got ${typeof value}`);
  return value;
};

/** Helpers get their arguments first and Handlebars' options object last; drop the latter. */
const args = (all: unknown[]) => all.slice(0, -1);

function createEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper({
    nix: (value: unknown) => nixString(stringArg("nix", value)),
    nixAttr: (value: unknown) => nixAttrName(stringArg("nixAttr", value)),
    nixValue: (value: unknown) => nixValue(value as string | number | boolean),
    // A nixpkgs attribute path as Nix code: pkgs.python3Packages.requests
    pkg: (value: unknown) => ["pkgs", ...stringArg("pkg", value).split(".").map(nixAttrName)].join("."),
    // A Python string literal inside the testScript, itself a Nix indented string.
    py: (value: unknown) => nixIndented(pythonString(stringArg("py", value))),
    // A shell command line from words, each quoted as needed.
    shell: (...all: unknown[]) =>
      args(all)
        .map((word) => shellWord(String(word)))
        .join(" "),
    // Shell commands joined by pipes (each already quoted by `shell`).
    pipe: (...all: unknown[]) =>
      args(all)
        .map((command) => stringArg("pipe", command))
        .join(" | "),
  });
  return engine;
}

const engine = createEngine();
const compiled = new Map<string, Handlebars.TemplateDelegate<TestView>>();

/** A template or partial, compiled once per process (Handlebars would compile a partial given as
 * source on every render). */
function compileOnce(source: string): Handlebars.TemplateDelegate<TestView> {
  let compile = compiled.get(source);
  if (!compile) {
    compile = engine.compile<TestView>(source, { strict: true, noEscape: true });
    compiled.set(source, compile);
  }
  return compile;
}

/** How many distinct templates and partials this process has compiled (for tests). */
export const compiledCount = () => compiled.size;

/** Each catalogue's partials, compiled, by the object that holds their sources. */
const compiledPartials = new WeakMap<TemplateInfo["partials"], Record<string, Handlebars.TemplateDelegate<TestView>>>();

function partialsOf(template: TemplateInfo) {
  let partials = compiledPartials.get(template.partials);
  if (!partials) {
    partials = Object.fromEntries(Object.entries(template.partials).map(([name, source]) => [name, compileOnce(source)]));
    compiledPartials.set(template.partials, partials);
  }
  return partials;
}

/** Blanks at the end of a line (before a \n or the end). Not `$` with the m flag: that would also match
 * before U+2028 inside a value. */
const TRAILING_BLANKS = /[ \t]+(?=\n|$)/g;

export function render(template: TemplateInfo, view: TestView): string {
  // Partials indent blank lines too; no rendered line needs trailing blanks (values are escaped on one line).
  return compileOnce(template.source)(view, { partials: partialsOf(template) }).replace(TRAILING_BLANKS, "");
}
