// Handlebars' runtime alone, without its compiler: what renders the templates the build compiled
// (src/render/precompiled.ts). Typed as the full Handlebars less compiling; the specifier ends in `.js`
// so Node's own loader (tsc's dist/, read by scripts/precompile-templates.mjs) resolves it as the bundler does.
import type Handlebars from "handlebars";
import runtime from "handlebars/runtime.js";

export const HandlebarsRuntime = runtime as unknown as Omit<typeof Handlebars, "compile" | "precompile">;
