// Templates compiled at build time (scripts/precompile-templates.mjs writes dist/templates.precompiled.cjs
// during `npm run build`), so `generate` loads neither Handlebars' compiler nor spends ~30 ms compiling.
// Each is found by a hash of its source and of the options below: an edited template, or one from
// another folder, finds none and is compiled when first rendered (src/render/engine.ts).
import { HandlebarsRuntime } from "./handlebars-runtime.js";
import { hash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { packageFile } from "../package-files.js";

/** How every template and partial is compiled, at build time and at run time alike: strict (a missing
 * field is an error, never an empty string), no HTML escaping (Nix and Python are not HTML). */
export const COMPILE_OPTIONS = Object.freeze({ strict: true, noEscape: true });

/** A copy for Handlebars, which adds its defaults to the options it is given (the key must not move). */
export const compileOptions = () => ({ ...COMPILE_OPTIONS });

export const PRECOMPILED_FILE = fileURLToPath(packageFile("dist/templates.precompiled.cjs"));

/** The key of a source compiled with COMPILE_OPTIONS by this Handlebars (after an upgrade without a
 * build, the runtime would refuse the older specs: they are then not found, and compiled again). */
export const precompiledKey = (source: string) =>
  `sha256-${hash("sha256", `${HandlebarsRuntime.VERSION}\0${JSON.stringify(COMPILE_OPTIONS)}\0${source}`, "base64")}`;

/** The build's compiled templates by key; none before the first build. A plain CommonJS file, read
 * synchronously: rendering stays synchronous. */
export function loadPrecompiled(file = PRECOMPILED_FILE): Readonly<Record<string, TemplateSpecification>> {
  return existsSync(file) ? (createRequire(import.meta.url)(file) as Record<string, TemplateSpecification>) : {};
}

/** The build's file: each source's spec (JavaScript source, as Handlebars' precompile returns it) by its key. */
export function precompiledModule(sources: Iterable<string>, precompile: (source: string, options: object) => unknown): string {
  const entries = [...new Set(sources)].map(
    (source) => `  ${JSON.stringify(precompiledKey(source))}: ${String(precompile(source, compileOptions()))},`,
  );
  const header = "// Written by scripts/precompile-templates.mjs (npm run build): templates/ compiled by Handlebars, by precompiledKey.";
  return `${header}\nmodule.exports = {\n${entries.join("\n")}\n};\n`;
}
