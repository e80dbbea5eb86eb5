// One isolated Handlebars instance (the runtime only: templates come compiled from the build, see
// src/render/precompiled.ts), with helpers that escape for the target language.
import type Handlebars from "handlebars";
import { HandlebarsRuntime } from "./handlebars-runtime.js";
import { createRequire } from "node:module";
import type { TemplateInfo } from "./templates.js";
import { nixAttrName, nixIndented, nixString, nixValue, pythonString, shellWord } from "./escape.js";
import { compileOptions, loadPrecompiled, precompiledKey } from "./precompiled.js";
import type { TestView } from "./view.js";

const stringArg = (helper: string, value: unknown): string => {
  if (typeof value !== "string") throw new TypeError(`Helper ${helper} expects a string, got ${typeof value}`);
  return value;
};

/** Helpers get their arguments first and Handlebars' options object last; drop the latter. */
const args = (all: unknown[]) => all.slice(0, -1);

function createEngine() {
  const engine = HandlebarsRuntime.create();
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
let precompiled: ReturnType<typeof loadPrecompiled> | undefined;
let compiles = 0;

/** A compiled template, ready to render with this engine's helpers. */
export const fromSpec = (spec: TemplateSpecification) => engine.template<TestView>(spec);

/** A template the build did not compile (edited since, or from another folder), compiled the way the
 * build does. Handlebars' compiler is CommonJS: required here, synchronously, only when needed. */
function compileNow(source: string): Handlebars.TemplateDelegate<TestView> {
  const compiler = createRequire(import.meta.url)("handlebars") as typeof Handlebars;
  compiles++;
  // The spec is JavaScript source (functions), as in the build's file; made a value as Handlebars' own compile() does.
  const spec = new Function(`return ${compiler.precompile(source, compileOptions()) as unknown as string}`)() as TemplateSpecification;
  return fromSpec(spec);
}

/** A template or partial, made once per process: from the build's compiled templates when it holds
 * this source, else compiled (Handlebars would compile a partial given as source on every render). */
function compileOnce(source: string): Handlebars.TemplateDelegate<TestView> {
  let template = compiled.get(source);
  if (!template) {
    const spec = (precompiled ??= loadPrecompiled())[precompiledKey(source)];
    template = spec ? fromSpec(spec) : compileNow(source);
    compiled.set(source, template);
  }
  return template;
}

/** How many distinct templates and partials this process has made ready, and how many of them it had
 * to compile itself (for tests). */
export const compiledCount = () => ({ ready: compiled.size, compiled: compiles });

/** Each catalogue's partials, ready, by the object that holds their sources. */
const readyPartials = new WeakMap<TemplateInfo["partials"], Record<string, Handlebars.TemplateDelegate<TestView>>>();

function partialsOf(template: TemplateInfo) {
  let partials = readyPartials.get(template.partials);
  if (!partials) {
    partials = Object.fromEntries(Object.entries(template.partials).map(([name, source]) => [name, compileOnce(source)]));
    readyPartials.set(template.partials, partials);
  }
  return partials;
}

/** Blanks at the end of a line (before a \n or the end), each run tried once (the lookbehind). Not `$`
 * with the m flag: that would also match before U+2028 inside a value. */
const TRAILING_BLANKS = /(?<![ \t])[ \t]+(?=\n|$)/g;

export function render(template: TemplateInfo, view: TestView): string {
  // Partials indent blank lines too; no rendered line needs trailing blanks (values are escaped on one line).
  return compileOnce(template.source)(view, { partials: partialsOf(template) }).replace(TRAILING_BLANKS, "");
}
